/**
 * Booking services used by pages and the API alike: load exactly what the engine needs, decide,
 * and write in one immediate transaction. Refusals are recorded as booking attempts (the raw
 * data of unmet demand); every change writes an audit event and tells the IKM.
 */
import { type Db, type DbOrTx, immediate, isOverlapError } from "#db/connection";
import type { Booking, Facility, Machine } from "#db/schema";
import {
  type Actor,
  type Alternative,
  type BookingSource,
  type Decision,
  type DecisionInput,
  type Interval,
  type Violation,
  DAY_MS,
  breakIntervals,
  computeFee,
  decide,
  effectiveAssisted,
  findAlternatives,
  type OperatorMode,
} from "~/scheduling";
import {
  countActiveBookings,
  getMachine,
  ikmQualified,
  loadAssistedBookings,
  loadCalendar,
  loadFacility,
  loadIkmTypeHoldings,
  loadMachineStates,
} from "~/models/scheduling.server";
import type { Principal } from "~/utils/permissions";
import { canSeeIkmRecord, isStaff } from "~/utils/permissions";
import { audit } from "./audit.server";
import { ServiceError, notFound } from "./errors.server";
import { notifyIkm } from "./notify.server";

/** How far around a request the alternatives search (and so the data loaded for it) reaches. */
const SEARCH_DAYS = 14;
const LATE_CANCEL_MS = DAY_MS;

export interface BookingRequestInput {
  machineId: number;
  start: number;
  end: number;
  purpose: string;
  assisted?: boolean;
  /** Staff only: the IKM booked for. IKM members always book for their own IKM. */
  ikmId?: number;
  source?: BookingSource;
  /** Staff only: override soft rules with this recorded reason. */
  overrideReason?: string;
  seriesId?: number;
}

export type BookingOutcome =
  | { ok: true; booking: Booking; decision: Decision; feeEstimate: number }
  | { ok: false; violations: Violation[]; alternatives: Alternative[] };

export interface Ctx {
  user: Principal;
  now: number;
  requestId?: string;
}

function actorOf(user: Principal): Actor {
  return { role: user.role, userId: user.id };
}

/** Which IKM a request is for: an IKM member's own; staff must name one. */
async function resolveIkm(db: DbOrTx, user: Principal, ikmId: number | undefined): Promise<number> {
  if (user.role === "ikm") {
    if (user.ikmId === null) throw new ServiceError("forbidden", "error.forbidden.title");
    return user.ikmId;
  }
  if (!isStaff(user)) throw new ServiceError("forbidden", "error.forbidden.title");
  if (ikmId === undefined) throw new ServiceError("invalid", "booking.error.ikmRequired", { field: "ikmId" });
  const ikm = await db.selectFrom("ikms").select(["id", "active"]).where("id", "=", ikmId).executeTakeFirst();
  if (!ikm?.active) throw new ServiceError("invalid", "booking.error.ikmUnknown", { field: "ikmId" });
  return ikm.id;
}

interface Loaded {
  input: DecisionInput;
  facility: Facility;
  machine: Machine;
}

/** Everything decide() needs for one request, with data wide enough for alternatives too. */
async function loadDecisionInput(
  db: DbOrTx,
  ctx: Ctx,
  machine: Machine,
  ikmId: number,
  req: BookingRequestInput,
  excludeBookingId?: number,
): Promise<Loaded> {
  const facility = await loadFacility(db);
  const window = { start: req.start - SEARCH_DAYS * DAY_MS, end: req.end + SEARCH_DAYS * DAY_MS };
  const quotaWindow = { start: window.start - 7 * DAY_MS, end: window.end + 7 * DAY_MS };
  const [calendar, [state], typeHoldings, activeBookings, qualified, ikm, assisted] = await Promise.all([
    loadCalendar(db, facility),
    loadMachineStates(db, [machine], facility, window, req.start, excludeBookingId),
    loadIkmTypeHoldings(db, ikmId, machine.type_id, quotaWindow, excludeBookingId),
    countActiveBookings(db, ikmId, ctx.now, excludeBookingId),
    ikmQualified(db, ikmId, machine.type_id, req.start),
    db.selectFrom("ikms").select("restricted_until").where("id", "=", ikmId).executeTakeFirstOrThrow(),
    loadAssistedBookings(db, window, excludeBookingId),
  ]);
  const input: DecisionInput = {
    now: ctx.now,
    actor: actorOf(ctx.user),
    calendar,
    request: {
      machineId: machine.id,
      ikmId,
      start: req.start,
      end: req.end,
      assisted: effectiveAssisted(machine.operator_mode as OperatorMode, !!req.assisted),
      source: req.source ?? "web",
      excludeBookingId,
      overrideReason: isStaff(ctx.user) ? req.overrideReason?.trim() || undefined : undefined,
    },
    state,
    ikm: {
      ikmId,
      typeHoldings,
      activeBookings,
      qualified,
      restrictedUntil: ikm.restricted_until === null ? null : Number(ikm.restricted_until),
    },
    operators: { operatorsOnDuty: facility.operators_on_duty, assistedBookings: assisted },
  };
  return { input, facility, machine };
}

/** Alternatives: the same machine around the request, and the same time on the same type. */
async function alternativesFor(db: DbOrTx, loaded: Loaded, excludeBookingId?: number): Promise<Alternative[]> {
  const { input, facility, machine } = loaded;
  const others = await db
    .selectFrom("machines")
    .selectAll()
    .where("type_id", "=", machine.type_id)
    .where("id", "!=", machine.id)
    .where("status", "=", "active")
    .execute();
  const window = { start: input.request.start - DAY_MS, end: input.request.end + DAY_MS };
  const states = await loadMachineStates(db, others, facility, window, input.request.start, excludeBookingId);
  return findAlternatives(input, states, { searchDays: SEARCH_DAYS });
}

/** What an IKM may see of a violation: never another IKM's booking id. */
export function visibleViolations(violations: Violation[], user: Principal): Violation[] {
  if (isStaff(user)) return violations;
  return violations.map((v) => {
    if (v.conflict?.kind !== "booking" || v.conflict.ownIkm) return v;
    const { id: _hidden, ...conflict } = v.conflict;
    return { ...v, conflict };
  });
}

function feeEstimate(loaded: Loaded, start: number, end: number): number {
  const rules = loaded.input.state.machine.rules;
  return computeFee({
    actualStart: start,
    actualEnd: end,
    billingIncrementMinutes: rules.billingIncrementMinutes,
    hourlyRate: rules.hourlyRate,
    breaks: breakIntervals({ start, end }, loaded.input.calendar),
  }).fee;
}

function holdEnd(loaded: Loaded, end: number): number {
  return end + loaded.input.state.machine.rules.bufferMinutes * 60_000;
}

async function recordAttempt(db: DbOrTx, ctx: Ctx, loaded: Loaded, violations: Violation[]) {
  const r = loaded.input.request;
  await db
    .insertInto("booking_attempts")
    .values({
      ikm_id: r.ikmId,
      user_id: ctx.user.id,
      machine_id: r.machineId,
      machine_type_id: loaded.machine.type_id,
      start_at: r.start,
      end_at: r.end,
      codes: [...new Set(violations.map((v) => v.code))].join(","),
      created_at: ctx.now,
    })
    .execute();
}

function overlapRefusal(req: { start: number; end: number }): Violation[] {
  return [{ code: "OVERLAP", params: {}, conflict: { start: req.start, end: req.end, kind: "booking" }, overridable: false }];
}

/** Decide a new booking and write it, or record the refusal; alternatives come with a refusal. */
export async function requestBooking(db: Db, ctx: Ctx, req: BookingRequestInput): Promise<BookingOutcome> {
  const machine = await getMachine(db, req.machineId);
  if (!machine) throw notFound();
  if (!isStaff(ctx.user) && (req.source === "backfill" || req.source === "walk_in")) {
    throw new ServiceError("forbidden", "error.forbidden.title");
  }
  let result: Written;
  try {
    result = await immediate(db, async (trx): Promise<Written> => {
      const ikmId = await resolveIkm(trx, ctx.user, req.ikmId);
      const loaded = await loadDecisionInput(trx, ctx, machine, ikmId, req);
      const decision = decide(loaded.input);
      if (!decision.ok) {
        await recordAttempt(trx, ctx, loaded, decision.violations);
        return { ok: false, loaded, violations: decision.violations };
      }
      const booking = await trx
        .insertInto("bookings")
        .values({
          machine_id: machine.id,
          ikm_id: ikmId,
          booked_by: ctx.user.id,
          start_at: req.start,
          end_at: req.end,
          hold_end_at: holdEnd(loaded, req.end),
          status: decision.status ?? "pending",
          source: req.source ?? "web",
          purpose: req.purpose,
          assisted: loaded.input.request.assisted ? 1 : 0,
          series_id: req.seriesId ?? null,
          override_reason: decision.overridden.length ? (loaded.input.request.overrideReason ?? null) : null,
          status_reason: null,
          cancelled_at: null,
          late_cancel: 0,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actorUserId: ctx.user.id,
        action: "booking.create",
        entity: "booking",
        entityId: booking.id,
        after: booking,
        reason: decision.overridden.length ? `override ${decision.overridden.map((v) => v.code).join(",")}: ${loaded.input.request.overrideReason}` : null,
        requestId: ctx.requestId,
        at: ctx.now,
      });
      await notifyIkm(trx, ikmId, booking.status === "pending" ? "booking_pending" : "booking_confirmed", booking.id, { machine: machine.code, start: booking.start_at, end: booking.end_at }, ctx.now);
      return { ok: true, booking, decision, loaded };
    });
  } catch (error) {
    // The database's own no-overlap guarantee: a refusal, never a 500.
    if (!isOverlapError(error)) throw error;
    return { ok: false, violations: overlapRefusal(req), alternatives: [] };
  }
  return outcome(db, ctx, result, req);
}

/** The result of a decision's transaction: written, or refused with what the refusal needs. */
type Written =
  | { ok: true; booking: Booking; decision: Decision; loaded: Loaded }
  | { ok: false; loaded: Loaded; violations: Violation[] };

/** Turn a transaction's result into the caller's outcome; alternatives are computed after commit. */
async function outcome(db: Db, ctx: Ctx, w: Written, span: Interval, excludeBookingId?: number): Promise<BookingOutcome> {
  if (w.ok) return { ok: true, booking: w.booking, decision: w.decision, feeEstimate: feeEstimate(w.loaded, span.start, span.end) };
  const alternatives = await alternativesFor(db, w.loaded, excludeBookingId);
  return { ok: false, violations: visibleViolations(w.violations, ctx.user), alternatives };
}

/** A booking the user may see, or null (404 for the caller, never 403). */
export async function getVisibleBooking(db: DbOrTx, user: Principal, id: number) {
  const b = await db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .selectAll("bookings")
    .select(["machines.code as machine_code", "machines.name as machine_name", "ikms.name as ikm_name", "ikms.phone as ikm_phone"])
    .where("bookings.id", "=", id)
    .executeTakeFirst();
  if (!b || !canSeeIkmRecord(user, b.ikm_id)) return null;
  return b;
}

async function lockedBooking(trx: DbOrTx, user: Principal, id: number): Promise<Booking> {
  const b = await trx.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirst();
  if (!b || !canSeeIkmRecord(user, b.ikm_id)) throw notFound();
  return b;
}

/** Move a booking (new time and/or machine), re-decided by the engine excluding itself. */
export async function moveBooking(db: Db, ctx: Ctx, id: number, to: { start: number; end: number; machineId?: number; overrideReason?: string }): Promise<BookingOutcome> {
  let result: Written;
  try {
    result = await immediate(db, async (trx): Promise<Written> => {
      const before = await lockedBooking(trx, ctx.user, id);
      if (!["pending", "confirmed"].includes(before.status)) throw new ServiceError("invalid_state", "booking.error.notMovable");
      if (!isStaff(ctx.user) && Number(before.start_at) <= ctx.now) throw new ServiceError("invalid_state", "booking.error.alreadyStarted");
      const machine = await getMachine(trx, to.machineId ?? before.machine_id);
      if (!machine) throw notFound();
      const req: BookingRequestInput = {
        machineId: machine.id,
        start: to.start,
        end: to.end,
        purpose: before.purpose,
        assisted: before.assisted === 1,
        source: before.source as BookingSource,
        overrideReason: to.overrideReason,
      };
      const loaded = await loadDecisionInput(trx, ctx, machine, before.ikm_id, req, before.id);
      const decision = decide(loaded.input);
      if (!decision.ok) {
        await recordAttempt(trx, ctx, loaded, decision.violations);
        return { ok: false, loaded, violations: decision.violations };
      }
      const booking = await trx
        .updateTable("bookings")
        .set({
          machine_id: machine.id,
          start_at: to.start,
          end_at: to.end,
          hold_end_at: holdEnd(loaded, to.end),
          status: decision.status ?? before.status,
          updated_at: ctx.now,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "booking.move", entity: "booking", entityId: id, before, after: booking, requestId: ctx.requestId, at: ctx.now });
      await notifyIkm(trx, booking.ikm_id, "booking_moved", id, { machine: machine.code, start: booking.start_at, end: booking.end_at, oldStart: before.start_at }, ctx.now);
      return { ok: true, booking, decision, loaded };
    });
  } catch (error) {
    if (!isOverlapError(error)) throw error;
    return { ok: false, violations: overlapRefusal(to), alternatives: [] };
  }
  return outcome(db, ctx, result, to, id);
}

/** Cancel before the start (IKM) or any pending/confirmed booking (staff). Under 24 h before start counts as late. */
export async function cancelBooking(db: Db, ctx: Ctx, id: number, reason?: string): Promise<Booking> {
  return immediate(db, async (trx) => {
    const before = await lockedBooking(trx, ctx.user, id);
    if (!["pending", "confirmed"].includes(before.status)) throw new ServiceError("invalid_state", "booking.error.notCancellable");
    if (!isStaff(ctx.user) && Number(before.start_at) <= ctx.now) throw new ServiceError("invalid_state", "booking.error.alreadyStarted");
    const late = Number(before.start_at) - ctx.now < LATE_CANCEL_MS ? 1 : 0;
    const booking = await trx
      .updateTable("bookings")
      .set({ status: "cancelled", cancelled_at: ctx.now, late_cancel: late, status_reason: reason?.trim() || null, updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.cancel", entity: "booking", entityId: id, before, after: booking, reason: reason ?? null, requestId: ctx.requestId, at: ctx.now });
    if (isStaff(ctx.user)) {
      await notifyIkm(trx, booking.ikm_id, "booking_cancelled", id, { start: booking.start_at, end: booking.end_at, reason: reason ?? "" }, ctx.now);
    }
    await slotFreed(trx, ctx, booking);
    return booking;
  });
}

/** Staff approve a pending booking. */
export async function approveBooking(db: Db, ctx: Ctx, id: number): Promise<Booking> {
  if (!isStaff(ctx.user)) throw notFound();
  return immediate(db, async (trx) => {
    const before = await lockedBooking(trx, ctx.user, id);
    if (before.status !== "pending") throw new ServiceError("invalid_state", "booking.error.notPending");
    const booking = await trx.updateTable("bookings").set({ status: "confirmed", updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.approve", entity: "booking", entityId: id, before, after: booking, requestId: ctx.requestId, at: ctx.now });
    await notifyIkm(trx, booking.ikm_id, "booking_approved", id, { start: booking.start_at, end: booking.end_at }, ctx.now);
    return booking;
  });
}

/** Staff reject a pending booking with a reason; the slot frees at once. */
export async function rejectBooking(db: Db, ctx: Ctx, id: number, reason: string): Promise<Booking> {
  if (!isStaff(ctx.user)) throw notFound();
  if (!reason.trim()) throw new ServiceError("invalid", "booking.error.reasonRequired", { field: "reason" });
  return immediate(db, async (trx) => {
    const before = await lockedBooking(trx, ctx.user, id);
    if (before.status !== "pending") throw new ServiceError("invalid_state", "booking.error.notPending");
    const booking = await trx
      .updateTable("bookings")
      .set({ status: "rejected", status_reason: reason.trim(), updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.reject", entity: "booking", entityId: id, before, after: booking, reason, requestId: ctx.requestId, at: ctx.now });
    await notifyIkm(trx, booking.ikm_id, "booking_rejected", id, { start: booking.start_at, end: booking.end_at, reason: reason.trim() }, ctx.now);
    await slotFreed(trx, ctx, booking);
    return booking;
  });
}

/**
 * Freed time (a cancellation, rejection or no-show, or a maintenance window ended early) is
 * offered to the waitlist by the listeners registered here (the waitlist service). Call
 * `slotFreed` for a booking or `timeFreed` for any interval, inside the same transaction.
 */
type FreedListener = (trx: DbOrTx, ctx: Ctx, freed: { machineId: number } & Interval) => Promise<void>;
const freedListeners: FreedListener[] = [];
export function onSlotFreed(listener: FreedListener): void {
  freedListeners.push(listener);
}
export async function timeFreed(trx: DbOrTx, ctx: Ctx, freed: { machineId: number } & Interval): Promise<void> {
  for (const l of freedListeners) await l(trx, ctx, freed);
}
export function slotFreed(trx: DbOrTx, ctx: Ctx, b: Booking): Promise<void> {
  return timeFreed(trx, ctx, { machineId: b.machine_id, start: Number(b.start_at), end: Number(b.end_at) });
}
