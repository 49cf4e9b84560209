/**
 * Planning a maintenance window or a breakdown before anything is written: the bookings it
 * overlaps, each with its best alternative (the engine's findAlternatives, with the new window and
 * the moves proposed before it taken into account); and, afterwards, what was done to them.
 */
import type { DbOrTx } from "#db/connection";
import type { Booking, MaintenanceWindowRow } from "#db/schema";
import { translate } from "~/i18n";
import {
  type Alternative,
  type BookingSource,
  type BusyBooking,
  DAY_MS,
  type MachineState,
  type MaintenanceWindow,
  findAlternatives,
} from "~/scheduling";
import { bookingsInWindow } from "~/models/floor.server";
import { getMachine, loadMachineStates, sameTypeMachines } from "~/models/scheduling.server";
import { can } from "~/utils/permissions";
import { type BookingRequestInput, type Ctx, loadDecisionInput } from "../booking/decision-input.server";
import { ServiceError } from "../errors.server";
import { ALTERNATIVE_SEARCH_DAYS } from "~/scheduling";

export const MOVABLE = ["pending", "confirmed"];

export function requireMaintenance(ctx: Ctx): void {
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

export function validatePlan(plan: PlanInput, now: number): void {
  if (!plan.reason.trim()) throw new ServiceError("invalid", "floor.validation.reasonRequired", { field: "reason" });
  if (plan.kind === "planned" && plan.end === null) throw new ServiceError("invalid", "floor.validation.endRequired", { field: "end" });
  if (plan.end !== null && plan.end <= plan.start) throw new ServiceError("invalid", "floor.maintenance.error.endBeforeStart", { field: "end" });
  if (plan.end !== null && plan.end <= now) throw new ServiceError("invalid", "floor.maintenance.error.inPast", { field: "end" });
  if (plan.end !== null && plan.end - plan.start > 90 * DAY_MS) throw new ServiceError("invalid", "floor.maintenance.error.tooLong", { field: "end" });
}

export async function machineOrInvalid(db: DbOrTx, id: number) {
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
export function moveReason(window: { reason: string; kind: string }): string {
  return translate("id", window.kind === "breakdown" ? "floor.maintenance.moveReason.breakdown" : "floor.maintenance.moveReason.planned", { reason: window.reason });
}

export function requestOf(b: Booking, machineId: number, start: number, end: number, overrideReason: string): BookingRequestInput {
  return { machineId, start, end, purpose: b.purpose, assisted: b.assisted === 1, source: b.source as BookingSource, overrideReason };
}

/**
 * The engine's best alternative for a booking the window displaces: the same machine around
 * it or the same time on another machine of its type, feasible by every rule (soft ones are
 * overridden: the IKM did not cause the move). `unsaved` is the window when it is not written
 * yet; `assumed` are the moves proposed before this one.
 */
export async function bestAlternative(db: DbOrTx, ctx: Ctx, b: Booking, overrideReason: string, unsaved: MaintenanceWindow | null, assumed: Assumed[]): Promise<Alternative | null> {
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
  const others = await sameTypeMachines(db, machine);
  const window = { start: Number(b.start_at) - DAY_MS, end: Number(b.end_at) + DAY_MS };
  const states = await loadMachineStates(db, others, facility, window, Number(b.start_at), b.id);
  for (const s of states) assume(s, assumed);
  const [best] = findAlternatives(input, states, { searchDays: ALTERNATIVE_SEARCH_DAYS, assistedInstead: false });
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
