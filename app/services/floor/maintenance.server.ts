/**
 * Maintenance windows and breakdowns. A window that overlaps bookings lists them, each with its
 * best alternative (the engine's findAlternatives, with the new window and the moves proposed
 * before it taken into account); staff confirm, and in ONE transaction the window is written and
 * each booking is moved (re-decided by the engine against the data that now includes the window
 * and the earlier moves) or cancelled, its IKM told, everything audited. Ending a window early
 * offers the freed time to the waitlist.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, MaintenanceWindowRow } from "#db/schema";
import { translate } from "~/i18n";
import {
  type Alternative,
  type BookingSource,
  type BusyBooking,
  DAY_MS,
  type MachineState,
  type MaintenanceWindow,
  decide,
  findAlternatives,
  subtract,
} from "~/scheduling";
import { bookingsInWindow, getMaintenanceWindow } from "~/models/floor.server";
import { getMachine, loadFacility, loadMachineStates } from "~/models/scheduling.server";
import { can } from "~/utils/permissions";
import { audit } from "../audit.server";
import { type BookingRequestInput, type Ctx, loadDecisionInput, timeFreed } from "../booking/commands.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { ALTERNATIVE_SEARCH_DAYS } from "~/scheduling";

const MOVABLE = ["pending", "confirmed"];

function requireMaintenance(ctx: Ctx): void {
  if (!can(ctx.user, "maintenance:manage")) throw new ServiceError("forbidden", "error.forbidden.title");
}

export interface PlanInput {
  machineId: number;
  kind: "planned" | "breakdown";
  start: number;
  /** null: an open breakdown, until it is closed. */
  end: number | null;
  reason: string;
}

export type MaintenanceChoice =
  | { bookingId: number; action: "keep" | "cancel" }
  | { bookingId: number; action: "move"; target?: { machineId: number; start: number; end: number } };

export type AffectedRow = Awaited<ReturnType<typeof bookingsInWindow>>[number];

export interface Affected {
  booking: AffectedRow;
  /** Pending and confirmed bookings can be moved or cancelled; one in use cannot. */
  movable: boolean;
  /** The best alternative the engine finds, or null (then the proposal is to cancel). */
  proposal: Alternative | null;
}

export type Applied =
  | { booking: AffectedRow; action: "moved"; to: Alternative & { status: string } }
  | { booking: AffectedRow; action: "cancelled" | "kept" | "in_use" };

function validatePlan(plan: PlanInput, now: number): void {
  if (!plan.reason.trim()) throw new ServiceError("invalid", "floor.validation.reasonRequired", { field: "reason" });
  if (plan.kind === "planned" && plan.end === null) throw new ServiceError("invalid", "floor.validation.endRequired", { field: "end" });
  if (plan.end !== null && plan.end <= plan.start) throw new ServiceError("invalid", "floor.maintenance.error.endBeforeStart", { field: "end" });
  if (plan.end !== null && plan.end <= now) throw new ServiceError("invalid", "floor.maintenance.error.inPast", { field: "end" });
  if (plan.end !== null && plan.end - plan.start > 90 * DAY_MS) throw new ServiceError("invalid", "floor.maintenance.error.tooLong", { field: "end" });
}

async function machineOrInvalid(db: DbOrTx, id: number) {
  const machine = await getMachine(db, id);
  if (!machine || machine.status === "retired") throw new ServiceError("invalid", "floor.error.machineUnknown", { field: "machineId" });
  return machine;
}

/** A move proposed (or made) earlier in the same plan: later proposals must not take its slot. */
interface Assumed extends BusyBooking {
  machineId: number;
  typeId: number;
}

function assume(state: MachineState, assumed: Assumed[]): void {
  for (const a of assumed) if (a.machineId === state.machine.id) state.bookings.push({ id: a.id, ikmId: a.ikmId, start: a.start, end: a.end, assisted: a.assisted });
}

/** The text recorded as the staff override and given to the IKM: the window's reason. */
function moveReason(window: { reason: string; kind: string }): string {
  return translate("id", window.kind === "breakdown" ? "floor.maintenance.moveReason.breakdown" : "floor.maintenance.moveReason.planned", { reason: window.reason });
}

function requestOf(b: Booking, machineId: number, start: number, end: number, overrideReason: string): BookingRequestInput {
  return { machineId, start, end, purpose: b.purpose, assisted: b.assisted === 1, source: b.source as BookingSource, overrideReason };
}

/**
 * The engine's best alternative for a booking the window displaces: the same machine around
 * it or the same time on another machine of its type, feasible by every rule (soft ones are
 * overridden: the IKM did not cause the move). `unsaved` is the window when it is not written
 * yet; `assumed` are the moves proposed before this one.
 */
async function bestAlternative(db: DbOrTx, ctx: Ctx, b: Booking, overrideReason: string, unsaved: MaintenanceWindow | null, assumed: Assumed[]): Promise<Alternative | null> {
  const machine = await getMachine(db, b.machine_id);
  if (!machine) return null;
  const loaded = await loadDecisionInput(db, ctx, machine, b.ikm_id, requestOf(b, machine.id, Number(b.start_at), Number(b.end_at), overrideReason), b.id);
  const { input, facility } = loaded;
  if (unsaved) input.state.maintenance.push(unsaved);
  assume(input.state, assumed);
  for (const a of assumed) {
    if (a.ikmId === b.ikm_id && a.typeId === machine.type_id) input.ikm.typeHoldings.push({ start: a.start, end: a.end });
    if (a.assisted) input.operators.assistedBookings.push({ start: a.start, end: a.end });
  }
  const others = await db
    .selectFrom("machines")
    .selectAll()
    .where("type_id", "=", machine.type_id)
    .where("id", "!=", machine.id)
    .where("status", "=", "active")
    .execute();
  const window = { start: Number(b.start_at) - DAY_MS, end: Number(b.end_at) + DAY_MS };
  const states = await loadMachineStates(db, others, facility, window, Number(b.start_at), b.id);
  for (const s of states) assume(s, assumed);
  const [best] = findAlternatives(input, states, { searchDays: ALTERNATIVE_SEARCH_DAYS });
  return best ?? null;
}

/** The bookings a window touches, each with the engine's proposal, in time order. */
async function proposalsFor(db: DbOrTx, ctx: Ctx, window: PlanInput & { id?: number }): Promise<Affected[]> {
  const rows = await bookingsInWindow(db, window.machineId, window);
  const machine = await getMachine(db, window.machineId);
  const unsaved: MaintenanceWindow | null = window.id === undefined ? { id: -1, start: window.start, end: window.end, kind: window.kind } : null;
  const reason = moveReason(window);
  const assumed: Assumed[] = [];
  const out: Affected[] = [];
  for (const b of rows) {
    if (!MOVABLE.includes(b.status)) {
      out.push({ booking: b, movable: false, proposal: null });
      continue;
    }
    const proposal = await bestAlternative(db, ctx, b, reason, unsaved, assumed);
    if (proposal) {
      const target = proposal.machineId === b.machine_id ? machine : await getMachine(db, proposal.machineId);
      assumed.push({ id: b.id, ikmId: b.ikm_id, start: proposal.start, end: proposal.end, assisted: b.assisted === 1, machineId: proposal.machineId, typeId: target?.type_id ?? -1 });
    }
    out.push({ booking: b, movable: true, proposal });
  }
  return out;
}

/** Before anything is written: the bookings a planned window or breakdown would touch, with proposals. */
export async function previewMaintenance(db: DbOrTx, ctx: Ctx, plan: PlanInput): Promise<Affected[]> {
  requireMaintenance(ctx);
  validatePlan(plan, ctx.now);
  await machineOrInvalid(db, plan.machineId);
  return proposalsFor(db, ctx, plan);
}

/** A window's bookings still to resolve (pending/confirmed/in use inside it), with proposals. */
export async function windowProposals(db: DbOrTx, ctx: Ctx, w: MaintenanceWindowRow): Promise<Affected[]> {
  requireMaintenance(ctx);
  if (w.end_at !== null && Number(w.end_at) <= ctx.now) return [];
  return proposalsFor(db, ctx, { id: w.id, machineId: w.machine_id, kind: w.kind as PlanInput["kind"], start: Number(w.start_at), end: w.end_at === null ? null : Number(w.end_at), reason: w.reason });
}

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
  return { machineId: machine.id, machineCode: machine.code, machineName: machine.name, start: target.start, end: target.end, status };
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

interface ResolvedEntry {
  bookingId: number;
  action: Applied["action"];
  from?: { machineCode: string; start: number; end: number };
  to?: Alternative;
}

/** What was done to a window's bookings (from its audit trail), newest first, with the IKM to tell. */
export async function resolutionHistory(db: DbOrTx, windowId: number) {
  const events = await db
    .selectFrom("audit_events")
    .select(["id", "after_json", "created_at"])
    .where("entity", "=", "maintenance_window")
    .where("entity_id", "=", String(windowId))
    .where("action", "=", "maintenance.resolve")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const entries = events.flatMap((e) => (JSON.parse(e.after_json ?? "[]") as ResolvedEntry[]).map((x) => ({ ...x, at: Number(e.created_at) })));
  const ids = [...new Set(entries.map((x) => x.bookingId))];
  const ikms = ids.length
    ? await db.selectFrom("bookings").innerJoin("ikms", "ikms.id", "bookings.ikm_id").select(["bookings.id", "ikms.name", "ikms.phone"]).where("bookings.id", "in", ids).execute()
    : [];
  const byId = new Map(ikms.map((r) => [r.id, r]));
  return entries
    .filter((x) => x.action === "moved" || x.action === "cancelled")
    .map((x) => ({ ...x, ikmName: byId.get(x.bookingId)?.name ?? "", phone: byId.get(x.bookingId)?.phone ?? null }));
}
