/** The paper logbook typed in afterwards (backfill) and walk-ins: usage recorded with its booking, decided by the engine. */
import type { Db, DbOrTx } from "#db/connection";
import type { Booking, Machine, UsageRecord } from "#db/schema";
import { translate } from "~/i18n";
import { formatTime } from "~/i18n/format";
import {
  type Alternative,
  DAY_MS,
  MINUTE_MS,
  type Violation,
  ceilToSlot,
  floorToSlot,
} from "~/scheduling";
import {
  completedOverlapping,
} from "~/models/floor.server";
import { getMachine, loadCalendar, loadFacility } from "~/models/scheduling.server";
import { audit } from "../audit.server";
import { approveBooking, requestBooking } from "../booking/commands.server";
import type { Ctx } from "../booking/decision-input.server";
import { checkIn } from "./check-in-out.server";
import { UNIT_OPERATOR_NAME, invalid, requireFloor } from "./common.server";
import { feeAtTariff } from "./fees.server";
import type { FeeBreakdown } from "~/views/floor";

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
  // The booking and its completed usage are written in ONE transaction: the usage is the
  // booking's afterWrite, so a failure leaves neither.
  const written: { usage?: UsageRecord; fee?: FeeBreakdown } = {};
  const outcome = await requestBooking(
    db,
    ctx,
    {
      machineId: machine.id,
      start: span.start,
      end: span.end,
      purpose: input.purpose,
      assisted: input.assisted,
      ikmId: input.ikmId,
      source: "backfill",
      overrideReason: input.overrideReason?.trim() || translate("id", "floor.backfill.defaultOverride"),
    },
    async (trx, before) => {
      const bookingId = before.id;
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
      Object.assign(written, { usage, fee });
      return booking;
    },
  );
  if (!outcome.ok) return outcome;
  return { ok: true, booking: outcome.booking, usage: written.usage as UsageRecord, fee: written.fee ?? null };
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
