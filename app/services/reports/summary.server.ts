/**
 * The reports' per-day summary (migration 2026-12-08T1000-report-summary): the cells
 * (app/reports/metrics.ts `accumulate`) of every local day wholly in the past or wholly in the
 * future, stored so that a one-year report sums a few thousand rows instead of reading every
 * booking, usage record and refusal of the year.
 *
 * - summaryCells: a period's cells — from the summary for the days it holds in the state the clock
 *   gives them now, from the raw records (the same accumulate) for the rest: today, and any day
 *   a change has invalidated (the triggers delete its report_days row in the change's own
 *   transaction) and the job has not rebuilt yet. So a report never depends on the job having run.
 * - refreshSummary: builds the days that are missing, newest first (the job loop, a bounded
 *   number per run; `npm run db:summary`, all), each range in one write transaction.
 * - checkSummary: recomputes every held day from the raw records and names the days that differ
 *   (`npm run db:summary -- --check`).
 */
import { sql } from "kysely";
import { type Db, type DbOrTx, immediate } from "#db/connection";
import { dialectOf, groupConcat } from "#db/dialect";
import { CELL_FIELDS, type CellField, IkmCell, MachineCell, type ReportCells, type ReportMeta, accumulate, daysOf } from "~/reports/metrics";
import { type BucketKind, type Period, bucketsOf, periodOf } from "~/reports/period";
import { localDateKey } from "~/scheduling/calendar";
import type { FacilityCalendar, Instant, Interval } from "~/scheduling/types";
import { loadReportData, reportCalendar, reportNames, streamRows } from "./raw.server";

/** Column of each cell field: availableMs → available_ms. */
const COLUMN = Object.fromEntries(CELL_FIELDS.map((f) => [f, f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)])) as Record<CellField, string>;
const COLUMNS = CELL_FIELDS.map((f) => COLUMN[f]);
/** Rows per INSERT statement (16 values each: well under both engines' limits on parameters). */
const BATCH = 400;

type DayState = "past" | "future";

/** How a day stands at `now`: wholly past, wholly future, or (today) neither. */
function dayState(day: Interval, now: Instant): DayState | null {
  return day.end <= now ? "past" : day.start >= now ? "future" : null;
}

/** Consecutive runs [from, to) of the indices where `want` holds. */
function runs(n: number, want: (i: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!want(i)) continue;
    if (out.length && out[out.length - 1][1] === i) out[out.length - 1][1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** The days [from, to) of `days` as one period. */
function rangeOf(days: readonly Period[], from: number, to: number): Period {
  return { from: days[from].from, to: days[to - 1].to, start: days[from].start, end: days[to - 1].end };
}

/** Appends `part` (the cells of days[offset…]) to `into`. */
function place(into: ReportCells, part: ReportCells, offset: number): void {
  for (const c of part.machines) into.machines.push(Object.assign(new MachineCell(c.day + offset, c.machineId, c.typeId), c, { day: c.day + offset }));
  for (const c of part.ikms) into.ikms.push(Object.assign(new IkmCell(c.day + offset, c.ikmId), c, { day: c.day + offset }));
  part.heat.forEach((h, i) => {
    into.heat[offset + i] = h;
  });
}

const list = (values: readonly number[]) => sql.raw(values.map((v) => String(Math.trunc(v))).join(", "));

/**
 * The cells of `period` at `now`, and the names a report shows. IKM cells of held days come
 * summed per table bucket of `bucket` (each placed on its bucket's first day), which is all a
 * report needs of them.
 */
export async function summaryCells(
  database: DbOrTx,
  calendar: FacilityCalendar,
  period: Period,
  now: Instant,
  bucket: BucketKind,
): Promise<{ cells: ReportCells; meta: ReportMeta }> {
  const tz = calendar.timeZone;
  const days = daysOf(period, tz);
  const stored = await database
    .selectFrom("report_days")
    .select(["day_start", "state", "heat"])
    .where("day_start", ">=", period.start)
    .where("day_start", "<", period.end)
    .execute();
  const byStart = new Map(stored.map((r) => [Number(r.day_start), r]));
  const held = days.map((d) => {
    const r = byStart.get(d.start);
    return r !== undefined && r.state === dayState(d, now) ? r : null;
  });
  const cells: ReportCells = { days, machines: [], ikms: [], heat: days.map(() => null) };
  let names: Pick<ReportMeta, "machines" | "types" | "ikms"> | null = null;
  for (const [from, to] of runs(days.length, (i) => held[i] === null)) {
    const range = rangeOf(days, from, to);
    const data = await loadReportData(database, calendar, range, now);
    names ??= data;
    place(cells, accumulate(data, range), from);
  }
  const heldStarts = days.filter((_, i) => held[i] !== null).map((d) => d.start);
  if (heldStarts.length) {
    const index = new Map(days.map((d, i) => [d.start, i]));
    const fields = sql.raw(COLUMNS.join(" || ',' || "));
    await streamRows(
      database,
      sql`SELECT ${groupConcat(database, sql`day_start || ',' || machine_id || ',' || type_id || ',' || ${fields}`, ",")} AS v
          FROM report_machine_days WHERE day_start IN (${list(heldStarts)})`,
      3 + COLUMNS.length,
      (f) => {
        const c = new MachineCell(index.get(f[0]) as number, f[1] === 0 ? null : f[1], f[2]);
        CELL_FIELDS.forEach((k, i) => {
          c[k] = f[3 + i];
        });
        cells.machines.push(c);
      },
    );
    // IKM cells summed per table bucket; the bucket's first day stands for it.
    const buckets = bucketsOf(period, bucket, tz);
    const firstDay = buckets.map((b) => index.get(b.start) as number);
    const bucketOf =
      buckets.length === 1
        ? sql.raw("0")
        : sql.raw(`CASE ${buckets.slice(1).map((b, i) => `WHEN day_start < ${b.start} THEN ${i}`).join(" ")} ELSE ${buckets.length - 1} END`);
    const sums = sql.raw(COLUMNS.map((c) => `CAST(sum(${c}) AS BIGINT) AS ${c}`).join(", "));
    await streamRows(
      database,
      sql`SELECT ${groupConcat(database, sql`b || ',' || ikm_id || ',' || ${fields}`, ",")} AS v FROM (
            SELECT ${bucketOf} AS b, ikm_id, ${sums}
            FROM report_ikm_days WHERE day_start IN (${list(heldStarts)}) GROUP BY 1, 2
          ) AS c`,
      2 + COLUMNS.length,
      (f) => {
        const c = new IkmCell(firstDay[f[0]], f[1]);
        CELL_FIELDS.forEach((k, i) => {
          c[k] = f[2 + i];
        });
        cells.ikms.push(c);
      },
    );
    held.forEach((r, i) => {
      if (r?.heat) cells.heat[i] = Float64Array.from(JSON.parse(r.heat) as number[]);
    });
  }
  names ??= await reportNames(database);
  return { cells, meta: { now, timeZone: tz, machines: names.machines, types: names.types, ikms: names.ikms } };
}

/** The local days from the first record to the last booking's end (or now, if later). */
async function recordedDays(database: DbOrTx, tz: string, now: Instant): Promise<Period[]> {
  type Span = { first_booking: number | string | null; first_attempt: number | string | null; first_entry: number | string | null; last: number | string | null };
  const { rows } = await sql<Span>`
    SELECT (SELECT min(start_at) FROM bookings) AS first_booking, (SELECT min(start_at) FROM booking_attempts) AS first_attempt,
           (SELECT min(earliest_start) FROM waitlist_entries) AS first_entry, (SELECT max(end_at) FROM bookings) AS last`.execute(database);
  const row = rows[0];
  const firsts = [row.first_booking, row.first_attempt, row.first_entry].filter((v) => v !== null).map(Number);
  if (!firsts.length) return [];
  const last = Math.max(Number(row.last ?? now), now);
  return daysOf(periodOf(localDateKey(Math.min(...firsts), tz), localDateKey(last, tz), tz), tz);
}

/**
 * Builds the summary of the days that lack it (or whose state the clock has changed), newest
 * first, at most `limitDays` of them; returns how many were built.
 */
export async function refreshSummary(db: Db, now: Instant, { limitDays = Number.POSITIVE_INFINITY } = {}): Promise<number> {
  const { calendar } = await reportCalendar(db);
  const days = await recordedDays(db, calendar.timeZone, now);
  if (!days.length) return 0;
  const stored = new Map((await db.selectFrom("report_days").select(["day_start", "state"]).execute()).map((r) => [Number(r.day_start), r.state]));
  const wanted = days.map((d) => {
    const state = dayState(d, now);
    return state !== null && stored.get(d.start) !== state;
  });
  // Newest first: recent weeks are what managers look at.
  let budget = limitDays;
  const chosen = new Set<number>();
  for (let i = days.length - 1; i >= 0 && budget > 0; i--) {
    if (wanted[i]) {
      chosen.add(i);
      budget--;
    }
  }
  for (const [from, to] of runs(days.length, (i) => chosen.has(i))) {
    // A run never mixes past and future days (today lies between them): one state per run.
    for (const [a, b] of runs(to - from, (k) => dayState(days[from + k], now) === "past").concat(runs(to - from, (k) => dayState(days[from + k], now) === "future"))) {
      await rebuild(db, calendar, rangeOf(days, from + a, from + b), now);
    }
  }
  return chosen.size;
}

/** Recomputes the days of `range` (all past or all future at `now`) in one write transaction. */
async function rebuild(db: Db, calendar: FacilityCalendar, range: Period, now: Instant): Promise<void> {
  const state = dayState(range, now) as DayState;
  await immediate(db, async (trx) => {
    // PostgreSQL: a change that would invalidate these days waits until they are written (its
    // trigger deletes from report_days), so no change can slip between this read and the write.
    if (dialectOf(trx) === "postgres") await sql`LOCK TABLE report_days IN EXCLUSIVE MODE`.execute(trx);
    const cells = accumulate(await loadReportData(trx, calendar, range, now), range);
    for (const table of ["report_days", "report_machine_days", "report_ikm_days"] as const) {
      await trx.deleteFrom(table).where("day_start", ">=", range.start).where("day_start", "<", range.end).execute();
    }
    const values = (c: MachineCell | IkmCell) => Object.fromEntries(CELL_FIELDS.map((f) => [COLUMN[f], c[f]])) as Record<string, number>;
    const dayStart = (day: number) => cells.days[day].start;
    const machineRows = cells.machines.map((c) => ({ day_start: dayStart(c.day), machine_id: c.machineId ?? 0, type_id: c.typeId, ...values(c) }));
    const ikmRows = cells.ikms.map((c) => ({ day_start: dayStart(c.day), ikm_id: c.ikmId, ...values(c) }));
    for (let i = 0; i < machineRows.length; i += BATCH) await trx.insertInto("report_machine_days").values(machineRows.slice(i, i + BATCH) as never).execute();
    for (let i = 0; i < ikmRows.length; i += BATCH) await trx.insertInto("report_ikm_days").values(ikmRows.slice(i, i + BATCH) as never).execute();
    const dayRows = cells.days.map((d, i) => ({ day_start: d.start, state, heat: cells.heat[i] ? JSON.stringify([...(cells.heat[i] as Float64Array)]) : null, built_at: now }));
    for (let i = 0; i < dayRows.length; i += BATCH) await trx.insertInto("report_days").values(dayRows.slice(i, i + BATCH)).execute();
  });
}

export interface SummaryCheck {
  /** Days the summary holds in their current state. */
  checked: number;
  /** Local dates whose stored cells or heat differ from the raw computation. */
  differing: string[];
}

/** Recomputes every held day from the raw records and names those that differ. */
export async function checkSummary(db: DbOrTx, now: Instant): Promise<SummaryCheck> {
  const { calendar } = await reportCalendar(db);
  const days = await recordedDays(db, calendar.timeZone, now);
  if (!days.length) return { checked: 0, differing: [] };
  const whole = rangeOf(days, 0, days.length);
  const stored = await summaryCellsByDay(db, whole);
  const differing: string[] = [];
  let checked = 0;
  const heldState = new Map((await db.selectFrom("report_days").select(["day_start", "state", "heat"]).execute()).map((r) => [Number(r.day_start), r]));
  for (const [from, to] of runs(days.length, (i) => heldState.get(days[i].start)?.state === dayState(days[i], now))) {
    const range = rangeOf(days, from, to);
    const computed = accumulate(await loadReportData(db, calendar, range, now), range);
    const fresh = keyed(computed, (day) => computed.days[day].start);
    for (let k = from; k < to; k++) {
      const d = days[k];
      checked++;
      const heat = heldState.get(d.start)?.heat ?? null;
      const freshHeat = computed.heat[k - from];
      const same = (stored.get(d.start) ?? "") === (fresh.get(d.start) ?? "") && heat === (freshHeat ? JSON.stringify([...freshHeat]) : null);
      if (!same) differing.push(d.from);
    }
  }
  return { checked, differing };
}

/** Each day's cells as one canonical text, by day start. */
function keyed(cells: ReportCells, dayStart: (day: number) => number): Map<number, string> {
  const lines = new Map<number, string[]>();
  const add = (day: number, line: string) => {
    const k = dayStart(day);
    const l = lines.get(k) ?? [];
    l.push(line);
    lines.set(k, l);
  };
  for (const c of cells.machines) add(c.day, `m${c.machineId ?? 0}:${c.typeId}:${CELL_FIELDS.map((f) => c[f]).join(",")}`);
  for (const c of cells.ikms) add(c.day, `i${c.ikmId}:${CELL_FIELDS.map((f) => c[f]).join(",")}`);
  return new Map([...lines].map(([k, l]) => [k, l.sort().join(";")]));
}

/** The stored cells of every day in `range`, as keyed() gives them. */
async function summaryCellsByDay(db: DbOrTx, range: Interval): Promise<Map<number, string>> {
  const cells: ReportCells = { days: [], machines: [], ikms: [], heat: [] };
  const starts: number[] = [];
  const indexOf = new Map<number, number>();
  const dayOf = (start: number) => {
    let i = indexOf.get(start);
    if (i === undefined) {
      i = starts.push(start) - 1;
      indexOf.set(start, i);
    }
    return i;
  };
  const select = (table: "report_machine_days" | "report_ikm_days") =>
    db.selectFrom(table).selectAll().where("day_start", ">=", range.start).where("day_start", "<", range.end).execute();
  for (const r of await select("report_machine_days")) {
    const row = r as unknown as Record<string, number>;
    const c = new MachineCell(dayOf(Number(row.day_start)), Number(row.machine_id) || null, Number(row.type_id));
    for (const f of CELL_FIELDS) c[f] = Number(row[COLUMN[f]]);
    cells.machines.push(c);
  }
  for (const r of await select("report_ikm_days")) {
    const row = r as unknown as Record<string, number>;
    const c = new IkmCell(dayOf(Number(row.day_start)), Number(row.ikm_id));
    for (const f of CELL_FIELDS) c[f] = Number(row[COLUMN[f]]);
    cells.ikms.push(c);
  }
  return keyed(cells, (day) => starts[day]);
}
