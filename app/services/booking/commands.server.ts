/**
 * Booking commands used by pages and the API alike: decide and write in one immediate transaction.
 * Refusals are recorded as booking attempts (the raw data of unmet demand); every change writes an
 * audit event and tells the IKM.
 */
import type SqliteDatabase from "better-sqlite3";
import { type Db, type DbOrTx, LOCK_IKM, LOCK_OPERATORS, decisionTransaction, exclusively, immediate, isOverlapError, lockFor, sqliteOf } from "#db/connection";
import type { Booking } from "#db/schema";
import {
  type Alternative,
  type BookingSource,
  type Decision,
  type Interval,
  type Violation,
  decide,
  freeUntil,
} from "~/scheduling";
import { getMachine } from "~/models/scheduling.server";
import { referenceData, referenceDataSync } from "~/models/reference.server";
import type { Principal } from "~/utils/permissions";
import { canSeeIkmRecord, isStaff } from "~/utils/permissions";
import { audit, auditQuery, auditRow } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";
import { auditAndNotifyIkm, notifyIkm, notifyIkmSync } from "../messaging/notify.server";
import {
  bookingForUpdate,
  bookingWithNames,
  ikmStatus,
  ikmStatusQuery,
  insertAttempt,
  insertAttemptQuery,
  insertBooking,
  insertBookingQuery,
  newBookingRow,
} from "~/models/booking.server";
import { type OperatorMode, effectiveAssisted, isUndo, lateIfCancelledAt } from "~/scheduling";
import {
  type BookingOutcome,
  type BookingRequestInput,
  type Ctx,
  type Loaded,
  alternativesFor,
  alternativesForSync,
  feeEstimate,
  holdEnd,
  loadDecisionInput,
  loadDecisionInputSync,
  visibleViolations,
} from "./decision-input.server";
import { acceptedBooking, attemptOf, createdAudit, createdNotice, ikmAllowed, ikmToLookUp, refuseStaffSources } from "./decision-rows.server";
import { slotFreed } from "./freed-time.server";

/** Which IKM a request is for: an IKM member's own; staff must name one. */
export async function resolveIkm(db: DbOrTx, user: Principal, ikmId: number | undefined): Promise<number> {
  const id = ikmToLookUp(user, ikmId);
  return ikmAllowed(user, await ikmStatus(db, id));
}

async function recordAttempt(db: DbOrTx, ctx: Ctx, loaded: Loaded, violations: Violation[]) {
  await insertAttempt(db, attemptOf(ctx, loaded, violations));
}

function overlapRefusal(req: { start: number; end: number }): Violation[] {
  return [{ code: "OVERLAP", params: {}, conflict: { start: req.start, end: req.end, kind: "booking" }, overridable: false }];
}

/**
 * What a caller writes in the same transaction as an accepted booking (the logbook's usage record):
 * it gets the booking just written and returns the booking as it then stands.
 */
export type AfterBooking = (trx: DbOrTx, booking: Booking) => Promise<Booking>;

/**
 * Decide a new booking and write it, or record the refusal; alternatives come with a refusal.
 * The machine row is read inside the decision's transaction, so a rule change cannot slip in
 * between the read and the decision.
 */
export async function requestBooking(db: Db, ctx: Ctx, req: BookingRequestInput, afterWrite?: AfterBooking): Promise<BookingOutcome> {
  const fast = sqliteOf(db) !== null && !afterWrite;
  // The IKM the request is for, when it can be told before reading anything (its lock is then
  // taken with the machine's); an invalid request fails inside the decision, with its own error.
  let knownIkm: number | undefined;
  try {
    knownIkm = ikmToLookUp(ctx.user, req.ikmId);
  } catch {
    knownIkm = undefined;
  }
  let result: Written;
  try {
    // SQLite: the whole decision as one synchronous function in one immediate transaction.
    result = fast
      ? await exclusively(db, (sqlite) => sqlite.transaction(() => decideAndWriteSync(sqlite, ctx, req)).immediate())
      : await decisionTransaction(db, req.machineId, (trx) => decideAndWrite(trx, ctx, req, afterWrite, knownIkm), knownIkm);
  } catch (error) {
    // The database's own no-overlap guarantee: a refusal, never a 500.
    if (!isOverlapError(error)) throw error;
    return { ok: false, violations: overlapRefusal(req), alternatives: [] };
  }
  if (fast && !result.ok) {
    // The alternatives, after the commit, synchronously too.
    const refused = result;
    const alternatives = await exclusively(db, (sqlite) => alternativesForSync(sqlite, refused.loaded));
    return { ok: false, violations: visibleViolations(refused.violations, ctx.user), alternatives };
  }
  return outcome(db, ctx, result, req);
}

/** The decision and its writes, inside the decision's transaction (any engine). */
async function decideAndWrite(trx: DbOrTx, ctx: Ctx, req: BookingRequestInput, afterWrite?: AfterBooking, lockedIkm?: number): Promise<Written> {
  const ref = await referenceData(trx);
  const machine = ref.machines.get(req.machineId);
  if (!machine) throw notFound();
  refuseStaffSources(ctx, req);
  const ikmId = await resolveIkm(trx, ctx.user, req.ikmId);
  // PostgreSQL (decisionTransaction): the IKM's quota and, when assisted, the operators on duty.
  if (ikmId !== lockedIkm) await lockFor(trx, LOCK_IKM, ikmId);
  if (effectiveAssisted(machine.operator_mode as OperatorMode, !!req.assisted)) await lockFor(trx, LOCK_OPERATORS, 0);
  const loaded = await loadDecisionInput(trx, ctx, machine, ikmId, req, undefined, "decision", ref);
  const decision = decide(loaded.input);
  if (!decision.ok) {
    await recordAttempt(trx, ctx, loaded, decision.violations);
    return { ok: false, loaded, violations: decision.violations };
  }
  const booking = await insertBooking(trx, acceptedBooking(ctx, req, machine, ikmId, loaded, decision), ctx.now);
  const notice = createdNotice(machine, booking);
  await auditAndNotifyIkm(trx, createdAudit(ctx, booking, decision, loaded), { ikmId, kind: notice.kind, bookingId: booking.id, params: notice.params, at: ctx.now });
  return { ok: true, booking: afterWrite ? await afterWrite(trx, booking) : booking, decision, loaded };
}

/**
 * decideAndWrite on SQLite, synchronously, inside an immediate transaction: the same reads,
 * decision and writes, with statements compiled once (app/models/query.server.ts).
 */
function decideAndWriteSync(sqlite: SqliteDatabase.Database, ctx: Ctx, req: BookingRequestInput): Written {
  const ref = referenceDataSync(sqlite);
  const machine = ref.machines.get(req.machineId);
  if (!machine) throw notFound();
  refuseStaffSources(ctx, req);
  const ikmId = ikmAllowed(ctx.user, ikmStatusQuery.get(sqlite, { ikmId: ikmToLookUp(ctx.user, req.ikmId) }));
  const loaded = loadDecisionInputSync(sqlite, ctx, machine, ikmId, req, ref);
  const decision = decide(loaded.input);
  if (!decision.ok) {
    insertAttemptQuery.run(sqlite, attemptOf(ctx, loaded, decision.violations));
    return { ok: false, loaded, violations: decision.violations };
  }
  const booking = insertBookingQuery.get(sqlite, newBookingRow(acceptedBooking(ctx, req, machine, ikmId, loaded, decision), ctx.now));
  if (!booking) throw new Error("The booking was not written");
  auditQuery.run(sqlite, auditRow(createdAudit(ctx, booking, decision, loaded)));
  const notice = createdNotice(machine, booking);
  notifyIkmSync(sqlite, ikmId, notice.kind, booking.id, notice.params, ctx.now);
  return { ok: true, booking, decision, loaded };
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
  /** Where the machine's free time from the requested start ends (null: the start is not free):
   * the booking form offers durations up to it. */
  freeUntil?: number | null;
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
  const until = freeUntil(input.state, input.calendar, req.start);
  if (decision.ok) return { ok: true, status: decision.status, violations: [], notices, alternatives: [], feeEstimate: fee, freeUntil: until };
  const alternatives = await alternativesFor(db, loaded);
  return { ok: false, status: null, violations: visibleViolations(decision.violations, ctx.user), notices, alternatives, feeEstimate: fee, freeUntil: until };
}

/** A booking the user may see, or null (404 for the caller, never 403). */
export async function getVisibleBooking(db: DbOrTx, user: Principal, id: number) {
  const b = await bookingWithNames(db, id);
  if (!b || !canSeeIkmRecord(user, b.ikm_id)) return null;
  return b;
}

async function lockedBooking(trx: DbOrTx, user: Principal, id: number): Promise<Booking> {
  const b = await bookingForUpdate(trx, id);
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
    // Undone within seconds of booking (a wrong tap on a one-tap alternative): not a late cancellation.
    const undo = isUndo(Number(before.created_at), ctx.now);
    const late = lateIfCancelledAt({ createdAt: Number(before.created_at), start: Number(before.start_at) }, ctx.now) ? 1 : 0;
    const booking = await trx
      .updateTable("bookings")
      .set({ status: "cancelled", cancelled_at: ctx.now, late_cancel: late, status_reason: reason?.trim() || null, updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: undo ? "booking.undo" : "booking.cancel", entity: "booking", entityId: id, before, after: booking, reason: reason ?? null, requestId: ctx.requestId, at: ctx.now });
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
