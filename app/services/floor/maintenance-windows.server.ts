/**
 * Maintenance windows and breakdowns written: staff confirm, and in ONE transaction the window is
 * written and each booking is moved (re-decided by the engine against the data that now includes the
 * window and the earlier moves) or cancelled, its IKM told, everything audited. Ending a window
 * early offers the freed time to the waitlist.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, MaintenanceWindowRow } from "#db/schema";
import {
  type Alternative,
  DAY_MS,
  decide,
  subtract,
} from "~/scheduling";
import { bookingsInWindow, getMaintenanceWindow } from "~/models/floor.server";
import { getMachine, loadFacility } from "~/models/scheduling.server";
import { audit } from "../audit.server";
import { type Ctx, loadDecisionInput } from "../booking/decision-input.server";
import { timeFreed } from "../booking/freed-time.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { type Affected, type Applied, type MaintenanceChoice, MOVABLE, type PlanInput, bestAlternative, machineOrInvalid, moveReason, requestOf, requireMaintenance, validatePlan, windowProposals } from "./maintenance-plan.server";

async function insertWindow(trx: DbOrTx, ctx: Ctx, plan: PlanInput): Promise<MaintenanceWindowRow> {
  const w = await trx
    .insertInto("maintenance_windows")
    .values({
      machine_id: plan.machineId,
      start_at: plan.start,
      end_at: plan.end,
      kind: plan.kind,
      reason: plan.reason.trim(),
      created_by: ctx.user.id,
      resolved_at: null,
      created_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, { actorUserId: ctx.user.id, action: "maintenance.create", entity: "maintenance_window", entityId: w.id, after: w, reason: w.reason, requestId: ctx.requestId, at: ctx.now });
  return w;
}

/** The freed pieces of a booking's old slot outside the window go to the waitlist. */
async function freeOutside(trx: DbOrTx, ctx: Ctx, b: Booking, w: MaintenanceWindowRow): Promise<void> {
  const win = { start: Number(w.start_at), end: w.end_at === null ? Number.POSITIVE_INFINITY : Number(w.end_at) };
  for (const piece of subtract([{ start: Number(b.start_at), end: Number(b.end_at) }], [win])) {
    if (piece.end > ctx.now) await timeFreed(trx, ctx, { machineId: b.machine_id, start: Math.max(piece.start, ctx.now), end: piece.end });
  }
}

async function cancelFor(trx: DbOrTx, ctx: Ctx, b: Booking, w: MaintenanceWindowRow, reason: string): Promise<void> {
  const after = await trx
    .updateTable("bookings")
    .set({ status: "cancelled", cancelled_at: ctx.now, late_cancel: 0, status_reason: reason, updated_at: ctx.now })
    .where("id", "=", b.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, { actorUserId: ctx.user.id, action: "booking.cancel", entity: "booking", entityId: b.id, before: b, after, reason: `maintenance #${w.id}: ${reason}`, requestId: ctx.requestId, at: ctx.now });
  const machine = await getMachine(trx, b.machine_id);
  await notifyIkm(trx, b.ikm_id, "booking_cancelled", b.id, { machine: machine?.code ?? "", start: Number(b.start_at), end: Number(b.end_at), reason }, ctx.now);
  await freeOutside(trx, ctx, b, w);
}

/** Move a booking to a target, re-decided by the engine on the data as it is now; null when refused. */
async function moveFor(trx: DbOrTx, ctx: Ctx, b: Booking, w: MaintenanceWindowRow, target: { machineId: number; start: number; end: number }, reason: string): Promise<(Alternative & { status: string }) | null> {
  const machine = await getMachine(trx, target.machineId);
  if (!machine) return null;
  const loaded = await loadDecisionInput(trx, ctx, machine, b.ikm_id, requestOf(b, machine.id, target.start, target.end, reason), b.id, "decision");
  const decision = decide(loaded.input);
  if (!decision.ok) return null;
  const status = b.status === "pending" ? "pending" : (decision.status ?? b.status);
  const after = await trx
    .updateTable("bookings")
    .set({
      machine_id: machine.id,
      start_at: target.start,
      end_at: target.end,
      hold_end_at: target.end + loaded.input.state.machine.rules.bufferMinutes * 60_000,
      status,
      updated_at: ctx.now,
    })
    .where("id", "=", b.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const overridden = decision.overridden.map((v) => v.code).join(",");
  await audit(trx, {
    actorUserId: ctx.user.id,
    action: "booking.move",
    entity: "booking",
    entityId: b.id,
    before: b,
    after,
    reason: `maintenance #${w.id}: ${reason}${overridden ? ` (override ${overridden})` : ""}`,
    requestId: ctx.requestId,
    at: ctx.now,
  });
  await notifyIkm(trx, b.ikm_id, "booking_moved", b.id, { machine: machine.code, start: target.start, end: target.end, oldStart: Number(b.start_at), reason }, ctx.now);
  await freeOutside(trx, ctx, b, w);
  return { machineId: machine.id, machineCode: machine.code, machineName: machine.name, start: target.start, end: target.end, assisted: b.assisted === 1, status };
}

/**
 * Resolve the bookings a (written) window touches, inside the caller's transaction: each one as
 * chosen (keep / cancel / move to the given target), or by default moved to the engine's best
 * alternative computed now, else cancelled. A chosen target that the engine now refuses aborts
 * everything (the proposals changed; staff look again).
 */
async function resolveIn(trx: DbOrTx, ctx: Ctx, w: MaintenanceWindowRow, choices: MaintenanceChoice[]): Promise<Applied[]> {
  const rows = await bookingsInWindow(trx, w.machine_id, { start: Number(w.start_at), end: w.end_at === null ? null : Number(w.end_at) });
  const byId = new Map(choices.map((c) => [c.bookingId, c]));
  for (const c of choices) {
    if (!rows.some((r) => r.id === c.bookingId)) throw new ServiceError("invalid", "floor.maintenance.error.notAffected", { field: "decisions", bookingId: c.bookingId });
  }
  const reason = moveReason(w);
  const out: Applied[] = [];
  for (const row of rows) {
    if (!MOVABLE.includes(row.status)) {
      out.push({ booking: row, action: "in_use" });
      continue;
    }
    const choice = byId.get(row.id);
    const b = await trx.selectFrom("bookings").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    if (choice?.action === "keep") {
      out.push({ booking: row, action: "kept" });
      continue;
    }
    if (choice?.action === "cancel") {
      await cancelFor(trx, ctx, b, w, reason);
      out.push({ booking: row, action: "cancelled" });
      continue;
    }
    const chosen = choice?.action === "move" ? choice.target : undefined;
    const target = chosen ?? (await bestAlternative(trx, ctx, b, reason, null, []));
    const moved = target ? await moveFor(trx, ctx, b, w, target, reason) : null;
    if (moved) {
      out.push({ booking: row, action: "moved", to: moved });
      continue;
    }
    if (chosen) throw new ServiceError("invalid_state", "floor.maintenance.error.stale", { bookingId: row.id });
    await cancelFor(trx, ctx, b, w, reason);
    out.push({ booking: row, action: "cancelled" });
  }
  if (out.some((a) => a.action !== "kept")) {
    await audit(trx, {
      actorUserId: ctx.user.id,
      action: "maintenance.resolve",
      entity: "maintenance_window",
      entityId: w.id,
      after: out.map((a) => ({
        bookingId: a.booking.id,
        action: a.action,
        from: { machineId: a.booking.machine_id, machineCode: a.booking.machine_code, start: Number(a.booking.start_at), end: Number(a.booking.end_at) },
        ...(a.action === "moved" ? { to: a.to } : {}),
      })),
      requestId: ctx.requestId,
      at: ctx.now,
    });
  }
  return out;
}

/** Staff confirmed a plan: the window and every move or cancellation, in one transaction. */
export async function planMaintenance(db: Db, ctx: Ctx, plan: PlanInput, choices: MaintenanceChoice[]): Promise<{ window: MaintenanceWindowRow; applied: Applied[] }> {
  requireMaintenance(ctx);
  validatePlan(plan, ctx.now);
  return immediate(db, async (trx) => {
    await machineOrInvalid(trx, plan.machineId);
    const window = await insertWindow(trx, ctx, plan);
    const applied = await resolveIn(trx, ctx, window, choices);
    return { window, applied };
  });
}

/** The API's first step: write the window; the affected bookings and proposals come with it. */
export async function createMaintenance(db: Db, ctx: Ctx, plan: PlanInput): Promise<{ window: MaintenanceWindowRow; affected: Affected[] }> {
  requireMaintenance(ctx);
  validatePlan(plan, ctx.now);
  const window = await immediate(db, async (trx) => {
    await machineOrInvalid(trx, plan.machineId);
    return insertWindow(trx, ctx, plan);
  });
  return { window, affected: await windowProposals(db, ctx, window) };
}

/** Apply the choices (or the proposals) to a written window's bookings, in one transaction. */
export async function resolveMaintenance(db: Db, ctx: Ctx, id: number, choices: MaintenanceChoice[]): Promise<{ window: MaintenanceWindowRow; applied: Applied[] }> {
  requireMaintenance(ctx);
  return immediate(db, async (trx) => {
    const window = await trx.selectFrom("maintenance_windows").selectAll().where("id", "=", id).executeTakeFirst();
    if (!window) throw notFound();
    if (window.end_at !== null && Number(window.end_at) <= ctx.now) throw new ServiceError("invalid_state", "floor.maintenance.error.ended");
    return { window, applied: await resolveIn(trx, ctx, window, choices) };
  });
}

/** A breakdown reported at check-out (or any time): one open breakdown per machine, reused if open. */
export async function openBreakdown(trx: DbOrTx, ctx: Ctx, machineId: number, at: number, reason: string): Promise<MaintenanceWindowRow> {
  const open = await trx
    .selectFrom("maintenance_windows")
    .selectAll()
    .where("machine_id", "=", machineId)
    .where("kind", "=", "breakdown")
    .where("end_at", "is", null)
    .executeTakeFirst();
  if (open) {
    await audit(trx, { actorUserId: ctx.user.id, action: "maintenance.report", entity: "maintenance_window", entityId: open.id, reason, requestId: ctx.requestId, at: ctx.now });
    return open;
  }
  return insertWindow(trx, ctx, { machineId, kind: "breakdown", start: at, end: null, reason });
}

/**
 * End a window now: a breakdown is repaired, or planned work finished early (a window not
 * started yet is called off, its record kept in the audit trail). The freed time is offered to
 * the waitlist; for an open breakdown, the booking horizon from now.
 */
export async function endMaintenance(db: Db, ctx: Ctx, id: number): Promise<{ window: MaintenanceWindowRow | null; freed: { start: number; end: number } }> {
  requireMaintenance(ctx);
  return immediate(db, async (trx) => {
    const before = await trx.selectFrom("maintenance_windows").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    if (before.end_at !== null && Number(before.end_at) <= ctx.now) throw new ServiceError("invalid_state", "floor.maintenance.error.ended");
    const facility = await loadFacility(trx);
    const oldEnd = before.end_at === null ? ctx.now + facility.horizon_days * DAY_MS : Number(before.end_at);
    const start = Number(before.start_at);
    let window: MaintenanceWindowRow | null = null;
    let freed: { start: number; end: number };
    if (start >= ctx.now) {
      await trx.deleteFrom("maintenance_windows").where("id", "=", id).execute();
      await audit(trx, { actorUserId: ctx.user.id, action: "maintenance.cancel", entity: "maintenance_window", entityId: id, before, requestId: ctx.requestId, at: ctx.now });
      freed = { start, end: oldEnd };
    } else {
      window = await trx
        .updateTable("maintenance_windows")
        .set({ end_at: ctx.now, resolved_at: ctx.now })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "maintenance.end", entity: "maintenance_window", entityId: id, before, after: window, requestId: ctx.requestId, at: ctx.now });
      freed = { start: ctx.now, end: oldEnd };
    }
    await timeFreed(trx, ctx, { machineId: before.machine_id, ...freed });
    return { window, freed };
  });
}

export { getMaintenanceWindow };
