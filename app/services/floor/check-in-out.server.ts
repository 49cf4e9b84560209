/**
 * Check-in and check-out: the real start and end of a booking's usage, who ran the machine, and the
 * fee. Every write is one immediate transaction with an audit event.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, Machine, UsageRecord } from "#db/schema";
import { formatTime } from "~/i18n/format";
import {
  DAY_MS,
  checkInWindow,
  earlyStartMinutes,
} from "~/scheduling";
import { getMachine, loadCalendar, loadFacility } from "~/models/scheduling.server";
import { audit } from "../audit.server";
import type { Ctx } from "../booking/decision-input.server";
import { ServiceError, notFound } from "../errors.server";
import { openBreakdown } from "./maintenance-windows.server";
import { bookingWithNames, usageOf } from "~/models/booking.server";
import { UNIT_OPERATOR_NAME, invalid, lockBooking, requireFloor } from "./common.server";
import { feeAtTariff } from "./fees.server";
import type { FeeBreakdown } from "~/views/floor";

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
export function maintenanceAt(trx: DbOrTx, machineId: number, at: number) {
  return trx
    .selectFrom("maintenance_windows")
    .select(["id", "kind"])
    .where("machine_id", "=", machineId)
    .where("start_at", "<=", at)
    .where((eb) => eb.or([eb("end_at", "is", null), eb("end_at", ">", at)]))
    .executeTakeFirst();
}

/**
 * How many minutes early a check-in at `at` would begin, when that is worth asking about (the
 * engine's earlyStartMinutes); 0 otherwise. For a page that has only the booking's id.
 */
export async function earlyCheckInMinutes(db: DbOrTx, ctx: Ctx, id: number, at: number = ctx.now): Promise<number> {
  requireFloor(ctx);
  const b = await bookingWithNames(db, id);
  if (!b) throw notFound();
  return earlyStartMinutes(Number(b.start_at), at);
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
    if (at < checkInWindow(before, tz).start) throw invalid("floor.error.startOtherDay", "at");
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
