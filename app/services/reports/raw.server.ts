/**
 * Loading the manager's reports: bounded, indexed queries for one period, handed to the pure
 * metrics in app/reports. One query per table, never one per row:
 *
 * - booking_attempts by start_at (attempts_start), for the period;
 * - bookings by start_at (bookings_start), from the period's start − 48 h (the longest booking)
 *   to its end, widened to the follow-up window of the refusals (from the earliest refusal to
 *   7 days after the latest requested start);
 * - usage_records by actual_start (usage_actual_start), from the period's start − 48 h; their
 *   bookings' machine and IKM are taken from the bookings already loaded;
 * - maintenance windows, expired waitlist entries, machines, types, IKMs: small tables.
 *
 * The three large ones are streamed as text (see loadReportData). Reports read these raw records
 * only for the days the per-day summary does not hold (summary.server.ts, load.server.ts).
 * One text per table: group_concat on SQLite, string_agg on PostgreSQL (db/dialect.ts).
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "#db/connection";
import { flagSql, groupConcat } from "#db/dialect";
import { loadCalendar, loadFacility } from "~/models/scheduling.server";
import {
  MAX_SPAN_MS,
  type ReportAttempt,
  type ReportBooking,
  type ReportData,
  type ReportUsage,
  followUpRange,
} from "~/reports/metrics";
import type { Period } from "~/reports/period";
import { type BookingStatus, CAPACITY_CODES, type FacilityCalendar, type WeeklyHours } from "~/scheduling/types";

/** The facility's zone and calendar (closure days), loaded once per report. */
export async function reportCalendar(database: DbOrTx): Promise<{ calendar: FacilityCalendar; facilityName: string }> {
  const facility = await loadFacility(database);
  return { calendar: await loadCalendar(database, facility), facilityName: facility.name };
}

type ReportBase = Omit<ReportData, "bookings" | "usage" | "attempts" | "aggregates">;

/** Machines (with what their available time needs), types and IKMs: the report's names. */
export async function reportNames(database: DbOrTx): Promise<Pick<ReportData, "machines" | "types" | "ikms">> {
  const [machines, types, ikms] = await Promise.all([
    database.selectFrom("machines").select(["id", "code", "name", "type_id", "status", "hours_json", "created_at", "updated_at"]).orderBy("id").execute(),
    database.selectFrom("machine_types").select(["id", "code", "name"]).orderBy("id").execute(),
    database.selectFrom("ikms").select(["id", "name"]).orderBy("id").execute(),
  ]);
  return {
    machines: machines.map((m) => ({
      id: m.id,
      code: m.code,
      name: m.name,
      typeId: m.type_id,
      hours: m.hours_json ? (JSON.parse(m.hours_json) as WeeklyHours) : null,
      availableFrom: Number(m.created_at),
      // We keep no date of retirement; the last change of a retired machine is the best record of it.
      availableUntil: m.status === "retired" ? Number(m.updated_at) : null,
    })),
    types,
    ikms,
  };
}

/** Machines, types, IKMs, maintenance and expired waitlist entries of the period: small tables. */
async function loadReportBase(database: DbOrTx, calendar: FacilityCalendar, period: Period, now: number): Promise<ReportBase> {
  const lookBack = period.start - MAX_SPAN_MS;
  const [names, maintenance, waitlist] = await Promise.all([
    reportNames(database),
    database
      .selectFrom("maintenance_windows")
      .select(["machine_id as machineId", "start_at as start", "end_at as end"])
      .where("start_at", "<", period.end)
      .where((eb) => eb.or([eb("end_at", "is", null), eb("end_at", ">", period.start)]))
      .execute(),
    database
      .selectFrom("waitlist_entries")
      .select([
        "id",
        "ikm_id as ikmId",
        "machine_id as machineId",
        "machine_type_id as typeId",
        "earliest_start as earliestStart",
        "latest_end as latestEnd",
        "duration_minutes as durationMinutes",
        "created_at as createdAt",
      ])
      .where("status", "=", "expired")
      .where("earliest_start", "<", period.end + MAX_SPAN_MS)
      .where("latest_end", ">", lookBack)
      .execute(),
  ]);
  return { calendar, now, ...names, maintenance, waitlist };
}

/**
 * Every record the metrics of `period` can count (see ReportData), streamed: each table's rows
 * come back as ONE text of comma-separated integers (group_concat / string_agg), parsed here in a
 * single pass. A year is ~120,000 bookings and ~90,000 usage records; handing them over as one
 * JavaScript object or array per row costs more than the report's whole time budget (measured:
 * ~3×), one text per table a fraction of it. Grouping in SQL instead was measured slower still
 * (several sorts and per-row break arithmetic), and would have put the rules in two places.
 * The metrics stay entirely in the pure module.
 */
export async function loadReportData(database: DbOrTx, calendar: FacilityCalendar, period: Period, now: number): Promise<ReportData> {
  const lookBack = period.start - MAX_SPAN_MS;
  const base = await loadReportBase(database, calendar, period, now);
  // Refusals overlapping the period with a capacity code; their capacity codes come as a bit mask.
  const attempts: ReportAttempt[] = [];
  const has = CAPACITY_CODES.map((c) => `(',' || codes || ',') LIKE '%,${c},%'`);
  const mask = has.map((h, i) => `${flagSql(h)} * ${2 ** i}`).join(" + ");
  await streamRows(
    database,
    sql`SELECT ${groupConcat(
      database,
      sql`id || ',' || ikm_id || ',' || machine_id || ',' || machine_type_id || ',' || start_at || ',' || (end_at - start_at)
          || ',' || (start_at - created_at) || ',' || (${sql.raw(mask)})`,
      ",",
    )} AS v
        FROM booking_attempts
        WHERE start_at > ${lookBack} AND start_at < ${period.end} AND end_at > ${period.start} AND (${sql.raw(has.join(" OR "))})`,
    8,
    (f) => {
      const codes = CAPACITY_CODES.filter((_, i) => f[7] & (2 ** i));
      attempts.push({ id: f[0], ikmId: f[1], machineId: f[2], typeId: f[3], start: f[4], end: f[4] + f[5], createdAt: f[4] - f[6], codes });
    },
  );
  // Bookings: those overlapping the period, and those that may meet its refusals (followUpRange).
  const followUp = followUpRange(period, attempts);
  const bookings: ReportBooking[] = [];
  await streamRows(
    database,
    sql`SELECT ${groupConcat(
      database,
      sql`id || ',' || (CAST(machine_id AS BIGINT) * ${sql.raw(String(KEY))} + ikm_id) || ',' || start_at || ',' || ((end_at - start_at) * 16 + ${sql.raw(STATUS_CODE_SQL)})
          || ',' || (start_at - created_at) || ',' || coalesce(CAST(start_at - cancelled_at AS TEXT), '')`,
      ",",
    )} AS v
        FROM bookings WHERE start_at > ${Math.min(lookBack, followUp.start)} AND start_at < ${followUp.end}`,
    6,
    (f) => {
      const code = f[3] % 16;
      bookings.push({
        id: f[0],
        machineId: Math.floor(f[1] / KEY),
        ikmId: f[1] % KEY,
        start: f[2],
        end: f[2] + (f[3] - code) / 16,
        status: STATUSES[code],
        createdAt: f[2] - f[4],
        cancelledAt: Number.isNaN(f[5]) ? null : f[2] - f[5],
      });
    },
  );
  // Usage sessions starting up to 48 h before the period (a session is never longer). Their
  // bookings' machine, IKM and end come from the bookings above (a session starts within its
  // booking, which is never longer than 48 h); the rare one that is not there is looked up.
  const byId = new Map<number, ReportBooking>();
  for (const b of bookings) byId.set(b.id, b);
  const usage: ReportUsage[] = [];
  const orphans: { bookingId: number; start: number; end: number | null; fee: number | null }[] = [];
  await streamRows(
    database,
    sql`SELECT ${groupConcat(
      database,
      sql`booking_id || ',' || actual_start || ',' || coalesce(CAST(actual_end - actual_start AS TEXT), '')
          || ',' || coalesce(CAST(CAST(fee AS BIGINT) AS TEXT), '')`,
      ",",
    )} AS v
        FROM usage_records WHERE actual_start > ${lookBack} AND actual_start < ${period.end}`,
    4,
    (f) => {
      const b = byId.get(f[0]);
      const end = Number.isNaN(f[2]) ? null : f[1] + f[2];
      const fee = Number.isNaN(f[3]) ? null : f[3];
      if (b) usage.push({ bookingId: f[0], machineId: b.machineId, ikmId: b.ikmId, start: f[1], end, bookingEnd: b.end, fee });
      else orphans.push({ bookingId: f[0], start: f[1], end, fee });
    },
  );
  if (orphans.length) {
    const owners = await database
      .selectFrom("bookings")
      .select(["id", "machine_id", "ikm_id", "end_at"])
      .where("id", "in", orphans.map((o) => o.bookingId))
      .execute();
    const owner = new Map(owners.map((o) => [o.id, o]));
    for (const o of orphans) {
      const b = owner.get(o.bookingId);
      if (b) usage.push({ bookingId: o.bookingId, machineId: b.machine_id, ikmId: b.ikm_id, start: o.start, end: o.end, bookingEnd: Number(b.end_at), fee: o.fee });
    }
  }
  return { ...base, bookings, usage, attempts };
}

/** machine_id × KEY + ikm_id packs both ids in one integer (IKM ids stay below 2^20). It is
 * spliced in as an integer literal: a bound JavaScript number may arrive as a REAL and print
 * with a decimal point. */
const KEY = 1_048_576;
const STATUSES: readonly BookingStatus[] = ["pending", "confirmed", "checked_in", "completed", "cancelled", "rejected", "no_show"];
const STATUS_CODE_SQL = `CASE status ${STATUSES.map((st, i) => `WHEN '${st}' THEN ${i}`).join(" ")} ELSE 15 END`;

/**
 * Runs a query selecting one text `v` of comma-separated integers, `width` per row, and calls
 * `row` with each row's integers (the same array, overwritten); an empty field (NULL) is NaN.
 * Integers are parsed digit by digit: exact up to 2^53, which epoch milliseconds and rupiah stay
 * far below.
 */
export async function streamRows(database: DbOrTx, query: RawBuilder<unknown>, width: number, row: (fields: Float64Array) => void): Promise<void> {
  const text = ((await (query as RawBuilder<{ v: string | null }>).execute(database)).rows[0]?.v ?? "") as string;
  if (!text) return;
  const fields = new Float64Array(width);
  let n = 0;
  let value = 0;
  let negative = false;
  let digits = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c === 44) {
      fields[n++] = !digits ? Number.NaN : negative ? -value : value;
      value = 0;
      negative = false;
      digits = false;
      if (n === width) {
        row(fields);
        n = 0;
      }
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits = true;
    } else if (c === 45) negative = true;
    else throw new Error(`Unexpected character in a number stream: ${text[i]}`);
  }
  if (n !== 0) throw new Error("A number stream ended inside a row");
}

