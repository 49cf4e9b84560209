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
  isoWeekRange,
  type OperatorMode,
} from "~/scheduling";
import {
  getMachine,
  loadAssistedBookings,
  loadCalendar,
  loadFacility,
  loadIkmFacts,
  loadIkmTypeHoldings,
  loadMachineStates,
} from "~/models/scheduling.server";
import type { Principal } from "~/utils/permissions";
import { canSeeIkmRecord, isStaff } from "~/utils/permissions";
import { audit } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { insertBooking } from "~/models/booking.server";
import { ALTERNATIVE_SEARCH_DAYS, LATE_CANCEL_MS } from "~/scheduling";

/** How far around a request the alternatives search (and so the data loaded for it) reaches. */

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
export async function resolveIkm(db: DbOrTx, user: Principal, ikmId: number | undefined): Promise<number> {
  if (user.role === "ikm") {
    if (user.ikmId === null) throw new ServiceError("forbidden", "error.forbidden.title");
    // A deactivated IKM's members keep their history but can no longer book (admin decision).
    const own = await db.selectFrom("ikms").select("active").where("id", "=", user.ikmId).executeTakeFirst();
    if (!own?.active) throw new ServiceError("invalid_state", "admin.ikm.bookingBlocked");
    return user.ikmId;
  }
  if (!isStaff(user)) throw new ServiceError("forbidden", "error.forbidden.title");
  if (ikmId === undefined) throw new ServiceError("invalid", "booking.error.ikmRequired", { field: "ikmId" });
  const ikm = await db.selectFrom("ikms").select(["id", "active"]).where("id", "=", ikmId).executeTakeFirst();
  if (!ikm?.active) throw new ServiceError("invalid", "booking.error.ikmUnknown", { field: "ikmId" });
  return ikm.id;
}

/** Everything decide() needs for one request (exported for services that decide moves themselves, e.g. maintenance). */
export interface Loaded {
  input: DecisionInput;
  facility: Facility;
  machine: Machine;
  /** Present when only the decision's own data was loaded (scope "decision"): loads it again
   * from `db` (not the finished transaction), wide enough for findAlternatives. */
  widen?: (db: DbOrTx) => Promise<Loaded>;
}

/**
 * How much loadDecisionInput reads. "alternatives" (the default): the machine's bookings, the
 * IKM's hours and the assisted bookings ALTERNATIVE_SEARCH_DAYS around the request, enough for
 * findAlternatives too. "decision": only what decide() looks at — a day around the request
 * (more than any buffer) and the ISO week of its start for the weekly quota — which is all an
 * accepted request needs; decide() reaches the same result on either. (A performance choice:
 * see bench/README.md.)
 */
export type LoadScope = "decision" | "alternatives";

/** The parts of a decision's input that depend on how far around the request they reach. */
async function loadWindowed(
  db: DbOrTx,
  ctx: Ctx,
  machine: Machine,
  ikmId: number,
  req: BookingRequestInput,
  facility: Facility,
  excludeBookingId: number | undefined,
  scope: LoadScope,
) {
  const margin = scope === "decision" ? DAY_MS : ALTERNATIVE_SEARCH_DAYS * DAY_MS;
  const window = { start: req.start - margin, end: req.end + margin };
  const quotaWindow =
    scope === "decision"
      ? isoWeekRange(req.start, facility.time_zone)
      : { start: window.start - 7 * DAY_MS, end: window.end + 7 * DAY_MS };
  const [[state], typeHoldings, assisted] = await Promise.all([
    loadMachineStates(db, [machine], facility, window, req.start, excludeBookingId, ctx.now),
    loadIkmTypeHoldings(db, ikmId, machine.type_id, quotaWindow, excludeBookingId),
    loadAssistedBookings(db, window, excludeBookingId),
  ]);
  return { state, typeHoldings, assisted };
}

/** Everything decide() needs for one request, by default with data wide enough for alternatives too. */
export async function loadDecisionInput(
  db: DbOrTx,
  ctx: Ctx,
  machine: Machine,
  ikmId: number,
  req: BookingRequestInput,
  excludeBookingId?: number,
  scope: LoadScope = "alternatives",
): Promise<Loaded> {
  const facility = await loadFacility(db);
  const [calendar, { state, typeHoldings, assisted }, ikm] = await Promise.all([
    loadCalendar(db, facility),
    loadWindowed(db, ctx, machine, ikmId, req, facility, excludeBookingId, scope),
    loadIkmFacts(db, ikmId, machine.type_id, req.start, ctx.now, excludeBookingId),
  ]);
  if (!ikm) throw new Error(`IKM ${ikmId} not found`);
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
      activeBookings: ikm.activeBookings,
      qualified: ikm.qualified,
      restrictedUntil: ikm.restrictedUntil,
    },
    operators: { operatorsOnDuty: facility.operators_on_duty, assistedBookings: assisted },
  };
  const loaded: Loaded = { input, facility, machine };
  if (scope === "decision") {
    // Only the windowed parts are read again; the facility, calendar and IKM facts stay those
    // the decision saw.
    loaded.widen = async (outer) => {
      const wide = await loadWindowed(outer, ctx, machine, ikmId, req, facility, excludeBookingId, "alternatives");
      return {
        input: {
          ...input,
          state: wide.state,
          ikm: { ...input.ikm, typeHoldings: wide.typeHoldings },
          operators: { ...input.operators, assistedBookings: wide.assisted },
        },
        facility,
        machine,
      };
    };
  }
  return loaded;
}

/** Alternatives: the same machine around the request, and the same time on the same type. */
async function alternativesFor(db: DbOrTx, loaded: Loaded, excludeBookingId?: number): Promise<Alternative[]> {
  const { input, facility, machine } = loaded.widen ? await loaded.widen(db) : loaded;
  const others = await db
    .selectFrom("machines")
    .selectAll()
    .where("type_id", "=", machine.type_id)
    .where("id", "!=", machine.id)
    .where("status", "=", "active")
    .execute();
  const window = { start: input.request.start - DAY_MS, end: input.request.end + DAY_MS };
  const states = await loadMachineStates(db, others, facility, window, input.request.start, excludeBookingId, input.now);
  return findAlternatives(input, states, { searchDays: ALTERNATIVE_SEARCH_DAYS });
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

export function holdEnd(loaded: Loaded, end: number): number {
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
      const loaded = await loadDecisionInput(trx, ctx, machine, ikmId, req, undefined, "decision");
      const decision = decide(loaded.input);
      if (!decision.ok) {
        await recordAttempt(trx, ctx, loaded, decision.violations);
        return { ok: false, loaded, violations: decision.violations };
      }
      const booking = await insertBooking(
        trx,
        {
          machine_id: machine.id,
          ikm_id: ikmId,
          booked_by: ctx.user.id,
          start_at: req.start,
          end_at: req.end,
          hold_end_at: holdEnd(loaded, req.end),
          status: decision.status ?? "pending",
          source: req.source ?? "web",
          purpose: req.purpose,
          assisted: loaded.input.request.assisted,
          series_id: req.seriesId ?? null,
          override_reason: decision.overridden.length ? (loaded.input.request.overrideReason ?? null) : null,
        },
        ctx.now,
      );
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

/** A decision as the booking form shows it before anything is written. */
export interface BookingCheck {
  ok: boolean;
  status: "pending" | "confirmed" | null;
  violations: Violation[];
  /** Non-blocking facts (e.g. IKM_RESTRICTED turning the booking pending). */
  notices: Violation[];
  alternatives: Alternative[];
  feeEstimate: number;
}

/** A booking of the same IKM decided earlier but not written yet (a series' earlier occurrence). */
export interface AssumedBooking {
  machineId: number;
  typeId: number;
  start: number;
  end: number;
  assisted: boolean;
}

/**
 * Decide a request exactly as requestBooking would, WITHOUT writing anything (no booking, no
 * attempt, no audit): the booking form's live check and confirmation step, and series previews.
 * `assume` counts not-yet-written bookings of the same IKM as held (overlap, quotas, operators).
 */
export async function checkBooking(db: Db, ctx: Ctx, req: BookingRequestInput, assume: AssumedBooking[] = []): Promise<BookingCheck> {
  const machine = await getMachine(db, req.machineId);
  if (!machine) throw notFound();
  if (!isStaff(ctx.user) && (req.source === "backfill" || req.source === "walk_in")) {
    throw new ServiceError("forbidden", "error.forbidden.title");
  }
  const ikmId = await resolveIkm(db, ctx.user, req.ikmId);
  const loaded = await loadDecisionInput(db, ctx, machine, ikmId, req);
  const { input } = loaded;
  assume.forEach((a, i) => {
    const held = { start: a.start, end: a.end };
    if (a.machineId === machine.id) input.state.bookings.push({ id: -(i + 1), ikmId, ...held, assisted: a.assisted });
    if (a.typeId === machine.type_id) input.ikm.typeHoldings.push(held);
    if (a.start > ctx.now) input.ikm.activeBookings += 1;
    if (a.assisted) input.operators.assistedBookings.push(held);
  });
  const decision = decide(input);
  const fee = feeEstimate(loaded, req.start, req.end);
  const notices = visibleViolations(decision.notices, ctx.user);
  if (decision.ok) return { ok: true, status: decision.status, violations: [], notices, alternatives: [], feeEstimate: fee };
  const alternatives = await alternativesFor(db, loaded);
  return { ok: false, status: null, violations: visibleViolations(decision.violations, ctx.user), notices, alternatives, feeEstimate: fee };
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
      const loaded = await loadDecisionInput(trx, ctx, machine, before.ikm_id, req, before.id, "decision");
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
