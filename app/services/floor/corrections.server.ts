/** Corrections of recorded usage: times, operator and fee recomputed, the reason audited. */
import { type Db, immediate } from "#db/connection";
import type { Machine, UsageRecord } from "#db/schema";
import { formatTime } from "~/i18n/format";
import {
  DAY_MS,
} from "~/scheduling";
import { getMachine, loadCalendar, loadFacility, tariffAt } from "~/models/scheduling.server";
import { audit } from "../audit.server";
import type { Ctx } from "../booking/decision-input.server";
import { ServiceError } from "../errors.server";
import { usageOf } from "~/models/booking.server";
import { invalid, lockBooking, requireFloor } from "./common.server";
import { feeWithRate } from "./fees.server";

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
