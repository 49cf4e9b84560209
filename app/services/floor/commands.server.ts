/**
 * The shop floor: check-in and check-out with the real usage and its fee, no-shows (and the
 * restriction they lead to), usage corrections, logbook backfill and walk-ins, and the day's
 * board. Every write is one immediate transaction with an audit event; fees and restrictions
 * come from the engine (computeFee, restrictionUntil), never from rules written here.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, Facility, Machine, UsageRecord } from "#db/schema";
import { translate } from "~/i18n";
import { formatDateLong, formatRupiah, formatTime, formatTimeRange } from "~/i18n/format";
import {
  type Alternative,
  DAY_MS,
  type FacilityCalendar,
  MINUTE_MS,
  type Violation,
  breakIntervals,
  ceilToSlot,
  computeFee,
  dayRange,
  floorToSlot,
  localDateKey,
  restrictionUntil,
  zonedInstant,
} from "~/scheduling";
import {
  completedOverlapping,
  dayBookings,
  floorMachines,
  getFloorBooking,
  maintenanceAround,
  noShowInstants,
} from "~/models/floor.server";
import { getMachine, loadCalendar, loadFacility, tariffAt } from "~/models/scheduling.server";
import { can } from "~/utils/permissions";
import { audit } from "../audit.server";
import { type Ctx, approveBooking, requestBooking, slotFreed } from "../booking/commands.server";
import { ServiceError, notFound } from "../errors.server";
import { telLink, waLink } from "./contact.server";
import { openBreakdown } from "./maintenance.server";
import { notifyIkm } from "../messaging/notify.server";
import { usageOf } from "~/models/booking.server";

/** The operator name stored when the unit's own operator runs the machine. */
export const UNIT_OPERATOR_NAME = "Operator UPTD";
export { telLink, waLink, waPhone } from "./contact.server";

function requireFloor(ctx: Ctx): void {
  if (!can(ctx.user, "floor:operate")) throw new ServiceError("forbidden", "error.forbidden.title");
}

function invalid(key: string, field: string, params: Record<string, string | number> = {}): ServiceError {
  return new ServiceError("invalid", key, { field, params });
}

async function lockBooking(trx: DbOrTx, id: number): Promise<Booking> {
  const b = await trx.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirst();
  if (!b) throw notFound();
  return b;
}


// ---------------------------------------------------------------------------------------------
// Fees

export interface FeeBreakdown {
  start: number;
  end: number;
  /** Minutes of the session minus breaks. */
  actualMinutes: number;
  /** Break minutes inside the session (not billed). */
  breakMinutes: number;
  billableMinutes: number;
  incrementMinutes: number;
  hourlyRate: number;
  fee: number;
}

function incrementOf(machine: Machine, facility: Facility): number {
  return machine.billing_increment_minutes ?? facility.billing_increment_minutes;
}

/** The engine's fee for a session at a given hourly rate (breaks of the session's day excluded). */
export function feeWithRate(machine: Machine, facility: Facility, calendar: FacilityCalendar, start: number, end: number, hourlyRate: number): FeeBreakdown {
  const breaks = breakIntervals({ start, end }, calendar);
  const fee = computeFee({ actualStart: start, actualEnd: end, billingIncrementMinutes: incrementOf(machine, facility), hourlyRate, breaks });
  const sessionMinutes = Math.round(Math.max(0, end - start) / MINUTE_MS);
  return {
    start,
    end,
    actualMinutes: fee.actualMinutes,
    breakMinutes: Math.max(0, sessionMinutes - fee.actualMinutes),
    billableMinutes: fee.billableMinutes,
    incrementMinutes: incrementOf(machine, facility),
    hourlyRate,
    fee: fee.fee,
  };
}

/** The fee with the tariff in force at the actual start. */
async function feeAtTariff(db: DbOrTx, machine: Machine, facility: Facility, calendar: FacilityCalendar, start: number, end: number): Promise<FeeBreakdown> {
  const rate = await tariffAt(db, machine.id, start, facility);
  return feeWithRate(machine, facility, calendar, start, end, rate);
}

// ---------------------------------------------------------------------------------------------
// Local times on the floor

/** The instant a facility-local "HH:mm" shows on the local day of `dayOf`. */
export function localTimeOn(dayOf: number, time: string, timeZone: string): number {
  return zonedInstant(localDateKey(dayOf, timeZone), time, timeZone);
}

/** "HH:mm" of an instant in the facility zone (for <input type="time">). */
export function inputTime(instant: number, timeZone: string): string {
  return formatTime(instant, "en", timeZone);
}

// ---------------------------------------------------------------------------------------------
// Check-in

export interface CheckInInput {
  at?: number;
  operatorName?: string;
  operatorKind?: "ikm" | "unit";
}

async function defaultOperatorName(trx: DbOrTx, b: Booking, kind: "ikm" | "unit"): Promise<string> {
  if (kind === "unit") return UNIT_OPERATOR_NAME;
  const who = await trx
    .selectFrom("users")
    .innerJoin("ikms", "ikms.id", "users.ikm_id")
    .select(["users.name", "users.role", "users.ikm_id"])
    .where("users.id", "=", b.booked_by)
    .executeTakeFirst();
  if (who && who.role === "ikm" && who.ikm_id === b.ikm_id) return who.name;
  const ikm = await trx.selectFrom("ikms").select("owner_name").where("id", "=", b.ikm_id).executeTakeFirstOrThrow();
  return ikm.owner_name;
}

/** An open breakdown or a maintenance window of the machine covering the instant. */
function maintenanceAt(trx: DbOrTx, machineId: number, at: number) {
  return trx
    .selectFrom("maintenance_windows")
    .select(["id", "kind"])
    .where("machine_id", "=", machineId)
    .where("start_at", "<=", at)
    .where((eb) => eb.or([eb("end_at", "is", null), eb("end_at", ">", at)]))
    .executeTakeFirst();
}

/** Check a confirmed booking in: the actual start (default now) and who operates the machine. */
export async function checkIn(db: Db, ctx: Ctx, id: number, input: CheckInInput = {}): Promise<{ booking: Booking; usage: UsageRecord }> {
  requireFloor(ctx);
  return immediate(db, async (trx) => {
    const before = await lockBooking(trx, id);
    if (before.status === "pending") throw new ServiceError("invalid_state", "floor.error.notApproved");
    if (before.status !== "confirmed") throw new ServiceError("invalid_state", "floor.error.notCheckInable");
    const facility = await loadFacility(trx);
    const tz = facility.time_zone;
    const at = input.at ?? ctx.now;
    if (at > ctx.now) throw invalid("floor.error.startInFuture", "at");
    if (at < dayRange(Number(before.start_at), tz).start) throw invalid("floor.error.startOtherDay", "at");
    if (at >= Number(before.end_at)) throw invalid("floor.error.startAfterEnd", "at", { end: formatTime(Number(before.end_at), "id", tz) });
    if (await maintenanceAt(trx, before.machine_id, at)) throw new ServiceError("invalid_state", "floor.error.machineDown");
    const kind = input.operatorKind ?? (before.assisted ? "unit" : "ikm");
    const operatorName = input.operatorName?.trim() || (await defaultOperatorName(trx, before, kind));
    const usage = await trx
      .insertInto("usage_records")
      .values({
        booking_id: id,
        actual_start: at,
        actual_end: null,
        operator_name: operatorName,
        operator_kind: kind,
        output_quantity: null,
        output_unit: null,
        consumables: "",
        condition: null,
        notes: "",
        billable_minutes: null,
        hourly_rate: null,
        fee: null,
        checked_in_by: ctx.user.id,
        confirmed_by: null,
        confirmed_at: null,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const booking = await trx.updateTable("bookings").set({ status: "checked_in", updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.check_in", entity: "booking", entityId: id, before, after: { booking, usage }, requestId: ctx.requestId, at: ctx.now });
    return { booking, usage };
  });
}

// ---------------------------------------------------------------------------------------------
// Check-out

export interface CheckOutInput {
  at?: number;
  outputQuantity?: number | null;
  outputUnit?: string | null;
  consumables?: string;
  condition?: "ok" | "fault";
  notes?: string;
  fault?: boolean;
  /** The fee the technician was shown; when it differs from the fee now, nothing is saved. */
  shownFee?: number;
}

export type CheckOutResult =
  | { saved: true; booking: Booking; usage: UsageRecord; fee: FeeBreakdown; breakdownId: number | null }
  | { saved: false; fee: FeeBreakdown };

function checkOutEnd(usage: UsageRecord, at: number, now: number, tz: string): void {
  if (at > now) throw invalid("floor.error.endInFuture", "end");
  if (at <= Number(usage.actual_start)) throw invalid("floor.error.endBeforeStart", "end", { start: formatTime(Number(usage.actual_start), "id", tz) });
  if (at - Number(usage.actual_start) > 2 * DAY_MS) throw invalid("floor.error.sessionTooLong", "end");
}

/** The fee a check-out at `at` would be charged, without saving anything (the live preview). */
export async function previewCheckOut(db: DbOrTx, ctx: Ctx, id: number, at: number): Promise<FeeBreakdown> {
  requireFloor(ctx);
  const b = await lockBooking(db, id);
  const usage = await usageOf(db, id);
  if (b.status !== "checked_in" || !usage) throw new ServiceError("invalid_state", "floor.error.notCheckedIn");
  const facility = await loadFacility(db);
  checkOutEnd(usage, at, ctx.now, facility.time_zone);
  const machine = (await getMachine(db, b.machine_id)) as Machine;
  return feeAtTariff(db, machine, facility, await loadCalendar(db, facility), Number(usage.actual_start), at);
}

/**
 * Check a booking out: the actual end (default now), output, consumables, condition and notes;
 * the fee with the tariff in force at the actual start, stored with the record. A fault opens
 * a breakdown of the machine (its reason the notes).
 */
export async function checkOut(db: Db, ctx: Ctx, id: number, input: CheckOutInput = {}): Promise<CheckOutResult> {
  requireFloor(ctx);
  return immediate(db, async (trx): Promise<CheckOutResult> => {
    const before = await lockBooking(trx, id);
    const usageBefore = await usageOf(trx, id);
    if (before.status !== "checked_in" || !usageBefore) throw new ServiceError("invalid_state", "floor.error.notCheckedIn");
    const facility = await loadFacility(trx);
    const at = input.at ?? ctx.now;
    checkOutEnd(usageBefore, at, ctx.now, facility.time_zone);
    const machine = (await getMachine(trx, before.machine_id)) as Machine;
    const fee = await feeAtTariff(trx, machine, facility, await loadCalendar(trx, facility), Number(usageBefore.actual_start), at);
    if (input.shownFee !== undefined && input.shownFee !== fee.fee) return { saved: false, fee };
    const fault = input.fault === true || input.condition === "fault";
    const notes = input.notes?.trim() ?? "";
    if (fault && !notes) throw invalid("floor.validation.faultNotes", "notes");
    const usage = await trx
      .updateTable("usage_records")
      .set({
        actual_end: at,
        output_quantity: input.outputQuantity ?? null,
        output_unit: input.outputUnit ?? null,
        consumables: input.consumables?.trim() ?? "",
        condition: fault ? "fault" : "ok",
        notes,
        billable_minutes: fee.billableMinutes,
        hourly_rate: fee.hourlyRate,
        fee: fee.fee,
        confirmed_by: ctx.user.id,
        confirmed_at: ctx.now,
        updated_at: ctx.now,
      })
      .where("id", "=", usageBefore.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const booking = await trx.updateTable("bookings").set({ status: "completed", updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, {
      actorUserId: ctx.user.id,
      action: "booking.check_out",
      entity: "booking",
      entityId: id,
      before: { booking: before, usage: usageBefore },
      after: { booking, usage },
      requestId: ctx.requestId,
      at: ctx.now,
    });
    const breakdown = fault ? await openBreakdown(trx, ctx, machine.id, at, notes) : null;
    return { saved: true, booking, usage, fee, breakdownId: breakdown?.id ?? null };
  });
}

// ---------------------------------------------------------------------------------------------
// No-show and the restriction it may bring

export interface NoShowOutlook {
  /** When the grace period ends (the booking may be marked from then on). */
  graceEnd: number;
  allowed: boolean;
  /** No-shows of the IKM in the policy window, counting this one. */
  count: number;
  windowDays: number;
  /** The restriction the IKM would get (or keep) after this no-show; null when none. */
  restrictedUntil: number | null;
  /** True when marking this one would start or extend a restriction. */
  newRestriction: boolean;
}

function policyOf(f: Facility) {
  return { count: f.noshow_count, windowDays: f.noshow_window_days, restrictDays: f.restrict_days };
}

/** What marking this booking as a no-show would mean for its IKM (shown before the tap). */
export async function noShowOutlook(db: DbOrTx, ctx: Ctx, b: Booking): Promise<NoShowOutlook> {
  const facility = await loadFacility(db);
  const policy = policyOf(facility);
  const graceEnd = Number(b.start_at) + facility.grace_minutes * MINUTE_MS;
  const since = ctx.now - (policy.windowDays + policy.restrictDays) * DAY_MS;
  const instants = await noShowInstants(db, b.ikm_id, since);
  if (b.status !== "no_show") instants.push(Number(b.start_at));
  const count = instants.filter((t) => t > ctx.now - policy.windowDays * DAY_MS && t <= ctx.now).length;
  const until = restrictionUntil(instants, ctx.now, policy);
  const ikm = await db.selectFrom("ikms").select("restricted_until").where("id", "=", b.ikm_id).executeTakeFirstOrThrow();
  const current = ikm.restricted_until === null ? null : Number(ikm.restricted_until);
  return {
    graceEnd,
    allowed: b.status === "confirmed" && ctx.now >= graceEnd,
    count,
    windowDays: policy.windowDays,
    restrictedUntil: until ?? (current !== null && current > ctx.now ? current : null),
    newRestriction: until !== null && (current === null || until > current),
  };
}

/**
 * Mark a confirmed booking not checked in within the grace period as a no-show: the slot frees
 * at once (offered to the waitlist), and the IKM is restricted when the policy says so.
 */
export async function markNoShow(db: Db, ctx: Ctx, id: number, reason?: string): Promise<{ booking: Booking; restrictedUntil: number | null }> {
  requireFloor(ctx);
  return immediate(db, async (trx) => {
    const before = await lockBooking(trx, id);
    if (before.status !== "confirmed") throw new ServiceError("invalid_state", "floor.error.notNoShowable");
    const facility = await loadFacility(trx);
    const graceEnd = Number(before.start_at) + facility.grace_minutes * MINUTE_MS;
    if (ctx.now < graceEnd) {
      throw new ServiceError("invalid_state", "floor.error.noShowTooEarly", { params: { time: formatTime(graceEnd, "id", facility.time_zone) } });
    }
    const booking = await trx
      .updateTable("bookings")
      .set({ status: "no_show", status_reason: reason?.trim() || null, updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.no_show", entity: "booking", entityId: id, before, after: booking, reason: reason?.trim() || null, requestId: ctx.requestId, at: ctx.now });
    await slotFreed(trx, ctx, booking);

    const policy = policyOf(facility);
    const instants = await noShowInstants(trx, booking.ikm_id, ctx.now - (policy.windowDays + policy.restrictDays) * DAY_MS);
    const until = restrictionUntil(instants, ctx.now, policy);
    const ikm = await trx.selectFrom("ikms").selectAll().where("id", "=", booking.ikm_id).executeTakeFirstOrThrow();
    const current = ikm.restricted_until === null ? null : Number(ikm.restricted_until);
    if (until === null || (current !== null && until <= current)) return { booking, restrictedUntil: current !== null && current > ctx.now ? current : null };
    const count = instants.filter((t) => t > ctx.now - policy.windowDays * DAY_MS && t <= ctx.now).length;
    const restrictionReason = translate("id", "floor.noShow.restrictionReason", { count, days: policy.windowDays });
    const after = await trx
      .updateTable("ikms")
      .set({ restricted_until: until, restriction_reason: restrictionReason, updated_at: ctx.now })
      .where("id", "=", ikm.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "ikm.restrict", entity: "ikm", entityId: ikm.id, before: ikm, after, reason: restrictionReason, requestId: ctx.requestId, at: ctx.now });
    await notifyIkm(trx, ikm.id, "restricted", id, { until, count, days: policy.windowDays }, ctx.now);
    return { booking, restrictedUntil: until };
  });
}

// ---------------------------------------------------------------------------------------------
// Corrections

export interface CorrectionInput {
  actualStart: number;
  actualEnd?: number;
  operatorName: string;
  operatorKind: "ikm" | "unit";
  outputQuantity?: number | null;
  outputUnit?: string | null;
  consumables: string;
  condition: "ok" | "fault";
  notes: string;
  reason: string;
}

/**
 * Correct a usage record (times, operator, output, notes…) with a reason. The fee is recomputed
 * with the record's ORIGINAL tariff snapshot; the old values stay in the audit trail.
 */
export async function correctUsage(db: Db, ctx: Ctx, id: number, input: CorrectionInput): Promise<{ usage: UsageRecord }> {
  requireFloor(ctx);
  const reason = input.reason.trim();
  if (!reason) throw invalid("floor.validation.reasonRequired", "reason");
  return immediate(db, async (trx) => {
    const b = await lockBooking(trx, id);
    const before = await usageOf(trx, id);
    if (!before || !["checked_in", "completed"].includes(b.status)) throw new ServiceError("invalid_state", "floor.error.noUsage");
    const facility = await loadFacility(trx);
    const tz = facility.time_zone;
    if (input.actualStart > ctx.now) throw invalid("floor.error.startInFuture", "start");
    const completed = b.status === "completed";
    let end: number | null = null;
    if (completed) {
      end = input.actualEnd ?? Number(before.actual_end);
      if (end > ctx.now) throw invalid("floor.error.endInFuture", "end");
      if (end <= input.actualStart) throw invalid("floor.error.endBeforeStart", "end", { start: formatTime(input.actualStart, "id", tz) });
      if (end - input.actualStart > 2 * DAY_MS) throw invalid("floor.error.sessionTooLong", "end");
    }
    const machine = (await getMachine(trx, b.machine_id)) as Machine;
    const rate = before.hourly_rate === null ? await tariffAt(trx, machine.id, input.actualStart, facility) : Number(before.hourly_rate);
    const fee = end === null ? null : feeWithRate(machine, facility, await loadCalendar(trx, facility), input.actualStart, end, rate);
    const usage = await trx
      .updateTable("usage_records")
      .set({
        actual_start: input.actualStart,
        actual_end: end,
        operator_name: input.operatorName.trim(),
        operator_kind: input.operatorKind,
        output_quantity: completed ? (input.outputQuantity ?? null) : before.output_quantity,
        output_unit: completed ? (input.outputUnit ?? null) : before.output_unit,
        consumables: completed ? input.consumables.trim() : before.consumables,
        condition: completed ? input.condition : before.condition,
        notes: completed ? input.notes.trim() : before.notes,
        billable_minutes: fee?.billableMinutes ?? null,
        hourly_rate: fee ? fee.hourlyRate : before.hourly_rate,
        fee: fee?.fee ?? null,
        updated_at: ctx.now,
      })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "usage.correct", entity: "usage_record", entityId: before.id, before, after: usage, reason, requestId: ctx.requestId, at: ctx.now });
    return { usage };
  });
}

// ---------------------------------------------------------------------------------------------
// Backfill (the paper logbook) and walk-ins

export interface UsageDetails {
  operatorName: string;
  operatorKind: "ikm" | "unit";
  outputQuantity?: number | null;
  outputUnit?: string | null;
  consumables?: string;
  condition?: "ok" | "fault";
  notes?: string;
}

export interface BackfillInput extends UsageDetails {
  machineId: number;
  ikmId: number;
  actualStart: number;
  actualEnd: number;
  purpose: string;
  assisted: boolean;
  overrideReason?: string;
}

export type EntryOutcome =
  | { ok: true; booking: Booking; usage: UsageRecord; fee: FeeBreakdown | null }
  | { ok: false; violations: Violation[]; alternatives: Alternative[] };

/**
 * Record usage that already happened. The booking covers the session on the machine's slot grid
 * and goes through requestBooking (source "backfill": staff are exempt from IN_PAST; OVERLAP is
 * never overridable, and a session over a completed booking of the machine is refused the same
 * way); it then gets its completed usage record with the fee at the tariff of its actual start.
 */
export async function recordBackfill(db: Db, ctx: Ctx, input: BackfillInput): Promise<EntryOutcome> {
  requireFloor(ctx);
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  if (input.actualEnd <= input.actualStart) throw invalid("floor.error.endBeforeStart", "end", { start: formatTime(input.actualStart, "id", tz) });
  if (input.actualEnd > ctx.now) throw invalid("floor.error.endInFuture", "end");
  if (input.actualEnd - input.actualStart > 2 * DAY_MS) throw invalid("floor.error.sessionTooLong", "end");
  const machine = await getMachine(db, input.machineId);
  if (!machine) throw invalid("floor.error.machineUnknown", "machineId");
  const slot = machine.slot_minutes ?? facility.slot_minutes;
  const span = { start: floorToSlot(input.actualStart, slot, tz), end: ceilToSlot(input.actualEnd, slot, tz) };
  const used = await completedOverlapping(db, machine.id, span);
  if (used.length) {
    return {
      ok: false,
      alternatives: [],
      violations: used.map((u) => ({
        code: "OVERLAP",
        params: {},
        conflict: { start: Number(u.start_at), end: Number(u.end_at), kind: "booking", id: u.id, ownIkm: u.ikm_id === input.ikmId },
        overridable: false,
      })),
    };
  }
  const outcome = await requestBooking(db, ctx, {
    machineId: machine.id,
    start: span.start,
    end: span.end,
    purpose: input.purpose,
    assisted: input.assisted,
    ikmId: input.ikmId,
    source: "backfill",
    overrideReason: input.overrideReason?.trim() || translate("id", "floor.backfill.defaultOverride"),
  });
  if (!outcome.ok) return outcome;
  const bookingId = outcome.booking.id;
  return immediate(db, async (trx): Promise<EntryOutcome> => {
    const before = await lockBooking(trx, bookingId);
    const fee = await feeAtTariff(trx, machine, facility, await loadCalendar(trx, facility), input.actualStart, input.actualEnd);
    const usage = await trx
      .insertInto("usage_records")
      .values({
        booking_id: bookingId,
        actual_start: input.actualStart,
        actual_end: input.actualEnd,
        operator_name: input.operatorName.trim() || (input.operatorKind === "unit" ? UNIT_OPERATOR_NAME : ""),
        operator_kind: input.operatorKind,
        output_quantity: input.outputQuantity ?? null,
        output_unit: input.outputUnit ?? null,
        consumables: input.consumables?.trim() ?? "",
        condition: input.condition ?? "ok",
        notes: input.notes?.trim() ?? "",
        billable_minutes: fee.billableMinutes,
        hourly_rate: fee.hourlyRate,
        fee: fee.fee,
        checked_in_by: ctx.user.id,
        confirmed_by: ctx.user.id,
        confirmed_at: ctx.now,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const booking = await trx.updateTable("bookings").set({ status: "completed", updated_at: ctx.now }).where("id", "=", bookingId).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "usage.backfill", entity: "booking", entityId: bookingId, before, after: { booking, usage }, requestId: ctx.requestId, at: ctx.now });
    return { ok: true, booking, usage, fee };
  });
}

export interface WalkInInput {
  machineId: number;
  ikmId: number;
  minutes: number;
  purpose: string;
  assisted: boolean;
  operatorName: string;
  operatorKind: "ikm" | "unit";
  overrideReason?: string;
}

/** When a walk-in starting now would start: now rounded down to the machine's slot grid. */
export async function walkInStart(db: DbOrTx, machine: Machine, now: number): Promise<number> {
  const facility = await loadFacility(db);
  return floorToSlot(now, machine.slot_minutes ?? facility.slot_minutes, facility.time_zone);
}

/**
 * An IKM that walks in now: a booking from now rounded down to the slot grid (source "walk_in",
 * decided like any other; staff entering it in person is its approval), checked in at once.
 */
export async function recordWalkIn(db: Db, ctx: Ctx, input: WalkInInput): Promise<EntryOutcome> {
  requireFloor(ctx);
  const machine = await getMachine(db, input.machineId);
  if (!machine) throw invalid("floor.error.machineUnknown", "machineId");
  const start = await walkInStart(db, machine, ctx.now);
  const outcome = await requestBooking(db, ctx, {
    machineId: machine.id,
    start,
    end: start + input.minutes * MINUTE_MS,
    purpose: input.purpose,
    assisted: input.assisted,
    ikmId: input.ikmId,
    source: "walk_in",
    overrideReason: input.overrideReason,
  });
  if (!outcome.ok) return outcome;
  if (outcome.booking.status === "pending") await approveBooking(db, ctx, outcome.booking.id);
  const { booking, usage } = await checkIn(db, ctx, outcome.booking.id, { at: ctx.now, operatorKind: input.operatorKind, operatorName: input.operatorName });
  return { ok: true, booking, usage, fee: null };
}

// ---------------------------------------------------------------------------------------------
// The day's board

export type FloorState = "pending" | "waiting" | "late" | "noShowCandidate" | "inUse" | "done" | "noShow";

export function floorState(b: { status: string; start_at: number; end_at: number }, now: number, graceMinutes: number): FloorState {
  switch (b.status) {
    case "pending":
      return "pending";
    case "checked_in":
      return "inUse";
    case "completed":
      return "done";
    case "no_show":
      return "noShow";
    default:
      if (now < Number(b.start_at)) return "waiting";
      return now < Number(b.start_at) + graceMinutes * MINUTE_MS ? "late" : "noShowCandidate";
  }
}

interface WaBooking {
  ikm_name: string;
  machine_code: string;
  machine_name: string;
  start_at: number;
  end_at: number;
  purpose: string;
  fee?: number | null;
}

/** The ready WhatsApp text about a booking in its floor state (always Indonesian: it goes to the IKM). */
export function waText(b: WaBooking, state: FloorState, facilityName: string, tz: string, graceMinutes: number): string {
  const params = {
    ikm: b.ikm_name,
    facility: facilityName,
    machine: `${b.machine_code} (${b.machine_name})`,
    date: formatDateLong(Number(b.start_at), "id", tz),
    time: formatTimeRange(Number(b.start_at), Number(b.end_at), "id", tz),
    start: formatTime(Number(b.start_at), "id", tz),
    graceEnd: formatTime(Number(b.start_at) + graceMinutes * MINUTE_MS, "id", tz),
    job: b.purpose ? translate("id", "floor.wa.job", { purpose: b.purpose }) : "",
    fee: b.fee == null ? "" : formatRupiah(Number(b.fee)),
  };
  const key =
    state === "waiting" || state === "pending"
      ? "floor.wa.reminder"
      : state === "late" || state === "noShowCandidate"
        ? "floor.wa.late"
        : state === "done" && b.fee != null
          ? "floor.wa.done"
          : "floor.wa.generic";
  return translate("id", key, params);
}

/** The ready WhatsApp text telling an IKM its booking was moved or cancelled for maintenance (Indonesian). */
export function waResolutionText(
  e: { ikmName: string; action: string; from?: { machineCode: string; start: number; end: number }; to?: { machineCode: string; start: number; end: number } },
  reason: string,
  facilityName: string,
  tz: string,
): string {
  const when = (x: { start: number; end: number }) => `${formatDateLong(x.start, "id", tz)} ${formatTimeRange(x.start, x.end, "id", tz)}`;
  return translate("id", e.action === "moved" ? "floor.wa.moved" : "floor.wa.cancelled", {
    ikm: e.ikmName,
    facility: facilityName,
    reason,
    from: e.from ? `${e.from.machineCode}, ${when(e.from)}` : "",
    to: e.to ? `${e.to.machineCode}, ${when(e.to)}` : "",
  });
}

export type BoardItem = ReturnType<typeof boardItem>;

function boardItem(
  b: Awaited<ReturnType<typeof dayBookings>>[number],
  now: number,
  facility: Facility,
  machineDown: boolean,
) {
  const tz = facility.time_zone;
  const state = floorState({ status: b.status, start_at: Number(b.start_at), end_at: Number(b.end_at) }, now, facility.grace_minutes);
  return {
    id: b.id,
    start: Number(b.start_at),
    end: Number(b.end_at),
    status: b.status,
    state,
    lateMinutes: state === "late" || state === "noShowCandidate" ? Math.floor((now - Number(b.start_at)) / MINUTE_MS) : 0,
    graceEnd: Number(b.start_at) + facility.grace_minutes * MINUTE_MS,
    ikmId: b.ikm_id,
    ikmName: b.ikm_name,
    phone: b.ikm_phone,
    tel: telLink(b.ikm_phone),
    wa: waLink(b.ikm_phone, waText({ ...b, fee: b.fee === null ? null : Number(b.fee) }, state, facility.name, tz, facility.grace_minutes)),
    purpose: b.purpose,
    assisted: b.assisted === 1,
    source: b.source,
    operatorName: b.operator_name,
    actualStart: b.actual_start === null ? null : Number(b.actual_start),
    actualEnd: b.actual_end === null ? null : Number(b.actual_end),
    fee: b.fee === null ? null : Number(b.fee),
    condition: b.condition,
    overdueCheckout: b.status === "checked_in" && localDateKey(Number(b.start_at), tz) !== localDateKey(now, tz),
    canCheckIn: b.status === "confirmed" && now < Number(b.end_at) && !machineDown,
    /** Starts within the hour (or already started): the check-in button is the big one. */
    soon: Number(b.start_at) - now <= 60 * MINUTE_MS,
    canCheckOut: b.status === "checked_in",
    canNoShow: state === "noShowCandidate",
  };
}

/** Today's floor (facility-local day): every machine with its bookings, open faults and maintenance. */
export async function loadBoard(db: DbOrTx, now: number) {
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const day = dayRange(now, tz);
  const [rows, machines, windows] = await Promise.all([dayBookings(db, day), floorMachines(db), maintenanceAround(db, day)]);
  const groups = machines.map((m) => {
    const mine = windows.filter((w) => w.machine_id === m.id);
    const faults = mine.filter((w) => w.end_at === null);
    const maintenance = mine.filter((w) => w.end_at !== null);
    const down = mine.some((w) => Number(w.start_at) <= now && (w.end_at === null || Number(w.end_at) > now));
    return {
      id: m.id,
      code: m.code,
      name: m.name,
      typeName: m.type_name,
      status: m.status,
      down,
      faults: faults.map((w) => ({ id: w.id, start: Number(w.start_at), reason: w.reason })),
      maintenance: maintenance.map((w) => ({ id: w.id, start: Number(w.start_at), end: Number(w.end_at), reason: w.reason, kind: w.kind })),
      items: rows.filter((b) => b.machine_id === m.id).map((b) => boardItem(b, now, facility, down)),
    };
  });
  // What needs the technician first: faults and late arrivals, then machines in use, then the rest.
  const urgency = (g: (typeof groups)[number]) =>
    g.faults.length || g.items.some((i) => i.state === "late" || i.state === "noShowCandidate") ? 0 : g.items.some((i) => i.state === "inUse") ? 1 : g.items.some((i) => i.state === "waiting" || i.state === "pending") ? 2 : 3;
  groups.sort((a, b) => urgency(a) - urgency(b) || a.code.localeCompare(b.code));
  const items = groups.flatMap((g) => g.items);
  const count = (s: FloorState) => items.filter((i) => i.state === s).length;
  return {
    now,
    dayStart: day.start,
    graceMinutes: facility.grace_minutes,
    machines: groups,
    counts: {
      waiting: count("waiting"),
      late: count("late") + count("noShowCandidate"),
      inUse: count("inUse"),
      done: count("done"),
      pending: count("pending"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One booking's floor screen

export async function loadFloorBooking(db: DbOrTx, ctx: Ctx, id: number) {
  requireFloor(ctx);
  const b = await getFloorBooking(db, id);
  if (!b) throw notFound();
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const machine = (await getMachine(db, b.machine_id)) as Machine;
  const state = floorState({ status: b.status, start_at: Number(b.start_at), end_at: Number(b.end_at) }, ctx.now, facility.grace_minutes);
  const calendar = await loadCalendar(db, facility);
  let preview: FeeBreakdown | null = null;
  if (b.status === "checked_in" && b.actual_start !== null && ctx.now > Number(b.actual_start)) {
    preview = await feeAtTariff(db, machine, facility, calendar, Number(b.actual_start), ctx.now);
  }
  const noShow = b.status === "confirmed" ? await noShowOutlook(db, ctx, b) : null;
  const down = await maintenanceAt(db, b.machine_id, ctx.now);
  return {
    booking: b,
    facility,
    machine,
    state,
    preview,
    noShow,
    machineDown: !!down,
    tel: telLink(b.ikm_phone),
    wa: waLink(b.ikm_phone, waText({ ...b, fee: b.fee === null ? null : Number(b.fee) }, state, facility.name, tz, facility.grace_minutes)),
    defaultOperator: {
      kind: (b.assisted ? "unit" : "ikm") as "ikm" | "unit",
      name: b.assisted ? UNIT_OPERATOR_NAME : b.booker_role === "ikm" ? b.booker_name : b.ikm_owner,
    },
    nowTime: inputTime(ctx.now, tz),
  };
}
