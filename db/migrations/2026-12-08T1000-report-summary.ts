/**
 * The reports' per-day summary (issue 32): for each local day, what every machine's and every
 * IKM's records contribute to a report (app/reports/metrics.ts `accumulate`), so a one-year
 * report reads a few thousand summed rows instead of every booking of the year.
 *
 * - report_days: one row per summarised day (its local midnight as an instant), whether it was
 *   summarised as a day wholly in the past or wholly in the future (today is never summarised),
 *   and its heat per local hour. A day without a row, or whose state no longer matches the
 *   clock, is computed from the raw records by the same code.
 * - report_machine_days, report_ikm_days: the day's cells (machine_id 0: waitlist entries for
 *   any machine of the type).
 *
 * Invalidation in the same transaction as every change: triggers on the tables the figures come
 * from delete the report_days rows of the days the changed row can touch (its own time, a day of
 * margin for the zone, and for a booking the days of the IKM's refusals it may now meet); the
 * facility, machines and closure days touch every day. The job loop (and `npm run db:summary`)
 * rebuilds what is missing. The summary is built for existing data by those, not here: a
 * migration that computed a year of reports would hold a large database's start for seconds.
 * Frozen: never import app code here.
 */
import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect";

const DAY = 86_400_000;
const FIELDS = [
  "available_ms",
  "available_to_date_ms",
  "booked_ms",
  "booked_ahead_ms",
  "used_ms",
  "bookings",
  "completed",
  "no_shows",
  "late_cancellations",
  "refused_ms",
  "waitlist_ms",
  "fees",
  "bookings_served",
];

/** [table, ranges of day_start to invalidate, as SQL over the row `r` (OLD or NEW)] */
const RANGES: [string, string[]][] = [
  [
    "bookings",
    [
      `$.start_at - ${2 * DAY}`,
      `$.end_at + ${DAY}`,
      // The IKM's capacity refusals this booking may meet (made before its start, asking for a
      // start at most 7 days before it): their days.
      `(select min(a.start_at) from booking_attempts a where a.ikm_id = $.ikm_id and a.start_at > $.start_at - ${7 * DAY} and a.created_at <= $.start_at) - ${2 * DAY}`,
      `(select max(a.end_at) from booking_attempts a where a.ikm_id = $.ikm_id and a.start_at > $.start_at - ${7 * DAY} and a.created_at <= $.start_at) + ${DAY}`,
    ],
  ],
  ["usage_records", [`$.actual_start - ${2 * DAY}`, `coalesce($.actual_end, $.actual_start + ${2 * DAY}) + ${DAY}`]],
  ["booking_attempts", [`$.start_at - ${2 * DAY}`, `$.end_at + ${DAY}`]],
  ["waitlist_entries", [`$.earliest_start - ${3 * DAY}`, `$.latest_end + ${2 * DAY}`]],
  ["maintenance_windows", [`$.start_at - ${2 * DAY}`, `coalesce($.end_at + ${DAY}, 9007199254740991)`]],
];
/** Tables whose every change touches every day. */
const EVERY_DAY = ["facility", "machines", "closure_days"];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  await db.schema
    .createTable("report_days")
    .addColumn("day_start", "bigint", (c) => c.primaryKey())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('past', 'future')`))
    .addColumn("heat", "text")
    .addColumn("built_at", "bigint", (c) => c.notNull())
    .execute();
  for (const [table, key] of [
    ["report_machine_days", ["machine_id", "type_id"]],
    ["report_ikm_days", ["ikm_id"]],
  ] as const) {
    let t = db.schema.createTable(table).addColumn("day_start", "bigint", (c) => c.notNull());
    for (const k of key) t = t.addColumn(k, "integer", (c) => c.notNull());
    for (const f of FIELDS) t = t.addColumn(f, "bigint", (c) => c.notNull());
    await t.addPrimaryKeyConstraint(`${table}_pk`, ["day_start", ...key] as never).execute();
  }

  const dirty = (lo: string, hi: string, row: string) => `delete from report_days where day_start > ${lo.replaceAll("$.", `${row}.`)} and day_start < ${hi.replaceAll("$.", `${row}.`)};`;
  const statements = (ranges: string[], row: string) => {
    const out: string[] = [];
    for (let i = 0; i < ranges.length; i += 2) out.push(dirty(ranges[i], ranges[i + 1], row));
    return out.join("\n");
  };
  if (pg) {
    for (const [table, ranges] of RANGES) {
      await sql
        .raw(`create function report_dirty_${table}() returns trigger language plpgsql as $$
          begin
            if tg_op <> 'INSERT' then ${statements(ranges, "old")} end if;
            if tg_op <> 'DELETE' then ${statements(ranges, "new")} end if;
            return null;
          end $$`)
        .execute(db);
      await sql.raw(`create trigger report_dirty_${table} after insert or update or delete on ${table} for each row execute function report_dirty_${table}()`).execute(db);
    }
    await sql.raw("create function report_dirty_all() returns trigger language plpgsql as $$ begin delete from report_days; return null; end $$").execute(db);
    for (const table of EVERY_DAY) {
      await sql.raw(`create trigger report_dirty_${table} after insert or update or delete or truncate on ${table} for each statement execute function report_dirty_all()`).execute(db);
    }
  } else {
    for (const [table, ranges] of RANGES) {
      for (const op of ["insert", "update", "delete"]) {
        const body = [op !== "insert" ? statements(ranges, "old") : "", op !== "delete" ? statements(ranges, "new") : ""].join("\n");
        await sql.raw(`create trigger report_dirty_${table}_${op} after ${op} on ${table} begin ${body} end`).execute(db);
      }
    }
    for (const table of EVERY_DAY) {
      for (const op of ["insert", "update", "delete"]) {
        await sql.raw(`create trigger report_dirty_${table}_${op} after ${op} on ${table} begin delete from report_days; end`).execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  for (const table of [...RANGES.map(([t]) => t), ...EVERY_DAY]) {
    if (pg) await sql.raw(`drop trigger if exists report_dirty_${table} on ${table}`).execute(db);
    else for (const op of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists report_dirty_${table}_${op}`).execute(db);
    if (pg) await sql.raw(`drop function if exists report_dirty_${table}()`).execute(db);
  }
  if (pg) await sql`drop function if exists report_dirty_all()`.execute(db);
  for (const table of ["report_ikm_days", "report_machine_days", "report_days"]) await db.schema.dropTable(table).execute();
}
