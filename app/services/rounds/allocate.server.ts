/**
 * Allocating a round at its cut-off: in ONE immediate transaction, load everything, run the pure
 * engine (app/scheduling/allocation.ts), write the granted bookings (source "allocation"), the
 * explanations with alternatives, the seed and the result (with the inputs, for replayRound), audit,
 * and notify each requesting IKM. runDueRounds is the job (every minute) that allocates every open
 * round whose cut-off has passed.
 */
import { randomBytes } from "node:crypto";
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { AllocationRequest, AllocationRound, Facility, Machine } from "#db/schema";
import {
  type AllocationInput,
  type FacilityCalendar,
  type AllocationResult,
  type Alternative,
  type IkmPlace,
  type Interval,
  type MachineState,
  type OperatorMode,
  type RoundIkm,
  type RoundRequest,
  type WeeklyHours,
  DAY_MS,
  MINUTE_MS,
  allocateRound,
  effectiveAssisted,
  findAlternatives,
  isoWeekRange,
  localDateKey,
  overlaps,
  stateAfter,
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
  recentTypeMinutesByIkm,
  roundLocks,
  sameTypeMachines,
} from "~/models/scheduling.server";
import { can } from "~/utils/permissions";
import { audit } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { insertBooking } from "~/models/booking.server";
import { ALTERNATIVE_SEARCH_DAYS } from "~/scheduling";
import { type AllocationCtx, ensureNextRounds } from "./requests.server";
import type { Explanation } from "~/views/rounds";

/** Alternatives stored with each refused request. */
const ALTERNATIVES_PER_REQUEST = 3;

/** What result_json holds: the engine's exact input (for replay) and its result. */
export interface RecordedRound {
  version: 1;
  input: Omit<AllocationInput, "calendar"> & { calendar: { timeZone: string; hours: WeeklyHours; closures: string[] } };
  result: AllocationResult;
}

function recordInput(input: AllocationInput): RecordedRound["input"] {
  return { ...input, calendar: { timeZone: input.calendar.timeZone, hours: input.calendar.hours, closures: [...input.calendar.closures].sort() } };
}

function restoreInput(recorded: RecordedRound["input"]): AllocationInput {
  return { ...recorded, calendar: { ...recorded.calendar, closures: new Set(recorded.calendar.closures) } };
}

function randomSeed(): string {
  return randomBytes(8).toString("hex");
}

const SEED_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export interface AllocationSummary {
  round: AllocationRound;
  result: AllocationResult;
  bookingIds: Record<number, number>;
}

/**
 * Allocate a round: refused when already allocated; allowed before the cut-off for a manager
 * (it closes the round early). The engine's grants become bookings through plain inserts (the
 * database's no-overlap trigger is the final guard: a violation rolls everything back).
 */
export async function allocate(db: Db, ctx: AllocationCtx, roundId: number, seed?: string): Promise<AllocationSummary> {
  if (ctx.user && !can(ctx.user, "allocation:run")) throw new ServiceError("forbidden", "error.forbidden.title");
  if (seed !== undefined && !SEED_RE.test(seed)) throw new ServiceError("invalid", "round.error.seed", { field: "seed" });
  return immediate(db, async (trx) => {
    const loaded = await loadRound(trx, ctx, roundId, seed);
    const result = allocateRound(loaded.input);
    return writeAllocation(trx, ctx, loaded, result);
  });
}

/** Everything the engine and the write need, read inside the allocation's transaction. */
interface LoadedRound {
  round: AllocationRound;
  machine: Machine;
  facility: Facility;
  calendar: FacilityCalendar;
  week: Interval;
  wide: Interval;
  rows: AllocationRequest[];
  ikms: RoundIkm[];
  holdingsWide: Map<number, Interval[]>;
  wideState: MachineState;
  assistedWide: Interval[];
  input: AllocationInput;
}

/** Load a round for allocation: refused when absent or allocated; a deactivated IKM's requests are withdrawn first. */
async function loadRound(trx: DbOrTx, ctx: AllocationCtx, roundId: number, seed: string | undefined): Promise<LoadedRound> {
  const round = await trx.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirst();
  if (!round) throw notFound();
  if (round.status === "allocated") throw new ServiceError("invalid_state", "round.error.alreadyAllocated");
  const machine = await getMachine(trx, round.machine_id);
  if (!machine) throw notFound();
  const facility = await loadFacility(trx);
  const calendar = await loadCalendar(trx, facility);
  const tz = facility.time_zone;
  const week = isoWeekRange(Number(round.week_start), tz);
  const near = { start: week.start - DAY_MS, end: week.end + DAY_MS };
  const wide = { start: Math.min(ctx.now, week.start) - DAY_MS, end: week.end + (ALTERNATIVE_SEARCH_DAYS + 1) * DAY_MS };

  const requested = await trx.selectFrom("allocation_requests").selectAll().where("round_id", "=", round.id).where("status", "=", "requested").orderBy("id").execute();
  // A deactivated IKM takes no part: its requests are withdrawn (and audited) before the draw.
  const inactive = new Set(
    requested.length
      ? (await trx.selectFrom("ikms").select("id").where("id", "in", [...new Set(requested.map((r) => r.ikm_id))]).where("active", "=", 0).execute()).map((r) => r.id)
      : [],
  );
  for (const r of requested.filter((x) => inactive.has(x.ikm_id))) {
    await trx.updateTable("allocation_requests").set({ status: "withdrawn" }).where("id", "=", r.id).execute();
    await audit(trx, { actorUserId: ctx.user?.id ?? null, action: "round.withdraw", entity: "allocation_request", entityId: r.id, before: r, reason: "IKM inactive", requestId: ctx.requestId, at: ctx.now });
  }
  const rows = requested.filter((r) => !inactive.has(r.ikm_id));
  const ikmIds = [...new Set(rows.map((r) => r.ikm_id))].sort((a, b) => a - b);
  const [[wideState], assistedWide, recent, restrictions] = await Promise.all([
    loadMachineStates(trx, [machine], facility, wide, week.start),
    loadAssistedBookings(trx, wide),
    recentTypeMinutesByIkm(trx, machine.type_id, ikmIds, ctx.now),
    ikmIds.length
      ? trx.selectFrom("ikms").select(["id", "restricted_until"]).where("id", "in", ikmIds).execute()
      : Promise.resolve([] as { id: number; restricted_until: number | null }[]),
  ]);
  const restrictedUntil = new Map(restrictions.map((r) => [r.id, r.restricted_until === null ? null : Number(r.restricted_until)]));
  const holdingsWide = new Map<number, Interval[]>();
  const ikms: RoundIkm[] = [];
  for (const ikmId of ikmIds) {
    const [holdings, activeBookings, qualified] = await Promise.all([
      loadIkmTypeHoldings(trx, ikmId, machine.type_id, { start: wide.start - 7 * DAY_MS, end: wide.end + 7 * DAY_MS }),
      countActiveBookings(trx, ikmId, ctx.now),
      ikmQualified(trx, ikmId, machine.type_id, week.start),
    ]);
    holdingsWide.set(ikmId, holdings);
    ikms.push({
      ikmId,
      recentTypeMinutes: recent.get(ikmId) ?? 0,
      typeHoldings: holdings.filter((h) => overlaps(h, week)),
      activeBookings,
      qualified,
      restrictedUntil: restrictedUntil.get(ikmId) ?? null,
    });
  }
  const inWeek = <T extends Interval>(list: T[]) => list.filter((x) => overlaps(x, near));
  const input: AllocationInput = {
    now: ctx.now,
    calendar: { timeZone: tz, hours: calendar.hours, closures: new Set([...calendar.closures].filter((d) => d >= localDateKey(near.start, tz) && d <= localDateKey(near.end, tz))) },
    state: {
      machine: wideState.machine,
      bookings: inWeek(wideState.bookings),
      maintenance: wideState.maintenance.filter((m) => overlaps({ start: m.start, end: m.end ?? Number.POSITIVE_INFINITY }, near)),
    },
    requests: rows.map(
      (r): RoundRequest => ({ id: r.id, ikmId: r.ikm_id, userId: r.user_id, start: Number(r.start_at), end: Number(r.end_at), assisted: r.assisted === 1, createdAt: Number(r.created_at) }),
    ),
    ikms,
    operators: { operatorsOnDuty: facility.operators_on_duty, assistedBookings: inWeek(assistedWide) },
    seed: seed ?? randomSeed(),
  };
  return { round, machine, facility, calendar, week, wide, rows, ikms, holdingsWide, wideState, assistedWide, input };
}

/** Write what the engine decided: the grants as bookings, the round's record, each request's explanation, the audit and the IKMs' notices. */
async function writeAllocation(trx: DbOrTx, ctx: AllocationCtx, loaded: LoadedRound, result: AllocationResult): Promise<AllocationSummary> {
  const { round, machine, facility, calendar, week, wide, rows, ikms, holdingsWide, wideState, assistedWide, input } = loaded;

  // Write the grants as bookings.
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const bookingIds: Record<number, number> = {};
  const bufferMs = wideState.machine.rules.bufferMinutes * MINUTE_MS;
  for (const o of result.requests.filter((x) => x.status === "granted")) {
    const r = rowById.get(o.requestId) as AllocationRequest;
    const booking = await insertBooking(
      trx,
      {
        machine_id: machine.id,
        ikm_id: r.ikm_id,
        booked_by: r.user_id,
        start_at: Number(r.start_at),
        end_at: Number(r.end_at),
        hold_end_at: Number(r.end_at) + bufferMs,
        status: o.bookingStatus ?? "pending",
        source: "allocation",
        purpose: r.purpose,
        assisted: effectiveAssisted(machine.operator_mode as OperatorMode, r.assisted === 1),
      },
      ctx.now,
    );
    bookingIds[r.id] = booking.id;
    await audit(trx, { actorUserId: ctx.user?.id ?? null, action: "booking.create", entity: "booking", entityId: booking.id, after: booking, reason: `allocation round ${round.id}`, requestId: ctx.requestId, at: ctx.now });
  }

  // Mark the round allocated first, so the lock used for the alternatives has moved on.
  const recorded: RecordedRound = { version: 1, input: recordInput(input), result };
  const allocated = await trx
    .updateTable("allocation_rounds")
    .set({ status: "allocated", seed: input.seed, allocated_at: ctx.now, result_json: JSON.stringify(recorded) })
    .where("id", "=", round.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  // Explanations, with alternatives on the final state (every grant booked, next week open).
  const finalState: MachineState = {
    ...stateAfter({ ...input, state: wideState }, result, (requestId) => bookingIds[requestId]),
  };
  const lock = (await roundLocks(trx, [machine], facility, ctx.now)).get(machine.id);
  if (lock !== undefined) finalState.roundLockedFrom = lock;
  const others = await sameTypeMachines(trx, machine);
  const otherStates = await loadMachineStates(trx, others, facility, wide, week.start, undefined, ctx.now);
  const grantedAssisted = result.requests
    .filter((o) => o.status === "granted")
    .map((o) => rowById.get(o.requestId) as AllocationRequest)
    .filter((r) => effectiveAssisted(machine.operator_mode as OperatorMode, r.assisted === 1))
    .map((r) => ({ start: Number(r.start_at), end: Number(r.end_at) }));
  const places = new Map(result.order.map((p) => [p.ikmId, p]));
  const grantsOf = (ikmId: number) =>
    result.requests.filter((o) => o.status === "granted" && o.ikmId === ikmId).map((o) => rowById.get(o.requestId) as AllocationRequest);

  for (const o of result.requests) {
    const r = rowById.get(o.requestId) as AllocationRequest;
    const place = places.get(o.ikmId) as IkmPlace;
    let alternatives: Alternative[] = [];
    if (o.status === "refused") {
      const own = grantsOf(o.ikmId).map((g) => ({ start: Number(g.start_at), end: Number(g.end_at) }));
      const base = ikms.find((i) => i.ikmId === o.ikmId) as RoundIkm;
      alternatives = findAlternatives(
        {
          now: ctx.now,
          actor: { staff: false, userId: r.user_id },
          calendar,
          request: { machineId: machine.id, ikmId: o.ikmId, start: Number(r.start_at), end: Number(r.end_at), assisted: r.assisted === 1, source: "web" },
          state: finalState,
          ikm: {
            ikmId: o.ikmId,
            typeHoldings: [...(holdingsWide.get(o.ikmId) ?? []), ...own],
            activeBookings: base.activeBookings + own.filter((g) => g.start > ctx.now).length,
            qualified: base.qualified,
            restrictedUntil: base.restrictedUntil,
          },
          operators: { operatorsOnDuty: facility.operators_on_duty, assistedBookings: [...assistedWide, ...grantedAssisted] },
        },
        otherStates,
        { limit: ALTERNATIVES_PER_REQUEST, searchDays: ALTERNATIVE_SEARCH_DAYS },
      );
    }
    const winner = o.conflictWithRequestId === null ? null : result.requests.find((x) => x.requestId === o.conflictWithRequestId);
    const winnerPlace = winner ? places.get(winner.ikmId) : undefined;
    const explanation: Explanation = {
      status: o.status,
      reason: o.reason,
      pass: o.pass,
      rank: o.ikmRank,
      ikmCount: result.order.length,
      recentTypeMinutes: place.recentTypeMinutes,
      lotteryTicket: o.lotteryTicket,
      tiedWith: place.tiedWith,
      bookingId: bookingIds[o.requestId] ?? null,
      bookingStatus: o.bookingStatus,
      violations: o.violations,
      conflictWithRequestId: o.conflictWithRequestId,
      winner: winner && winnerPlace ? { rank: winnerPlace.rank, recentTypeMinutes: winnerPlace.recentTypeMinutes, pass: winner.pass } : null,
      alternatives,
    };
    await trx
      .updateTable("allocation_requests")
      .set({ status: o.status, booking_id: bookingIds[o.requestId] ?? null, explanation_json: JSON.stringify(explanation) })
      .where("id", "=", o.requestId)
      .execute();
  }

  await audit(trx, {
    actorUserId: ctx.user?.id ?? null,
    action: "round.allocate",
    entity: "allocation_round",
    entityId: round.id,
    before: round,
    after: { status: allocated.status, seed: allocated.seed, allocatedAt: allocated.allocated_at, totals: result.totals, passes: result.passes },
    reason: ctx.user ? (ctx.now < Number(round.cutoff_at) ? "manual, before the cut-off" : "manual") : "cut-off",
    requestId: ctx.requestId,
    at: ctx.now,
  });

  for (const place of result.order) {
    const mine = result.requests.filter((o) => o.ikmId === place.ikmId);
    const firstGrant = mine.find((o) => o.status === "granted");
    await notifyIkm(
      trx,
      place.ikmId,
      "allocation_result",
      firstGrant ? bookingIds[firstGrant.requestId] : null,
      { machine: machine.code, roundId: round.id, weekStart: Number(round.week_start), granted: place.granted, refused: place.requested - place.granted, grantedMinutes: place.grantedMinutes },
      ctx.now,
    );
  }
  return { round: allocated, result, bookingIds };
}

/** Recompute an allocated round from its recorded inputs and seed; `matches` when it gives the recorded result. */
export async function replayRound(db: DbOrTx, roundId: number): Promise<{ matches: boolean; seed: string; recorded: AllocationResult; recomputed: AllocationResult }> {
  const round = await db.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirst();
  if (!round) throw notFound();
  if (round.status !== "allocated" || !round.result_json) throw new ServiceError("invalid_state", "round.error.notAllocated");
  const recorded = JSON.parse(round.result_json) as RecordedRound;
  const recomputed = allocateRound(restoreInput(recorded.input));
  // Compared as stored: JSON drops what JSON cannot hold, on both sides alike.
  const matches = JSON.stringify(recomputed) === JSON.stringify(recorded.result) && recorded.input.seed === round.seed;
  return { matches, seed: round.seed ?? "", recorded: recorded.result, recomputed };
}

/** The job: make sure next week's rounds exist, then allocate every open round past its cut-off. */
export async function runDueRounds(db: Db, now: number): Promise<number[]> {
  await ensureNextRounds(db, now);
  const due = await db.selectFrom("allocation_rounds").select("id").where("status", "=", "open").where("cutoff_at", "<=", now).orderBy("cutoff_at").execute();
  const done: number[] = [];
  for (const { id } of due) {
    try {
      await allocate(db, { user: null, now }, id);
      done.push(id);
    } catch (error) {
      // One broken round must not stop the others; the next run tries again.
      console.error(JSON.stringify({ level: "error", job: "allocation-rounds", roundId: id, error: String((error as Error)?.message ?? error) }));
    }
  }
  return done;
}
