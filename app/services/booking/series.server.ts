/**
 * Recurring bookings: a weekly series (e.g. every Tuesday 08.00–12.00 for 8 weeks) decided
 * occurrence by occurrence, in date order, with the same engine and rules as a single booking.
 * Earlier fitting occurrences count for the later ones (quotas, active bookings) both in the
 * preview (checkBooking with `assume`) and when booking (each occurrence through requestBooking,
 * which sees the ones written before it).
 */
import { type Db, immediate } from "#db/connection";
import type { Booking } from "#db/schema";
import { getMachine, loadFacility } from "~/models/scheduling.server";
import { type Interval, type OperatorMode, type Violation, effectiveAssisted, localDay, zonedInstant } from "~/scheduling";
import { can, canSeeIkmRecord, isStaff } from "~/utils/permissions";
import { audit } from "../audit.server";
import { type AssumedBooking, type BookingCheck, cancelBooking, checkBooking, requestBooking } from "./commands.server";
import type { BookingRequestInput, Ctx } from "./decision-input.server";
import { ServiceError, notFound } from "../errors.server";

export const MAX_SERIES_WEEKS = 12;

export interface SeriesRequest extends BookingRequestInput {
  weeks: number;
}

export interface PlannedOccurrence extends Interval {
  date: string;
  check: BookingCheck;
}

export interface SeriesPlan {
  occurrences: PlannedOccurrence[];
  fitting: number;
}

export interface BookedOccurrence extends Interval {
  date: string;
  ok: boolean;
  booking: Booking | null;
  violations: Violation[];
  feeEstimate: number;
}

function addDays(dateKey: string, days: number): string {
  const [y, m, d] = dateKey.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The weekly occurrences of [start, end): the same local time on the same weekday, `weeks` times. */
export function weeklyOccurrences(start: number, end: number, weeks: number, timeZone: string): Array<Interval & { date: string }> {
  const day = localDay(start, timeZone);
  const minutes = Math.round((start - day.start) / 60_000);
  const duration = end - start;
  return Array.from({ length: weeks }, (_, i) => {
    const date = addDays(day.key, 7 * i);
    const s = zonedInstant(date, hhmm(minutes), timeZone);
    return { date, start: s, end: s + duration };
  });
}

function validWeeks(weeks: number): void {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_SERIES_WEEKS) throw new ServiceError("invalid", "ikm.form.error.weeks", { field: "weeks" });
}

/** Decide every occurrence without writing anything: which dates are free, which are refused and why. */
export async function checkSeries(db: Db, ctx: Ctx, req: SeriesRequest): Promise<SeriesPlan> {
  validWeeks(req.weeks);
  const machine = await getMachine(db, req.machineId);
  if (!machine) throw notFound();
  const facility = await loadFacility(db);
  const assisted = effectiveAssisted(machine.operator_mode as OperatorMode, !!req.assisted);
  const assume: AssumedBooking[] = [];
  const occurrences: PlannedOccurrence[] = [];
  for (const occ of weeklyOccurrences(req.start, req.end, req.weeks, facility.time_zone)) {
    const check = await checkBooking(db, ctx, { ...req, start: occ.start, end: occ.end }, assume);
    if (check.ok) assume.push({ machineId: machine.id, typeId: machine.type_id, start: occ.start, end: occ.end, assisted });
    occurrences.push({ ...occ, check });
  }
  return { occurrences, fitting: occurrences.filter((o) => o.check.ok).length };
}

/**
 * Book a series: a booking_series row and one booking per fitting occurrence, each decided by
 * requestBooking in date order (a refused date is recorded like any refused request). Nothing
 * is written when no date fits.
 */
export async function bookSeries(db: Db, ctx: Ctx, req: SeriesRequest): Promise<{ seriesId: number | null; occurrences: BookedOccurrence[] }> {
  const plan = await checkSeries(db, ctx, req);
  if (plan.fitting === 0) {
    return {
      seriesId: null,
      occurrences: plan.occurrences.map((o) => ({ date: o.date, start: o.start, end: o.end, ok: false, booking: null, violations: o.check.violations, feeEstimate: o.check.feeEstimate })),
    };
  }
  const ikmId = can(ctx.user, "booking:own") ? (ctx.user.ikmId as number) : (req.ikmId as number);
  const series = await immediate(db, async (trx) => {
    const row = await trx
      .insertInto("booking_series")
      .values({
        ikm_id: ikmId,
        machine_id: req.machineId,
        created_by: ctx.user.id,
        first_start: req.start,
        duration_minutes: Math.round((req.end - req.start) / 60_000),
        weeks: req.weeks,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "series.create", entity: "booking_series", entityId: row.id, after: row, requestId: ctx.requestId, at: ctx.now });
    return row;
  });
  const occurrences: BookedOccurrence[] = [];
  for (const o of plan.occurrences) {
    const out = await requestBooking(db, ctx, { ...req, start: o.start, end: o.end, seriesId: series.id });
    occurrences.push(
      out.ok
        ? { date: o.date, start: o.start, end: o.end, ok: true, booking: out.booking, violations: [], feeEstimate: out.feeEstimate }
        : { date: o.date, start: o.start, end: o.end, ok: false, booking: null, violations: out.violations, feeEstimate: o.check.feeEstimate },
    );
  }
  return { seriesId: series.id, occurrences };
}

/** A series the user may see (its IKM, or staff), with its bookings in date order; null otherwise. */
export async function getVisibleSeries(db: Db, user: Ctx["user"], id: number) {
  const series = await db
    .selectFrom("booking_series")
    .innerJoin("machines", "machines.id", "booking_series.machine_id")
    .innerJoin("ikms", "ikms.id", "booking_series.ikm_id")
    .selectAll("booking_series")
    .select(["machines.code as machine_code", "machines.name as machine_name", "ikms.name as ikm_name"])
    .where("booking_series.id", "=", id)
    .executeTakeFirst();
  if (!series || !canSeeIkmRecord(user, series.ikm_id)) return null;
  const bookings = await db
    .selectFrom("bookings")
    .selectAll()
    .where("series_id", "=", id)
    .orderBy("start_at")
    .orderBy("id")
    .execute();
  return { ...series, ikm_name: isStaff(user) ? series.ikm_name : null, bookings };
}

/** The occurrences a cancellation from `fromDate` (facility-local) would cancel: future, still pending or confirmed. */
export async function seriesCancellable(db: Db, ctx: Ctx, seriesId: number, fromDate: string): Promise<Booking[]> {
  const series = await getVisibleSeries(db, ctx.user, seriesId);
  if (!series) throw notFound();
  const facility = await loadFacility(db);
  let from: number;
  try {
    from = zonedInstant(fromDate, "00:00", facility.time_zone);
  } catch {
    throw new ServiceError("invalid", "ikm.form.error.date", { field: "from" });
  }
  return series.bookings.filter((b) => Number(b.start_at) >= from && Number(b.start_at) > ctx.now && (b.status === "pending" || b.status === "confirmed"));
}

/** Cancel every future occurrence of the series from a date on, each through cancelBooking (late ones are flagged there). */
export async function cancelSeriesFrom(db: Db, ctx: Ctx, seriesId: number, fromDate: string): Promise<Booking[]> {
  const targets = await seriesCancellable(db, ctx, seriesId, fromDate);
  const cancelled: Booking[] = [];
  for (const b of targets) cancelled.push(await cancelBooking(db, ctx, b.id));
  return cancelled;
}
