/**
 * What a booking decision reads: exactly what the engine's decide() needs for one request (the
 * machine's state, the IKM's facts, the calendar, the operators), narrow for the decision and wide
 * for the alternatives after a refusal; and what a refusal or an acceptance shows from it.
 */
import type SqliteDatabase from "better-sqlite3";
import type { DbOrTx } from "#db/connection";
import type { Booking, Facility, Machine } from "#db/schema";
import {
  type Actor,
  type Interval,
  type MachineState,
  type Alternative,
  type BookingSource,
  type Decision,
  type DecisionInput,
  type Violation,
  DAY_MS,
  breakIntervals,
  computeFee,
  effectiveAssisted,
  findAlternatives,
  isoWeekRange,
  type OperatorMode,
} from "~/scheduling";
import { type Reference, referenceData, sameTypeIn } from "~/models/reference.server";
import {
  type IkmFacts,
  NO_BOOKING,
  assistedBookingsArgs,
  assistedBookingsQuery,
  ikmFactsOf,
  ikmFactsQuery,
  ikmTypeHoldingsArgs,
  ikmTypeHoldingsQuery,
  intervalsOf,
  loadAssistedBookings,
  loadIkmFacts,
  loadIkmTypeHoldings,
  loadMachineStates,
  machineStateSync,
} from "~/models/scheduling.server";
import type { Principal } from "~/utils/permissions";
import { isStaff } from "~/utils/permissions";
import { ALTERNATIVE_SEARCH_DAYS } from "~/scheduling";

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

export function actorOf(user: Principal): Actor {
  return { staff: isStaff(user), userId: user.id };
}

/** Everything decide() needs for one request (exported for services that decide moves themselves, e.g. maintenance). */
export interface Loaded {
  input: DecisionInput;
  facility: Facility;
  machine: Machine;
  /** The reference data the decision saw (machines, tariffs, maintenance). */
  ref: Reference;
  /** Present when only the decision's own data was loaded (scope "decision"): loads it again
   * from `db` (not the finished transaction), wide enough for findAlternatives. */
  widen?: (db: DbOrTx) => Promise<Loaded>;
  /** The same on SQLite, synchronously (the decision's fast path). */
  widenSync?: (sqlite: SqliteDatabase.Database) => Loaded;
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

/** How far around the request the windowed loads reach: the machine and operators, and the IKM's hours. */
function windowsOf(req: BookingRequestInput, ref: Reference, scope: LoadScope): { window: Interval; quotaWindow: Interval } {
  const margin = scope === "decision" ? DAY_MS : ALTERNATIVE_SEARCH_DAYS * DAY_MS;
  const window = { start: req.start - margin, end: req.end + margin };
  const quotaWindow =
    scope === "decision" ? isoWeekRange(req.start, ref.facility.time_zone) : { start: window.start - 7 * DAY_MS, end: window.end + 7 * DAY_MS };
  return { window, quotaWindow };
}

/**
 * Whether the operators' assisted bookings must be read: decide() counts them only for an
 * assisted request; the alternatives (scope "alternatives") always need them (they may offer the
 * operator instead).
 */
function needsOperators(machine: Machine, req: BookingRequestInput, scope: LoadScope): boolean {
  return scope === "alternatives" || effectiveAssisted(machine.operator_mode as OperatorMode, !!req.assisted);
}

/** The parts of a decision's input that depend on how far around the request they reach. */
async function loadWindowed(
  db: DbOrTx,
  ctx: Ctx,
  machine: Machine,
  ikmId: number,
  req: BookingRequestInput,
  ref: Reference,
  excludeBookingId: number | undefined,
  scope: LoadScope,
) {
  const { window, quotaWindow } = windowsOf(req, ref, scope);
  const [[state], typeHoldings, assisted] = await Promise.all([
    loadMachineStates(db, [machine], ref.facility, window, req.start, excludeBookingId, ctx.now, ref),
    loadIkmTypeHoldings(db, ikmId, machine.type_id, quotaWindow, excludeBookingId),
    needsOperators(machine, req, scope) ? loadAssistedBookings(db, window, excludeBookingId) : Promise.resolve([]),
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
  reference?: Reference,
): Promise<Loaded> {
  const ref = reference ?? (await referenceData(db));
  const [{ state, typeHoldings, assisted }, ikm] = await Promise.all([
    loadWindowed(db, ctx, machine, ikmId, req, ref, excludeBookingId, scope),
    loadIkmFacts(db, ikmId, machine.type_id, req.start, ctx.now, excludeBookingId),
  ]);
  return withWiden(decisionLoaded(ctx, machine, ikmId, req, excludeBookingId, ref, state, typeHoldings, assisted, ikm), ctx, machine, ikmId, req, excludeBookingId, scope);
}

/** What the decision's loads found, put together as decide() takes it. */
function decisionLoaded(
  ctx: Ctx,
  machine: Machine,
  ikmId: number,
  req: BookingRequestInput,
  excludeBookingId: number | undefined,
  ref: Reference,
  state: MachineState,
  typeHoldings: Interval[],
  assisted: Interval[],
  ikm: IkmFacts | undefined,
): Loaded {
  if (!ikm) throw new Error(`IKM ${ikmId} not found`);
  const { facility, calendar } = ref;
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
  return { input, facility, machine, ref };
}

/**
 * With scope "decision", the loader of the wider data for alternatives: only the windowed parts
 * are read again (from `outer`, not the finished transaction); the facility, calendar and IKM
 * facts stay those the decision saw.
 */
function withWiden(loaded: Loaded, ctx: Ctx, machine: Machine, ikmId: number, req: BookingRequestInput, excludeBookingId: number | undefined, scope: LoadScope): Loaded {
  if (scope !== "decision") return loaded;
  const { input, facility, ref } = loaded;
  const widened = (wide: Windowed): Loaded => ({
    input: {
      ...input,
      state: wide.state,
      ikm: { ...input.ikm, typeHoldings: wide.typeHoldings },
      operators: { ...input.operators, assistedBookings: wide.assisted },
    },
    facility,
    machine,
    ref,
  });
  loaded.widen = async (outer) => widened(await loadWindowed(outer, ctx, machine, ikmId, req, ref, excludeBookingId, "alternatives"));
  if (excludeBookingId === undefined) loaded.widenSync = (sqlite) => widened(loadWindowedSync(sqlite, ctx, machine, ikmId, req, ref, "alternatives"));
  return loaded;
}

type Windowed = Awaited<ReturnType<typeof loadWindowed>>;

/** loadWindowed on SQLite, synchronously (no booking left out). */
function loadWindowedSync(sqlite: SqliteDatabase.Database, ctx: Ctx, machine: Machine, ikmId: number, req: BookingRequestInput, ref: Reference, scope: LoadScope): Windowed {
  const { window, quotaWindow } = windowsOf(req, ref, scope);
  return {
    state: machineStateSync(sqlite, machine, ref, window, req.start, ctx.now),
    typeHoldings: intervalsOf(ikmTypeHoldingsQuery.all(sqlite, ikmTypeHoldingsArgs(ikmId, machine.type_id, quotaWindow))),
    assisted: needsOperators(machine, req, scope) ? intervalsOf(assistedBookingsQuery.all(sqlite, assistedBookingsArgs(window))) : [],
  };
}

/**
 * loadDecisionInput(…, "decision") on SQLite, synchronously, inside the decision's own
 * transaction: the same statements (compiled once, app/models/query.server.ts) and the same
 * result, without building queries or awaiting promises.
 */
export function loadDecisionInputSync(sqlite: SqliteDatabase.Database, ctx: Ctx, machine: Machine, ikmId: number, req: BookingRequestInput, ref: Reference): Loaded {
  const { state, typeHoldings, assisted } = loadWindowedSync(sqlite, ctx, machine, ikmId, req, ref, "decision");
  const ikm = ikmFactsOf(ikmFactsQuery.get(sqlite, { ikmId, typeId: machine.type_id, at: req.start, now: ctx.now, exclude: NO_BOOKING }));
  return withWiden(decisionLoaded(ctx, machine, ikmId, req, undefined, ref, state, typeHoldings, assisted, ikm), ctx, machine, ikmId, req, undefined, "decision");
}

/** Alternatives: the same machine around the request, and the same time on the same type. */
export async function alternativesFor(db: DbOrTx, loaded: Loaded, excludeBookingId?: number): Promise<Alternative[]> {
  const { input, facility, machine, ref } = loaded.widen ? await loaded.widen(db) : loaded;
  const others = sameTypeIn(ref, machine);
  const window = { start: input.request.start - DAY_MS, end: input.request.end + DAY_MS };
  const states = await loadMachineStates(db, others, facility, window, input.request.start, excludeBookingId, input.now, ref);
  // A move keeps how the booking is run: no operator offered instead.
  return findAlternatives(input, states, { searchDays: ALTERNATIVE_SEARCH_DAYS, assistedInstead: excludeBookingId === undefined });
}

/** alternativesFor on SQLite, synchronously, for a decision loaded by loadDecisionInputSync. */
export function alternativesForSync(sqlite: SqliteDatabase.Database, loaded: Loaded): Alternative[] {
  const { input, machine, ref } = loaded.widenSync ? loaded.widenSync(sqlite) : loaded;
  const window = { start: input.request.start - DAY_MS, end: input.request.end + DAY_MS };
  const states = sameTypeIn(ref, machine).map((m) => machineStateSync(sqlite, m, ref, window, input.request.start, input.now));
  return findAlternatives(input, states, { searchDays: ALTERNATIVE_SEARCH_DAYS, assistedInstead: true });
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

export function feeEstimate(loaded: Loaded, start: number, end: number): number {
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
