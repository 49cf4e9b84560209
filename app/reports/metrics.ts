/**
 * The manager's report metrics (DESIGN.md "Reports (manager)"), as one pure function of the
 * period, the calendar and the records loaded for it. No database, no clock (`now` is given),
 * no Remix. The exact definitions, decided here and shown on the page (i18n "reports.def.*"):
 *
 * - available hours: the machine's opening hours in the period (facility hours narrowed by the
 *   machine's own, breaks and closure days excluded), from the machine's creation (and, for a
 *   retired machine, until its last update, the best record of its retirement we have), minus
 *   maintenance and breakdown windows (an unresolved breakdown runs to the end of the period).
 *   A machine type sums its machines. Per IKM it is not meaningful: IKM rows leave it empty,
 *   and their total is the facility's (all machines).
 * - booked hours: the time of pending, confirmed, checked-in, completed and no-show bookings
 *   inside the period. A booking cut by the period (or a bucket) counts only the part inside;
 *   the facility's breaks are not machine time and never count (as for fees).
 * - used hours: the time of usage records (check-in to check-out) inside the period, breaks
 *   excluded; a session still running counts until `now`, at most until its booking's end.
 * - booked / actual utilization: booked / available and used / available (empty when nothing
 *   is available).
 * - no-show rate: no-shows / (completed + no-shows), among bookings STARTING in the period.
 * - late cancellation rate: bookings starting in the period that were cancelled less than 24 h
 *   before their start (or after it) / all bookings starting in the period, whatever their
 *   status (cancelled and rejected included).
 * - unmet demand hours: (a) requests refused with a capacity code (OVERLAP, BUFFER,
 *   MAINTENANCE, QUOTA_HOURS, QUOTA_ACTIVE), the part of the requested time inside the period,
 *   unless the same IKM booked on a machine of the same type afterwards: a booking (pending,
 *   confirmed, checked in, completed or no-show) created at or after the refusal that starts
 *   between the refusal and 7 days after the requested start. Refused requests of one IKM for
 *   the same machine type that overlap (retries) count their common time once, on the machine
 *   of the earliest. A refused request the IKM then put on the waitlist (an entry of the same
 *   IKM and type, created at or after it, whose window overlaps it) that expired counts as that
 *   entry only. Plus (b) expired waitlist entries: their duration, in the period of their
 *   earliest start. An entry for "any machine" of a type has no machine: in the machine
 *   grouping it gets its own row ("<type>, any machine") so totals still match their rows.
 * - fees: the charges of usage records whose check-in (actual start) lies in the period.
 *
 * A period that reaches past now (DESIGN.md "A period that reaches past now"): the report is cut
 * at `asOf` = min(now, the period's end). Figures about what HAPPENED count only up to `asOf`:
 * used hours, actual utilization (used / availableHoursToDate), the heat map, fees, the
 * bookings counted for the no-show and late-cancellation rates (those starting before `asOf`),
 * and unmet demand (the requested time before `asOf`, waitlist entries whose earliest start is
 * before it). Figures about what is PLANNED cover the whole period: available hours, booked
 * hours and booked utilization, with `bookedAheadHours` (the booked time from `asOf` on) beside
 * them. For a period wholly in the past `asOf` is its end, `availableHoursToDate` equals
 * `availableHours` and `bookedAheadHours` is 0: nothing else changes. For a period wholly in the
 * future `asOf` (now) is before its start and every to-date figure is 0 (rates empty).
 * - service figures: bookings served = usage records starting in the period; IKMs served =
 *   their distinct IKMs; hours served = used hours; fees collected = fees.
 *
 * Rounding: hours are given to 2 decimals. A column's total is the exact sum, rounded; its rows
 * are rounded so they add up to it exactly (apportion, the largest-remainder method), so totals
 * are the same in every grouping and buckets add up to the period. Rates are fractions to 4
 * decimals, recomputed for a total from its summed numerators and denominators (never averaged).
 * See docs/decisions/0007-report-metrics.md.
 */
import { breakIntervals, offsetMinutes, openIntervals, zonedInstant } from "~/scheduling/calendar";
import { DAY_MS, HOUR_MS, MINUTE_MS, clip, normalize, subtract } from "~/scheduling/intervals";
import { CAPACITY_CODES, isUndo, lateIfCancelledAt } from "~/scheduling/types";
import type { BookingStatus, FacilityCalendar, Instant, Interval, WeeklyHours } from "~/scheduling/types";
import { type Bucket, type BucketKind, type Period, addDays, autoBucket, bucketsOf, dayNumber, periodDays } from "./period";
import { largestRemainder } from "./rounding";

export type GroupBy = "machine" | "type" | "ikm";
export const GROUP_BYS: readonly GroupBy[] = ["machine", "type", "ikm"];

/** Statuses whose time counts as booked. */
export const BOOKED_STATUSES: readonly BookingStatus[] = ["pending", "confirmed", "checked_in", "completed", "no_show"];
/** A refused request is met by a booking starting up to this long after the requested start. */
export const FOLLOW_UP_MS = 7 * DAY_MS;
/** Longest booking, request or usage session the loaders look back for (as MAX_HOLD_MS). */
export const MAX_SPAN_MS = 2 * DAY_MS;

const FOREVER = Number.MAX_SAFE_INTEGER;
const BOOKED = new Set<string>(BOOKED_STATUSES);
const CAPACITY = new Set<string>(CAPACITY_CODES);

// ---------------------------------------------------------------------------------------------
// Inputs

export interface ReportMachine {
  id: number;
  code: string;
  name: string;
  typeId: number;
  /** The machine's own opening hours (narrowing the facility's), or null. */
  hours: WeeklyHours | null;
  /** Available from this instant (its creation). */
  availableFrom: Instant;
  /** Available until this instant (retired machines), or null. */
  availableUntil: Instant | null;
}

export interface ReportType {
  id: number;
  code: string;
  name: string;
}

export interface ReportIkm {
  id: number;
  name: string;
}

export interface ReportBooking {
  id: number;
  machineId: number;
  ikmId: number;
  start: Instant;
  end: Instant;
  status: BookingStatus;
  createdAt: Instant;
  cancelledAt: Instant | null;
}

export interface ReportUsage {
  bookingId: number;
  machineId: number;
  ikmId: number;
  start: Instant;
  /** null while checked in. */
  end: Instant | null;
  /** The booking's end: a running session counts at most until then. */
  bookingEnd: Instant;
  fee: number | null;
}

export interface ReportMaintenance {
  machineId: number;
  start: Instant;
  /** null: an unresolved breakdown. */
  end: Instant | null;
}

export interface ReportAttempt {
  id: number;
  ikmId: number;
  machineId: number;
  typeId: number;
  start: Instant;
  end: Instant;
  createdAt: Instant;
  codes: readonly string[];
}

/** An expired waitlist entry. */
export interface ReportWaitlist {
  id: number;
  ikmId: number;
  machineId: number | null;
  typeId: number;
  earliestStart: Instant;
  latestEnd: Instant;
  durationMinutes: number;
  createdAt: Instant;
}

/**
 * What a report is computed from. The loader must give every record that can count:
 * bookings starting in (period.start − MAX_SPAN_MS, followUpEnd) and from the earliest refusal
 * on (see followUpRange), usage records starting in (period.start − MAX_SPAN_MS, period.end),
 * maintenance overlapping the period, attempts overlapping it, and expired waitlist entries
 * overlapping (period.start − MAX_SPAN_MS, period.end + MAX_SPAN_MS) or starting in the period.
 * Extra records are harmless: everything is cut to the period here.
 */
export interface ReportData {
  calendar: FacilityCalendar;
  now: Instant;
  machines: readonly ReportMachine[];
  types: readonly ReportType[];
  ikms: readonly ReportIkm[];
  bookings: readonly ReportBooking[];
  usage: readonly ReportUsage[];
  maintenance: readonly ReportMaintenance[];
  attempts: readonly ReportAttempt[];
  waitlist: readonly ReportWaitlist[];
}

/**
 * Where a period is cut: `asOf` = min(now, period end) is where the figures about what happened
 * stop; they count in [period.start, toDateEnd), empty when the period has not begun.
 */
export function cutAt(period: Interval, now: Instant): { asOf: Instant; toDateEnd: Instant } {
  const asOf = Math.min(now, period.end);
  return { asOf, toDateEnd: Math.max(period.start, asOf) };
}

/** True when the attempt was refused for capacity. */
export function isCapacityRefusal(codes: readonly string[]): boolean {
  return codes.some((c) => CAPACITY.has(c));
}

/** The range of booking starts that can meet the refused requests of a period. */
export function followUpRange(period: Interval, attempts: readonly { start: Instant; createdAt: Instant }[]): Interval {
  let start = period.start;
  let end = period.end;
  for (const a of attempts) {
    if (a.createdAt < start) start = a.createdAt;
    if (a.start + FOLLOW_UP_MS > end) end = a.start + FOLLOW_UP_MS;
  }
  return { start, end };
}

// ---------------------------------------------------------------------------------------------
// Outputs

export interface Metrics {
  /** null for an IKM row (not meaningful per IKM). */
  availableHours: number | null;
  /** The part of availableHours before `asOf` (null for an IKM row). */
  availableHoursToDate: number | null;
  bookedHours: number;
  /** The part of bookedHours from `asOf` on: planned, not yet happened. */
  bookedAheadHours: number;
  usedHours: number;
  bookedUtilization: number | null;
  actualUtilization: number | null;
  noShowRate: number | null;
  lateCancellationRate: number | null;
  unmetDemandHours: number;
  fees: number;
  /** What the rates and unmet demand are made of. */
  bookings: number;
  completed: number;
  noShows: number;
  lateCancellations: number;
  unmetRefusedHours: number;
  unmetWaitlistHours: number;
  bookingsServed: number;
}

export type RowKind = "machine" | "type" | "ikm" | "anyMachine";

export interface ReportRow extends Metrics {
  /** Machine code, type code, IKM id, or "<type code>:*" for a type's "any machine" row. */
  key: string;
  kind: RowKind;
  /** Machine, type or IKM id (the type id for an "any machine" row). */
  id: number;
  /** Machine "code · name", type name or IKM name. */
  label: string;
}

export interface BucketReport {
  bucket: Bucket;
  rows: ReportRow[];
  totals: Metrics;
}

export interface SeriesPoint {
  availableHours: number;
  availableHoursToDate: number;
  bookedHours: number;
  bookedAheadHours: number;
  usedHours: number;
  bookedUtilization: number | null;
  actualUtilization: number | null;
}

export interface HeatCell {
  weekday: number;
  hour: number;
  usedHours: number;
  availableHours: number;
  utilization: number | null;
}

export interface IkmFigure {
  id: number;
  label: string;
  usedHours: number;
  fees: number;
}

export interface UnmetFigure {
  id: number;
  label: string;
  refusedHours: number;
  waitlistHours: number;
  totalHours: number;
}

export interface ServiceFigures {
  ikmsServed: number;
  bookingsServed: number;
  hoursServed: number;
  fees: number;
}

export interface Report {
  period: Period;
  /** The instant the to-date figures stop at: min(now, period.end); before period.start for a future period. */
  asOf: Instant;
  /** The facility zone the period's dates are in. */
  timeZone: string;
  groupBy: GroupBy;
  bucket: BucketKind;
  rows: ReportRow[];
  totals: Metrics;
  /** One per bucket (a single one when bucket is "none"). */
  buckets: BucketReport[];
  service: ServiceFigures;
  charts: {
    /** Utilization of each machine type over time, in these buckets. */
    bucket: Exclude<BucketKind, "none">;
    buckets: Bucket[];
    utilization: { id: number; code: string; label: string; points: SeriesPoint[]; total: SeriesPoint }[];
    /** Weekday (1 = Monday) × local hour; only the weekdays and hours with any time. */
    heatmap: { weekdays: number[]; hours: number[]; cells: HeatCell[] };
    /** Every IKM with used time or fees, most used hours first. */
    ikms: IkmFigure[];
    /** Every machine type, most unmet demand first. */
    unmetByType: UnmetFigure[];
  };
}

export interface ReportOptions {
  period: Period;
  groupBy: GroupBy;
  bucket: BucketKind;
}

// ---------------------------------------------------------------------------------------------
// Accumulation

class Acc {
  availableMs = 0;
  availableToDateMs = 0;
  bookedMs = 0;
  bookedAheadMs = 0;
  usedMs = 0;
  bookings = 0;
  completed = 0;
  noShows = 0;
  lateCancellations = 0;
  refusedMs = 0;
  waitlistMs = 0;
  fees = 0;
  bookingsServed = 0;

  addAll(o: Acc) {
    this.availableMs += o.availableMs;
    this.availableToDateMs += o.availableToDateMs;
    this.bookedMs += o.bookedMs;
    this.bookedAheadMs += o.bookedAheadMs;
    this.usedMs += o.usedMs;
    this.bookings += o.bookings;
    this.completed += o.completed;
    this.noShows += o.noShows;
    this.lateCancellations += o.lateCancellations;
    this.refusedMs += o.refusedMs;
    this.waitlistMs += o.waitlistMs;
    this.fees += o.fees;
    this.bookingsServed += o.bookingsServed;
  }
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function hoursOf(ms: number): number {
  return round2(ms / HOUR_MS);
}

export function ratio(numerator: number, denominator: number | null): number | null {
  return denominator ? round4(numerator / denominator) : null;
}

function byId<T>(list: readonly T[], id: (x: T) => number): T[] {
  return [...list].sort((a, b) => id(a) - id(b));
}

/**
 * Hours to two decimals that add up: each value's exact hours rounded so that their sum is
 * exactly `total` (by default the exact sum, rounded) — the largest-remainder method, used by
 * statistics offices so that a table's rows add up to its total. A value moves by less than
 * 0.01 h from its own rounding, and only when that is needed for the sum.
 */
export function apportion(ms: readonly number[], total: number = hoursOf(ms.reduce((s, v) => s + v, 0))): number[] {
  // In hundredths of an hour.
  return largestRemainder(
    ms.map((v) => v / 36_000),
    Math.round(total * 100),
  ).map((u) => u / 100);
}

const HOUR_FIELDS = ["availableMs", "availableToDateMs", "bookedMs", "bookedAheadMs", "usedMs", "refusedMs", "waitlistMs"] as const;
type HourField = (typeof HOUR_FIELDS)[number];

/**
 * A table's rows and total from its accumulators: every hour column adds up exactly to its total
 * (apportion), whose value is the exact sum rounded (or `totals[field]` when given, so a
 * bucket's rows add up to the bucket's share of the period). Per IKM, rows have no available
 * hours and the total has the facility's (`facility`).
 */
function metricsTable(
  accs: readonly Acc[],
  hasAvailable: boolean,
  facility: FacilityHours,
  totals?: Partial<Record<HourField, number>>,
): { rows: Metrics[]; totals: Metrics } {
  const hours = {} as Record<HourField, number[]>;
  const totalHours = {} as Record<HourField, number>;
  for (const f of HOUR_FIELDS) {
    const ms = accs.map((a) => a[f]);
    totalHours[f] = totals?.[f] ?? hoursOf(ms.reduce((s, v) => s + v, 0));
    hours[f] = apportion(ms, totalHours[f]);
  }
  const rows = accs.map((a, i) =>
    withRates({
      availableHours: hasAvailable ? hours.availableMs[i] : null,
      availableHoursToDate: hasAvailable ? hours.availableToDateMs[i] : null,
      bookedHours: hours.bookedMs[i],
      bookedAheadHours: hours.bookedAheadMs[i],
      usedHours: hours.usedMs[i],
      unmetDemandHours: round2(hours.refusedMs[i] + hours.waitlistMs[i]),
      fees: a.fees,
      bookings: a.bookings,
      completed: a.completed,
      noShows: a.noShows,
      lateCancellations: a.lateCancellations,
      unmetRefusedHours: hours.refusedMs[i],
      unmetWaitlistHours: hours.waitlistMs[i],
      bookingsServed: a.bookingsServed,
    }),
  );
  const sum = (f: (a: Acc) => number) => accs.reduce((s, a) => s + f(a), 0);
  return {
    rows,
    totals: withRates({
      availableHours: hasAvailable ? totalHours.availableMs : facility.availableHours,
      availableHoursToDate: hasAvailable ? totalHours.availableToDateMs : facility.availableHoursToDate,
      bookedHours: totalHours.bookedMs,
      bookedAheadHours: totalHours.bookedAheadMs,
      usedHours: totalHours.usedMs,
      unmetDemandHours: round2(totalHours.refusedMs + totalHours.waitlistMs),
      fees: sum((a) => a.fees),
      bookings: sum((a) => a.bookings),
      completed: sum((a) => a.completed),
      noShows: sum((a) => a.noShows),
      lateCancellations: sum((a) => a.lateCancellations),
      unmetRefusedHours: totalHours.refusedMs,
      unmetWaitlistHours: totalHours.waitlistMs,
      bookingsServed: sum((a) => a.bookingsServed),
    }),
  };
}

type Counts = Omit<Metrics, "bookedUtilization" | "actualUtilization" | "noShowRate" | "lateCancellationRate">;

/** The available hours of the facility: the total of an IKM grouping, whose rows have none. */
export interface FacilityHours {
  availableHours: number | null;
  availableHoursToDate: number | null;
}

function withRates(m: Counts): Metrics {
  return {
    ...m,
    // Planned against all the period's time, what happened against the time up to asOf.
    bookedUtilization: ratio(m.bookedHours, m.availableHours),
    actualUtilization: ratio(m.usedHours, m.availableHoursToDate),
    noShowRate: ratio(m.noShows, m.completed + m.noShows),
    lateCancellationRate: ratio(m.lateCancellations, m.bookings),
  };
}

/**
 * The total of rows: each hour column is the sum of the rows' rounded values, counts add up,
 * rates are recomputed from the sums. `facility` replaces the rows' available hours when given
 * (IKM rows have none; their total is the facility's).
 */
export function sumMetrics(rows: readonly Metrics[], facility?: FacilityHours): Metrics {
  const sum = (f: (m: Metrics) => number) => rows.reduce((s, m) => s + f(m), 0);
  return withRates({
    availableHours: facility ? facility.availableHours : round2(sum((m) => m.availableHours ?? 0)),
    availableHoursToDate: facility ? facility.availableHoursToDate : round2(sum((m) => m.availableHoursToDate ?? 0)),
    bookedHours: round2(sum((m) => m.bookedHours)),
    bookedAheadHours: round2(sum((m) => m.bookedAheadHours)),
    usedHours: round2(sum((m) => m.usedHours)),
    unmetDemandHours: round2(sum((m) => m.unmetDemandHours)),
    fees: sum((m) => m.fees),
    bookings: sum((m) => m.bookings),
    completed: sum((m) => m.completed),
    noShows: sum((m) => m.noShows),
    lateCancellations: sum((m) => m.lateCancellations),
    unmetRefusedHours: round2(sum((m) => m.unmetRefusedHours)),
    unmetWaitlistHours: round2(sum((m) => m.unmetWaitlistHours)),
    bookingsServed: sum((m) => m.bookingsServed),
  });
}

/** Cuts intervals to the period and takes the breaks out of them; then hands each piece on. */
class Cutter {
  private readonly breaks: Interval[];

  constructor(
    readonly period: Interval,
    calendar: FacilityCalendar,
  ) {
    this.breaks = normalize(breakIntervals(period, calendar));
  }

  /** Calls fn for each part of [start, end) inside the period and outside the breaks. */
  each(start: Instant, end: Instant, fn: (s: Instant, e: Instant) => void): void {
    const parts: number[] = [];
    this.into(start, end, parts);
    for (let k = 0; k < parts.length; k += 2) fn(parts[k], parts[k + 1]);
  }

  /** The parts of [start, end) inside the period and outside the breaks, as flat [s, e, s, e, …] in `out`. */
  into(start: Instant, end: Instant, out: number[]): void {
    out.length = 0;
    let s = Math.max(start, this.period.start);
    const e = Math.min(end, this.period.end);
    if (s >= e) return;
    const br = this.breaks;
    // First break ending after s.
    let lo = 0;
    let hi = br.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (br[mid].end <= s) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < br.length && br[i].start < e; i++) {
      if (br[i].start > s) out.push(s, br[i].start);
      s = Math.max(s, br[i].end);
      if (s >= e) return;
    }
    out.push(s, e);
  }

  /** Milliseconds of [start, end) inside the period and outside the breaks. */
  ms(start: Instant, end: Instant): number {
    let total = 0;
    this.each(start, end, (s, e) => {
      total += e - s;
    });
    return total;
  }
}

/** Buckets as sorted edges: bucket i is [edges[i], edges[i + 1]). */
class Edges {
  readonly edges: number[];

  constructor(buckets: readonly Interval[]) {
    this.edges = [...buckets.map((b) => b.start), buckets[buckets.length - 1].end];
  }

  get count(): number {
    return this.edges.length - 1;
  }

  /** The bucket containing t (t must lie in the period). */
  indexOf(t: Instant): number {
    const edges = this.edges;
    let lo = 0;
    let hi = edges.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Calls fn(bucket, ms) for each bucket [s, e) (inside the period) falls in. */
  split(s: Instant, e: Instant, fn: (i: number, ms: number) => void): void {
    let i = this.indexOf(s);
    while (s < e) {
      const bucketEnd = this.edges[i + 1];
      const pieceEnd = e < bucketEnd ? e : bucketEnd;
      fn(i, pieceEnd - s);
      s = pieceEnd;
      i++;
    }
  }
}

interface RowState {
  key: string;
  kind: RowKind;
  id: number;
  label: string;
  /** Sorted by group (type name or IKM name), then rank (an "any machine" row last), then name. */
  sort: [string, number, string];
  accs: Acc[];
}

// ---------------------------------------------------------------------------------------------
// Cells: what the records contribute, per local day, before any grouping

/** The additive fields of a cell (integers: milliseconds, counts, rupiah). */
export const CELL_FIELDS = [
  "availableMs",
  "availableToDateMs",
  "bookedMs",
  "bookedAheadMs",
  "usedMs",
  "bookings",
  "completed",
  "noShows",
  "lateCancellations",
  "refusedMs",
  "waitlistMs",
  "fees",
  "bookingsServed",
] as const;
export type CellField = (typeof CELL_FIELDS)[number];

/**
 * One day's contribution of one machine's records (`machineId` null: waitlist entries for any
 * machine of the type). Records of one machine can carry another type (a refusal keeps the type
 * it asked for), hence the type in the key.
 */
export class MachineCell extends Acc {
  constructor(
    readonly day: number,
    readonly machineId: number | null,
    readonly typeId: number,
  ) {
    super();
  }
}

/** One day's (or, read from the summary, one table bucket's first day's) contribution of one IKM's records; never available time. */
export class IkmCell extends Acc {
  constructor(
    readonly day: number,
    readonly ikmId: number,
  ) {
    super();
  }
}

/**
 * Everything a report is assembled from, by local day (DESIGN.md's per-day summary holds exactly
 * this for whole days): the cells of every machine and of every IKM a record touched (a touched
 * cell may hold only zeros: its row still shows), and per day the heat of each local hour — used
 * time in [0, 24), available time up to asOf in [24, 48).
 */
export interface ReportCells {
  /** The local days of the period, in order. */
  days: Period[];
  machines: MachineCell[];
  ikms: IkmCell[];
  heat: (Float64Array | null)[];
}

/** The local days of a period (each a Period of one date). */
export function daysOf(period: Period, timeZone: string): Period[] {
  const out: Period[] = [];
  const n = periodDays(period.from, period.to);
  let start = period.start;
  for (let i = 0; i < n; i++) {
    const from = addDays(period.from, i);
    const end = i === n - 1 ? period.end : zonedInstant(addDays(from, 1), "00:00", timeZone);
    out.push({ from, to: from, start, end });
    start = end;
  }
  return out;
}

/**
 * The cells of `period` from its records (see ReportData): every figure of computeReport, cut
 * at the period's local midnights instead of its buckets. Cells of adjacent periods concatenate
 * into the cells of their union (the summary relies on it; the property test proves it).
 */
export function accumulate(input: ReportData, period: Period): ReportCells {
  // Records in id order, so nothing depends on the order a database returned them in.
  const data = {
    ...input,
    bookings: byId(input.bookings, (b) => b.id),
    usage: byId(input.usage, (u) => u.bookingId),
    attempts: byId(input.attempts, (a) => a.id),
  };
  const tz = data.calendar.timeZone;
  const cut = new Cutter(period, data.calendar);
  const { asOf, toDateEnd } = cutAt(period, data.now);
  const days = daysOf(period, tz);
  const dayEdges = new Edges(days);
  const machines = new Map(data.machines.map((m) => [m.id, m]));

  const machineCells: Map<number, MachineCell>[] = days.map(() => new Map());
  const ikmCells: Map<number, IkmCell>[] = days.map(() => new Map());
  const heat: (Float64Array | null)[] = days.map(() => null);
  const machineCell = (day: number, machineId: number | null, typeId: number): MachineCell => {
    const key = (machineId ?? 0) * 65_536 + typeId;
    let c = machineCells[day].get(key);
    if (!c) {
      c = new MachineCell(day, machineId, typeId);
      machineCells[day].set(key, c);
    }
    return c;
  };
  const ikmCell = (day: number, ikmId: number): IkmCell => {
    let c = ikmCells[day].get(ikmId);
    if (!c) {
      c = new IkmCell(day, ikmId);
      ikmCells[day].set(ikmId, c);
    }
    return c;
  };
  /** Adds [s, e) to `field` of the machine's (and the IKM's) cells of the days it falls in. */
  const addTime = (field: HourField, s: Instant, e: Instant, machineId: number | null, typeId: number, ikmId: number | null) =>
    dayEdges.split(s, e, (day, ms) => {
      machineCell(day, machineId, typeId)[field] += ms;
      if (ikmId !== null) ikmCell(day, ikmId)[field] += ms;
    });
  /** The cells a record counts in: those of the day containing t. */
  const cellsAt = (t: Instant, machineId: number | null, typeId: number, ikmId: number): [MachineCell, IkmCell] => {
    const day = dayEdges.indexOf(t);
    return [machineCell(day, machineId, typeId), ikmCell(day, ikmId)];
  };
  const addHeat = (row: 0 | 24, s: Instant, e: Instant) => {
    let from = s;
    dayEdges.split(s, e, (day, ms) => {
      let h = heat[day];
      if (!h) {
        h = new Float64Array(48);
        heat[day] = h;
      }
      addHours(h, row, from, ms, tz);
      from += ms;
    });
  };

  // Available time per machine.
  const maintenanceOf = new Map<number, Interval[]>();
  for (const w of data.maintenance) {
    const list = maintenanceOf.get(w.machineId) ?? [];
    list.push({ start: w.start, end: w.end ?? FOREVER });
    maintenanceOf.set(w.machineId, list);
  }
  for (const m of data.machines) {
    for (const piece of availableIntervals(m, period, data.calendar, maintenanceOf.get(m.id) ?? [])) {
      addTime("availableMs", piece.start, piece.end, m.id, m.typeId, null);
      if (piece.start < toDateEnd) {
        const end = Math.min(piece.end, toDateEnd);
        addTime("availableToDateMs", piece.start, end, m.id, m.typeId, null);
        // The heat map shows what happened: used time against the open time up to asOf.
        addHeat(24, piece.start, end);
      }
    }
  }

  // The parts of a record inside the period and outside the breaks, as flat [start, end, …].
  const pieces: number[] = [];

  // Bookings: booked time, and the counts of bookings starting in the period.
  for (const b of data.bookings) {
    const m = machines.get(b.machineId);
    if (!m) continue;
    const inPeriod = b.start >= period.start && b.start < period.end;
    if (BOOKED.has(b.status)) cut.into(b.start, b.end, pieces);
    else pieces.length = 0;
    if (!inPeriod && !pieces.length) continue;
    for (let k = 0; k < pieces.length; k += 2) {
      const ps = pieces[k];
      const pe = pieces[k + 1];
      addTime("bookedMs", ps, pe, m.id, m.typeId, b.ikmId);
      if (pe > asOf) addTime("bookedAheadMs", Math.max(ps, asOf), pe, m.id, m.typeId, b.ikmId);
    }
    if (!inPeriod) continue;
    // Its row shows even when nothing of it counts (a cancelled booking of the period).
    const [mc, ic] = cellsAt(b.start, m.id, m.typeId, b.ikmId);
    // A booking's fate (completed, no-show, cancelled late) counts once its start has passed.
    if (b.start < asOf && !isUndone(b)) {
      for (const a of [mc, ic]) {
        a.bookings++;
        if (b.status === "completed") a.completed++;
        else if (b.status === "no_show") a.noShows++;
        else if (isLateCancellation(b)) a.lateCancellations++;
      }
    }
  }

  // Usage: used time, fees and the service figures.
  for (const u of data.usage) {
    const m = machines.get(u.machineId);
    if (!m) continue;
    const inPeriod = u.start >= period.start && u.start < toDateEnd;
    cut.into(u.start, Math.min(sessionEnd(u, data.now), toDateEnd), pieces);
    for (let k = 0; k < pieces.length; k += 2) {
      addTime("usedMs", pieces[k], pieces[k + 1], m.id, m.typeId, u.ikmId);
      addHeat(0, pieces[k], pieces[k + 1]);
    }
    if (inPeriod) {
      for (const a of cellsAt(u.start, m.id, m.typeId, u.ikmId)) {
        a.fees += u.fee ?? 0;
        a.bookingsServed++;
      }
    }
  }

  // Unmet demand: refused requests not followed by a booking, and expired waitlist entries.
  for (const piece of unmetRefusals(data, { start: period.start, end: toDateEnd })) {
    const { machineId, typeId, ikmId } = piece.attempt;
    // Its row shows even when all of it falls in a break.
    cellsAt(piece.start, machineId, typeId, ikmId);
    cut.each(piece.start, piece.end, (ps, pe) => addTime("refusedMs", ps, pe, machineId, typeId, ikmId));
  }
  for (const w of data.waitlist) {
    if (w.earliestStart < period.start || w.earliestStart >= toDateEnd) continue;
    const ms = w.durationMinutes * MINUTE_MS;
    for (const a of cellsAt(w.earliestStart, w.machineId, w.typeId, w.ikmId)) a.waitlistMs += ms;
  }

  return {
    days,
    machines: machineCells.flatMap((m) => [...m.values()]),
    ikms: ikmCells.flatMap((m) => [...m.values()]),
    heat,
  };
}

/** Adds `ms` from `s` on to the local hours of a day's heat (row 0: used, 24: available). */
function addHours(target: Float64Array, row: 0 | 24, s: Instant, ms: number, timeZone: string): void {
  const e = s + ms;
  // No zone changes its offset twice within a day: one offset at both ends holds throughout.
  const offset = offsetMinutes(s, timeZone);
  const fixed = offsetMinutes(e - 1, timeZone) === offset;
  while (s < e) {
    const local = s + (fixed ? offset : offsetMinutes(s, timeZone)) * MINUTE_MS;
    const hours = Math.floor(local / HOUR_MS);
    const next = Math.min(e, s + ((hours + 1) * HOUR_MS - local));
    target[row + (hours - Math.floor(hours / 24) * 24)] += next - s;
    s = next;
  }
}

/** What a report shows besides its cells: the names and the zone. */
export interface ReportMeta {
  now: Instant;
  timeZone: string;
  machines: readonly ReportMachine[];
  types: readonly ReportType[];
  ikms: readonly ReportIkm[];
}

// ---------------------------------------------------------------------------------------------
// The report

export function computeReport(input: ReportData, options: ReportOptions): Report {
  const meta = { now: input.now, timeZone: input.calendar.timeZone, machines: input.machines, types: input.types, ikms: input.ikms };
  return assembleReport(accumulate(input, options.period), meta, options);
}

/** The report of `options` from the cells of its period (computed, or read from the summary). */
export function assembleReport(cells: ReportCells, meta: ReportMeta, options: ReportOptions): Report {
  const { period, groupBy } = options;
  const tz = meta.timeZone;
  const { asOf } = cutAt(period, meta.now);
  const tableBuckets = bucketsOf(period, options.bucket, tz);
  const table = new Edges(tableBuckets);
  const chartKind = options.bucket === "none" ? autoBucket(period) : options.bucket;
  const chartBuckets = options.bucket === "none" ? bucketsOf(period, chartKind, tz) : tableBuckets;
  const chart = new Edges(chartBuckets);
  // Buckets are whole local days: each day lies in one table bucket and one chart bucket.
  const tableOf = cells.days.map((d) => table.indexOf(d.start));
  const chartOf = cells.days.map((d) => chart.indexOf(d.start));

  const machines = new Map(meta.machines.map((m) => [m.id, m]));
  const types = new Map(meta.types.map((t) => [t.id, t]));
  const ikmNames = new Map(meta.ikms.map((i) => [i.id, i.name]));
  const newAccs = (n: number) => Array.from({ length: n }, () => new Acc());

  // Rows of the table, per bucket: one map per kind, keyed by id.
  const rowMaps: Record<RowKind, Map<number, RowState>> = { machine: new Map(), type: new Map(), ikm: new Map(), anyMachine: new Map() };
  const row = (kind: RowKind, id: number): RowState => {
    const map = rowMaps[kind];
    let r = map.get(id);
    if (!r) {
      r = { ...describeRow(kind, id, machines, types, ikmNames), accs: newAccs(table.count) };
      map.set(id, r);
    }
    return r;
  };
  /** The facility's available time per bucket (the total of an IKM grouping). */
  const facility = newAccs(table.count);
  const series = new Map<number, Acc[]>();
  const unmet = new Map<number, { refusedMs: number; waitlistMs: number }>();
  for (const c of cells.machines) {
    if (groupBy === "ikm") {
      facility[tableOf[c.day]].availableMs += c.availableMs;
      facility[tableOf[c.day]].availableToDateMs += c.availableToDateMs;
    } else {
      const r = groupBy === "type" ? row("type", c.typeId) : c.machineId === null ? row("anyMachine", c.typeId) : row("machine", c.machineId);
      r.accs[tableOf[c.day]].addAll(c);
    }
    if (c.availableMs > 0 || c.bookedMs > 0 || c.usedMs > 0) {
      let s = series.get(c.typeId);
      if (!s) {
        s = newAccs(chart.count);
        series.set(c.typeId, s);
      }
      const p = s[chartOf[c.day]];
      p.availableMs += c.availableMs;
      p.availableToDateMs += c.availableToDateMs;
      p.bookedMs += c.bookedMs;
      p.bookedAheadMs += c.bookedAheadMs;
      p.usedMs += c.usedMs;
    }
    if (c.refusedMs > 0 || c.waitlistMs > 0) {
      const u = unmet.get(c.typeId) ?? { refusedMs: 0, waitlistMs: 0 };
      u.refusedMs += c.refusedMs;
      u.waitlistMs += c.waitlistMs;
      unmet.set(c.typeId, u);
    }
  }
  const ikmTotals = new Map<number, { usedMs: number; fees: number }>();
  const servedIkms = new Set<number>();
  for (const c of cells.ikms) {
    if (groupBy === "ikm") row("ikm", c.ikmId).accs[tableOf[c.day]].addAll(c);
    const t = ikmTotals.get(c.ikmId) ?? { usedMs: 0, fees: 0 };
    t.usedMs += c.usedMs;
    t.fees += c.fees;
    ikmTotals.set(c.ikmId, t);
    if (c.bookingsServed > 0) servedIkms.add(c.ikmId);
  }
  const heat = { used: new Float64Array(8 * 24), available: new Float64Array(8 * 24) };
  cells.heat.forEach((h, day) => {
    if (!h) return;
    const weekday = ((((dayNumber(cells.days[day].from) + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
    for (let hour = 0; hour < 24; hour++) {
      heat.used[weekday * 24 + hour] += h[hour];
      heat.available[weekday * 24 + hour] += h[24 + hour];
    }
  });

  // Rows, in order, per bucket and for the whole period.
  const ordered = Object.values(rowMaps)
    .flatMap((map) => [...map.values()])
    .sort(
    // The key last, so the order (and with it how apportion breaks ties) never depends on the order records arrived in.
    (a, b) => a.sort[0].localeCompare(b.sort[0], "id") || a.sort[1] - b.sort[1] || a.sort[2].localeCompare(b.sort[2], "id") || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const hasAvailable = groupBy !== "ikm";
  const toRow = (r: RowState, m: Metrics): ReportRow => ({ key: r.key, kind: r.kind, id: r.id, label: r.label, ...m });
  const facilityMs = (accs: Acc[]) => accs.reduce((s, a) => s + a.availableMs, 0);
  const wholes = ordered.map((r) => {
    const whole = new Acc();
    for (const a of r.accs) whole.addAll(a);
    return whole;
  });
  const whole = metricsTable(wholes, hasAvailable, {
    availableHours: hoursOf(facilityMs(facility)),
    availableHoursToDate: hoursOf(facility.reduce((s, a) => s + a.availableToDateMs, 0)),
  });
  const periodRows = ordered.map((r, i) => toRow(r, whole.rows[i]));
  const totals = whole.totals;
  // Each bucket's total is its share of the period's (so the buckets add up), its rows add up to it.
  const bucketAccs = tableBuckets.map((_, i) => ordered.map((r) => r.accs[i]));
  const bucketShares = Object.fromEntries(
    HOUR_FIELDS.map((f) => [f, apportion(bucketAccs.map((accs) => accs.reduce((s, a) => s + a[f], 0)))]),
  ) as Record<HourField, number[]>;
  const facilityShares = apportion(facility.map((a) => a.availableMs));
  const facilityToDateShares = apportion(facility.map((a) => a.availableToDateMs));
  const buckets = tableBuckets.map((bucket, i) => {
    const share = Object.fromEntries(HOUR_FIELDS.map((f) => [f, bucketShares[f][i]])) as Record<HourField, number>;
    const t = metricsTable(bucketAccs[i], hasAvailable, { availableHours: facilityShares[i], availableHoursToDate: facilityToDateShares[i] }, share);
    return { bucket, rows: ordered.map((r, k) => toRow(r, t.rows[k])), totals: t.totals };
  });

  return {
    period,
    asOf,
    timeZone: tz,
    groupBy,
    bucket: options.bucket,
    rows: periodRows,
    totals,
    buckets,
    service: {
      ikmsServed: servedIkms.size,
      bookingsServed: totals.bookingsServed,
      hoursServed: totals.usedHours,
      fees: totals.fees,
    },
    charts: {
      bucket: chartKind,
      buckets: chartBuckets,
      utilization: utilizationSeries(series, types),
      heatmap: heatmapOf(heat),
      ikms: ikmFigures(ikmTotals, ikmNames),
      unmetByType: unmetFigures(meta.types, unmet),
    },
  };
}

/** Every IKM with used time or fees, most used hours first; hours add up to the used total. */
function ikmFigures(totals: Map<number, { usedMs: number; fees: number }>, names: Map<number, string>): IkmFigure[] {
  // In IKM id order, so how apportion breaks ties never depends on the order records came in.
  const list = [...totals.entries()].filter(([, t]) => t.usedMs > 0 || t.fees > 0).sort((a, b) => a[0] - b[0]);
  const hours = apportion(list.map(([, t]) => t.usedMs));
  return list
    .map(([id, t], i) => ({ id, label: names.get(id) ?? `#${id}`, usedHours: hours[i], fees: t.fees }))
    .sort((a, b) => b.usedHours - a.usedHours || b.fees - a.fees || a.label.localeCompare(b.label, "id"));
}

/** Unmet demand of every machine type, most first; each column adds up to the report's total. */
function unmetFigures(types: readonly ReportType[], unmet: Map<number, { refusedMs: number; waitlistMs: number }>): UnmetFigure[] {
  const of = (t: ReportType) => unmet.get(t.id) ?? { refusedMs: 0, waitlistMs: 0 };
  const refused = apportion(types.map((t) => of(t).refusedMs));
  const waitlist = apportion(types.map((t) => of(t).waitlistMs));
  return types
    .map((t, i) => ({ id: t.id, label: t.name, refusedHours: refused[i], waitlistHours: waitlist[i], totalHours: round2(refused[i] + waitlist[i]) }))
    .sort((a, b) => b.totalHours - a.totalHours || a.label.localeCompare(b.label, "id"));
}

function describeRow(
  kind: RowKind,
  id: number,
  machines: Map<number, ReportMachine>,
  types: Map<number, ReportType>,
  ikms: Map<number, string>,
): Omit<RowState, "accs"> {
  if (kind === "ikm") {
    const label = ikms.get(id) ?? `#${id}`;
    return { key: String(id), kind, id, label, sort: [label, 0, ""] };
  }
  if (kind === "machine") {
    const m = machines.get(id);
    const t = m ? types.get(m.typeId) : undefined;
    return {
      key: m?.code ?? String(id),
      kind,
      id,
      label: m ? `${m.code} · ${m.name}` : `#${id}`,
      sort: [t?.name ?? "", 0, m?.code ?? String(id)],
    };
  }
  const t = types.get(id);
  const code = t?.code ?? String(id);
  const name = t?.name ?? `#${id}`;
  return kind === "type"
    ? { key: code, kind, id, label: name, sort: [name, 0, ""] }
    : { key: `${code}:*`, kind, id, label: name, sort: [name, 1, ""] };
}

/** The machine's open time in the period, within its life, less maintenance. */
export function availableIntervals(
  m: ReportMachine,
  period: Interval,
  calendar: FacilityCalendar,
  maintenance: readonly Interval[],
): Interval[] {
  const life = { start: Math.max(period.start, m.availableFrom), end: Math.min(period.end, m.availableUntil ?? FOREVER) };
  if (life.start >= life.end) return [];
  const open = openIntervals(life, calendar, m.hours);
  return maintenance.length ? subtract(open, clip(maintenance, life)) : open;
}

/** Cancelled within seconds of being made (UNDO_MS): as if never booked, so not counted among the bookings at all. */
export function isUndone(b: Pick<ReportBooking, "status" | "createdAt" | "cancelledAt">): boolean {
  return b.status === "cancelled" && b.cancelledAt !== null && isUndo(b.createdAt, b.cancelledAt);
}

export function isLateCancellation(b: Pick<ReportBooking, "status" | "start" | "createdAt" | "cancelledAt">): boolean {
  return b.status === "cancelled" && b.cancelledAt !== null && lateIfCancelledAt(b, b.cancelledAt);
}

/** The end of a usage session: its check-out, or (still running) now, at most the booking's end. */
export function sessionEnd(u: Pick<ReportUsage, "start" | "end" | "bookingEnd">, now: Instant): Instant {
  if (u.end !== null) return u.end;
  return Math.max(u.start, Math.min(now, u.bookingEnd));
}

/**
 * The parts of capacity-refused requests that count as unmet demand (before the breaks are
 * taken out): each unmet request's time inside the period not already counted for an earlier
 * refusal of the same IKM and machine type.
 */
export function unmetRefusals(data: ReportData, period: Interval): (Interval & { attempt: ReportAttempt })[] {
  const refused = data.attempts.filter((a) => a.end > period.start && a.start < period.end && isCapacityRefusal(a.codes));
  if (!refused.length) return [];
  const keyOf = (ikmId: number, typeId: number) => ikmId * 65536 + typeId;
  const wanted = new Set(refused.map((a) => keyOf(a.ikmId, a.typeId)));
  const typeOf = new Map(data.machines.map((m) => [m.id, m.typeId]));
  const ikms = new Set(refused.map((a) => a.ikmId));

  // Later bookings of the same IKMs and types, by start.
  const later = new Map<number, ReportBooking[]>();
  for (const b of data.bookings) {
    if (!ikms.has(b.ikmId) || !BOOKED.has(b.status)) continue;
    const typeId = typeOf.get(b.machineId);
    if (typeId === undefined) continue;
    const key = keyOf(b.ikmId, typeId);
    if (!wanted.has(key)) continue;
    const list = later.get(key);
    if (list) list.push(b);
    else later.set(key, [b]);
  }
  for (const list of later.values()) list.sort((a, b) => a.start - b.start);
  const waitlisted = new Map<number, ReportWaitlist[]>();
  for (const w of data.waitlist) {
    const key = keyOf(w.ikmId, w.typeId);
    if (!wanted.has(key)) continue;
    const list = waitlisted.get(key);
    if (list) list.push(w);
    else waitlisted.set(key, [w]);
  }

  const unmetByKey = new Map<number, ReportAttempt[]>();
  for (const a of refused) {
    const key = keyOf(a.ikmId, a.typeId);
    if (bookedAfter(later.get(key), a)) continue;
    if (waitlisted.get(key)?.some((w) => w.createdAt >= a.createdAt && w.earliestStart < a.end && w.latestEnd > a.start)) continue;
    const list = unmetByKey.get(key);
    if (list) list.push(a);
    else unmetByKey.set(key, [a]);
  }

  const out: (Interval & { attempt: ReportAttempt })[] = [];
  for (const list of unmetByKey.values()) {
    list.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
    let counted: Interval[] = [];
    for (const a of list) {
      const piece = { start: Math.max(a.start, period.start), end: Math.min(a.end, period.end) };
      if (piece.start >= piece.end) continue;
      for (const fresh of subtract([piece], counted)) out.push({ ...fresh, attempt: a });
      counted = normalize([...counted, piece]);
    }
  }
  return out;
}

/** A booking made at or after the refusal, starting between it and 7 days after the requested start. */
function bookedAfter(sorted: readonly ReportBooking[] | undefined, a: ReportAttempt): boolean {
  if (!sorted) return false;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start < a.createdAt) lo = mid + 1;
    else hi = mid;
  }
  const until = a.start + FOLLOW_UP_MS;
  for (let i = lo; i < sorted.length && sorted[i].start < until; i++) {
    if (sorted[i].createdAt >= a.createdAt) return true;
  }
  return false;
}

function utilizationSeries(series: Map<number, Acc[]>, types: Map<number, ReportType>): Report["charts"]["utilization"] {
  const point = (a: Acc): SeriesPoint => {
    const availableHours = hoursOf(a.availableMs);
    const availableHoursToDate = hoursOf(a.availableToDateMs);
    const bookedHours = hoursOf(a.bookedMs);
    const usedHours = hoursOf(a.usedMs);
    return {
      availableHours,
      availableHoursToDate,
      bookedHours,
      bookedAheadHours: hoursOf(a.bookedAheadMs),
      usedHours,
      bookedUtilization: ratio(bookedHours, availableHours),
      actualUtilization: ratio(usedHours, availableHoursToDate),
    };
  };
  return [...series.entries()]
    .map(([id, accs]) => {
      const t = types.get(id);
      const points = accs.map(point);
      const sum = (f: (p: SeriesPoint) => number) => round2(points.reduce((s, p) => s + f(p), 0));
      const availableHours = sum((p) => p.availableHours);
      const availableHoursToDate = sum((p) => p.availableHoursToDate);
      const bookedHours = sum((p) => p.bookedHours);
      const usedHours = sum((p) => p.usedHours);
      return {
        id,
        code: t?.code ?? String(id),
        label: t?.name ?? `#${id}`,
        points,
        total: {
          availableHours,
          availableHoursToDate,
          bookedHours,
          bookedAheadHours: sum((p) => p.bookedAheadHours),
          usedHours,
          bookedUtilization: ratio(bookedHours, availableHours),
          actualUtilization: ratio(usedHours, availableHoursToDate),
        },
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label, "id"));
}

function heatmapOf(heat: { used: Float64Array; available: Float64Array }): Report["charts"]["heatmap"] {
  const weekdays: number[] = [];
  const hourSet = new Set<number>();
  for (let d = 1; d <= 7; d++) {
    let any = false;
    for (let h = 0; h < 24; h++) {
      if (heat.used[d * 24 + h] > 0 || heat.available[d * 24 + h] > 0) {
        any = true;
        hourSet.add(h);
      }
    }
    if (any) weekdays.push(d);
  }
  const hours = hourSet.size ? range(Math.min(...hourSet), Math.max(...hourSet)) : [];
  const cells: HeatCell[] = [];
  for (const weekday of weekdays) {
    for (const hour of hours) {
      const usedHours = hoursOf(heat.used[weekday * 24 + hour]);
      const availableHours = hoursOf(heat.available[weekday * 24 + hour]);
      cells.push({ weekday, hour, usedHours, availableHours, utilization: ratio(usedHours, availableHours) });
    }
  }
  return { weekdays, hours, cells };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------------
// Drill-down: the bookings behind a row

export interface BookingLine {
  id: number;
  machineId: number;
  ikmId: number;
  start: Instant;
  end: Instant;
  status: BookingStatus;
  /** Booked hours inside the period (0 for cancelled and rejected bookings). */
  bookedHours: number;
  /** Used hours inside the period. */
  usedHours: number;
  /** The fee counted in this period (its usage started in it), else null. */
  fee: number | null;
  /** The booking starts in the period. */
  startsInPeriod: boolean;
  /** It starts at or after the report's asOf: planned, not yet happened (not in the rates). */
  ahead: boolean;
  lateCancellation: boolean;
}

export interface LineFilter {
  machineId?: number;
  typeId?: number;
  ikmId?: number;
}

/**
 * The bookings behind a row's numbers: every booking of the machine, type or IKM that has booked
 * or used time in the period, starts in it, or has its fee counted in it; by start.
 */
export function bookingLines(
  data: ReportData,
  period: Interval,
  filter: LineFilter,
  /** The report row's figures: the lines' hours are rounded to add up to them exactly. */
  row?: { bookedHours: number; usedHours: number } | null,
): BookingLine[] {
  const cut = new Cutter(period, data.calendar);
  const { asOf, toDateEnd } = cutAt(period, data.now);
  const machines = new Map(data.machines.map((m) => [m.id, m]));
  const matches = (machineId: number, ikmId: number) => {
    if (filter.machineId !== undefined && machineId !== filter.machineId) return false;
    if (filter.ikmId !== undefined && ikmId !== filter.ikmId) return false;
    if (filter.typeId !== undefined && machines.get(machineId)?.typeId !== filter.typeId) return false;
    return machines.has(machineId);
  };
  const usageOf = new Map<number, ReportUsage>();
  for (const u of data.usage) usageOf.set(u.bookingId, u);
  const lines: BookingLine[] = [];
  const bookedMs: number[] = [];
  const usedMs: number[] = [];
  for (const b of data.bookings) {
    if (!matches(b.machineId, b.ikmId)) continue;
    const u = usageOf.get(b.id);
    const booked = BOOKED.has(b.status) ? cut.ms(b.start, b.end) : 0;
    const used = u ? cut.ms(u.start, Math.min(sessionEnd(u, data.now), toDateEnd)) : 0;
    const feeCounted = !!u && u.start >= period.start && u.start < toDateEnd;
    const startsInPeriod = b.start >= period.start && b.start < period.end;
    if (!booked && !used && !feeCounted && !startsInPeriod) continue;
    bookedMs.push(booked);
    usedMs.push(used);
    lines.push({
      id: b.id,
      machineId: b.machineId,
      ikmId: b.ikmId,
      start: b.start,
      end: b.end,
      status: b.status,
      bookedHours: 0,
      usedHours: 0,
      fee: feeCounted ? (u.fee ?? 0) : null,
      startsInPeriod,
      ahead: b.start >= asOf,
      lateCancellation: startsInPeriod && b.start < asOf && isLateCancellation(b),
    });
  }
  // Round so the lines add up to the row (when they are all of it: the same hours to 0.01).
  const target = (ms: number[], shown: number | undefined) => {
    const exact = hoursOf(ms.reduce((s, v) => s + v, 0));
    return shown !== undefined && Math.abs(shown - exact) < 0.015 ? shown : exact;
  };
  const booked = apportion(bookedMs, target(bookedMs, row?.bookedHours));
  const used = apportion(usedMs, target(usedMs, row?.usedHours));
  lines.forEach((l, i) => {
    l.bookedHours = booked[i];
    l.usedHours = used[i];
  });
  return lines.sort((a, b) => a.start - b.start || a.id - b.id);
}
