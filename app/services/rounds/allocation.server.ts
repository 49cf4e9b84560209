/**
 * Allocation rounds (DESIGN.md, "Conflict resolution beyond refusal"). For a machine with
 * allocation_mode "weekly_round", requests for NEXT week (the ISO week after the current one,
 * facility time) are collected until the cut-off (facility allocation_cutoff_weekday/time of the
 * current week, default Thursday 12.00); then the pure engine (app/scheduling/allocation.ts)
 * allocates them at once. Until then next week cannot be booked directly (ROUND_OPEN, set by
 * loadMachineStates); after it, free slots of that week are first come, first served.
 *
 * - ensureRound / ensureNextRounds: the round row of (machine, next week) with its cut-off.
 * - submitRoundRequest / withdrawRoundRequest: IKM members (and staff for an IKM) ask before the
 *   cut-off; a request that could never be granted (e.g. outside opening hours) is refused now.
 * - allocate: in ONE immediate transaction, load everything, run allocateRound, write the granted
 *   bookings (source "allocation"), the explanations with alternatives, the seed and the result
 *   (with the inputs, for replayRound), audit, and notify each requesting IKM.
 * - runDueRounds: the job (every minute) allocating every open round whose cut-off has passed.
 * - Views for the pages and the API: an IKM sees its own requests' explanations and anonymous
 *   ranks, never another IKM's name; staff see everything.
 */
import { randomBytes } from "node:crypto";
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { AllocationRequest, AllocationRound, Facility, Machine } from "#db/schema";
import {
  type AllocationInput,
  type AllocationResult,
  type Alternative,
  type FacilityCalendar,
  type IkmPlace,
  type Interval,
  type MachineState,
  type OperatorMode,
  type RefusalReason,
  type RoundIkm,
  type RoundRequest,
  type Violation,
  type WeeklyHours,
  DAY_MS,
  MINUTE_MS,
  allocateRound,
  dayRange,
  roundCutoff,
  roundWeek,
  decide,
  effectiveAssisted,
  findAlternatives,
  freeIntervals,
  isoWeekRange,
  localDateKey,
  overlaps,
  stateAfter,
  zonedInstant,
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
} from "~/models/scheduling.server";
import { now as clockNow } from "~/utils/clock.server";
import { db as appDb } from "~/utils/db.server";
import { type Principal, can, canSeeIkmRecord, isStaff } from "~/utils/permissions";
import type { Lang } from "~/i18n";
import { iso } from "~/utils/api.server";
import { apiAlternativeJson, apiViolationJson } from "../api/views.server";
import { audit } from "../audit.server";
import { AllocateFormSchema, BookAlternativeFormSchema, RoundRequestFormSchema, WithdrawFormSchema } from "~/schemas/rounds";
import { type Ctx, loadDecisionInput, requestBooking, resolveIkm, visibleViolations } from "../booking/commands.server";
import { ServiceError, notFound } from "../errors.server";
import { registerJob } from "../jobs.server";
import { notifyIkm } from "../messaging/notify.server";
import { insertBooking } from "~/models/booking.server";
import { ALTERNATIVE_SEARCH_DAYS } from "~/scheduling";
import { fieldErrors } from "~/schemas/parse";

/** Most open requests one IKM may have in one round. */
export const MAX_REQUESTS_PER_IKM = 5;
/** Alternatives stored with each refused request. */
const ALTERNATIVES_PER_REQUEST = 3;
/** How far around a request alternatives are searched. */
/** Allocated rounds shown besides the open ones. */
const RECENT_ROUNDS = 6;

/** Who allocates: a manager/admin, or the system job at the cut-off (user null). */
export interface AllocationCtx {
  user: Principal | null;
  now: number;
  requestId?: string;
}

// ---------------------------------------------------------------------------------------------
// Weeks and cut-offs

/** The ISO week after the one containing `now` (facility time): the week a round collects requests for. */
export function nextWeek(now: number, timeZone: string): Interval {
  return roundWeek(now, timeZone);
}

/** The cut-off of the round for the week starting `weekStart`, from the facility settings. */
export function cutoffFor(weekStart: number, facility: Pick<Facility, "time_zone" | "allocation_cutoff_weekday" | "allocation_cutoff_time">): number {
  return roundCutoff(weekStart, facility.allocation_cutoff_weekday, facility.allocation_cutoff_time, facility.time_zone);
}

/** The round of (machine, week), created when missing. */
export async function ensureRound(db: DbOrTx, machineId: number, weekStart: number, facility: Facility, now: number): Promise<AllocationRound> {
  const find = () =>
    db.selectFrom("allocation_rounds").selectAll().where("machine_id", "=", machineId).where("week_start", "=", weekStart).executeTakeFirst();
  const existing = await find();
  if (existing) return existing;
  await db
    .insertInto("allocation_rounds")
    .values({ machine_id: machineId, week_start: weekStart, cutoff_at: cutoffFor(weekStart, facility), status: "open", seed: null, allocated_at: null, result_json: null, created_at: now })
    .onConflict((oc) => oc.columns(["machine_id", "week_start"]).doNothing())
    .execute();
  return (await find()) as AllocationRound;
}

function roundMachines(db: DbOrTx) {
  return db.selectFrom("machines").selectAll().where("allocation_mode", "=", "weekly_round").where("status", "!=", "retired").orderBy("code").execute();
}

/** The next-week round of every weekly_round machine, created when missing. */
export async function ensureNextRounds(db: DbOrTx, now: number): Promise<AllocationRound[]> {
  const [facility, machines] = await Promise.all([loadFacility(db), roundMachines(db)]);
  const week = nextWeek(now, facility.time_zone);
  const rounds: AllocationRound[] = [];
  for (const m of machines) rounds.push(await ensureRound(db, m.id, week.start, facility, now));
  return rounds;
}

/** A round accepts requests: open and before its cut-off. */
export function acceptsRequests(round: Pick<AllocationRound, "status" | "cutoff_at">, now: number): boolean {
  return round.status === "open" && now < Number(round.cutoff_at);
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface RoundRequestInput {
  /** The round asked into; or, without it, the next-week round of `machineId`. */
  roundId?: number;
  machineId?: number;
  start: number;
  end: number;
  purpose: string;
  assisted?: boolean;
  /** Staff only: the IKM asked for. */
  ikmId?: number;
}

export type RoundRequestOutcome = { ok: true; request: AllocationRequest } | { ok: false; violations: Violation[] };

async function roundForRequest(db: DbOrTx, input: RoundRequestInput, now: number): Promise<{ round: AllocationRound; machine: Machine }> {
  let round: AllocationRound | undefined;
  if (input.roundId !== undefined) {
    round = await db.selectFrom("allocation_rounds").selectAll().where("id", "=", input.roundId).executeTakeFirst();
  } else if (input.machineId !== undefined) {
    const m = await getMachine(db, input.machineId);
    if (m?.allocation_mode === "weekly_round") {
      const facility = await loadFacility(db);
      round = await ensureRound(db, m.id, nextWeek(now, facility.time_zone).start, facility, now);
    } else if (m) {
      throw new ServiceError("invalid", "round.error.notRoundMachine", { field: "machineId" });
    }
  }
  if (!round) throw notFound();
  const machine = await getMachine(db, round.machine_id);
  if (!machine) throw notFound();
  if (machine.allocation_mode !== "weekly_round") throw new ServiceError("invalid", "round.error.notRoundMachine", { field: "machineId" });
  return { round, machine };
}

/**
 * Ask for a slot in a round. Refuses (ServiceError) a closed round, a time outside the round's
 * week, too many requests, a duplicate; answers {ok: false, violations} for a request that could
 * never be granted: decide() as the IKM against the existing bookings and rules (not against
 * other requests, which compete only at the allocation). QUOTA_ACTIVE is left to the allocation,
 * since bookings may end before it.
 */
export async function submitRoundRequest(db: Db, ctx: Ctx, input: RoundRequestInput): Promise<RoundRequestOutcome> {
  return immediate(db, async (trx) => {
    const { round, machine } = await roundForRequest(trx, input, ctx.now);
    const ikmId = await resolveIkm(trx, ctx.user, input.ikmId);
    if (!acceptsRequests(round, ctx.now)) throw new ServiceError("invalid_state", "round.error.closed");
    const facility = await loadFacility(trx);
    const week = isoWeekRange(Number(round.week_start), facility.time_zone);
    if (!(input.start >= week.start && input.end <= week.end && input.end > input.start)) {
      throw new ServiceError("invalid", "round.error.outsideWeek", { field: "start" });
    }
    const mine = await trx
      .selectFrom("allocation_requests")
      .select(["id", "start_at", "end_at"])
      .where("round_id", "=", round.id)
      .where("ikm_id", "=", ikmId)
      .where("status", "=", "requested")
      .execute();
    if (mine.some((r) => Number(r.start_at) === input.start && Number(r.end_at) === input.end)) {
      throw new ServiceError("invalid", "round.error.duplicate", { field: "start" });
    }
    if (mine.length >= MAX_REQUESTS_PER_IKM) throw new ServiceError("invalid", "round.error.tooMany", { max: MAX_REQUESTS_PER_IKM });

    const loaded = await loadDecisionInput(trx, ctx, machine, ikmId, {
      machineId: machine.id,
      start: input.start,
      end: input.end,
      purpose: input.purpose,
      assisted: input.assisted,
      source: "allocation",
    });
    const decision = decide({ ...loaded.input, actor: { role: "ikm", userId: ctx.user.id } });
    const violations = decision.violations.filter((v) => v.code !== "QUOTA_ACTIVE");
    if (violations.length) return { ok: false, violations: visibleViolations(violations, ctx.user) };

    const request = await trx
      .insertInto("allocation_requests")
      .values({
        round_id: round.id,
        ikm_id: ikmId,
        user_id: ctx.user.id,
        start_at: input.start,
        end_at: input.end,
        purpose: input.purpose,
        assisted: loaded.input.request.assisted ? 1 : 0,
        status: "requested",
        booking_id: null,
        explanation_json: null,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "round.request", entity: "allocation_request", entityId: request.id, after: request, requestId: ctx.requestId, at: ctx.now });
    return { ok: true, request };
  });
}

/** Withdraw one's own request before the cut-off. Another IKM's request is not found. */
export async function withdrawRoundRequest(db: Db, ctx: Ctx, requestId: number, roundId?: number): Promise<AllocationRequest> {
  return immediate(db, async (trx) => {
    const before = await trx.selectFrom("allocation_requests").selectAll().where("id", "=", requestId).executeTakeFirst();
    if (!before || !canSeeIkmRecord(ctx.user, before.ikm_id) || (roundId !== undefined && before.round_id !== roundId)) throw notFound();
    const round = await trx.selectFrom("allocation_rounds").selectAll().where("id", "=", before.round_id).executeTakeFirstOrThrow();
    if (before.status !== "requested" || !acceptsRequests(round, ctx.now)) throw new ServiceError("invalid_state", "round.error.notWithdrawable");
    const after = await trx.updateTable("allocation_requests").set({ status: "withdrawn" }).where("id", "=", requestId).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "round.withdraw", entity: "allocation_request", entityId: requestId, before, after, requestId: ctx.requestId, at: ctx.now });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Allocation

/** Why a request got what it got, stored with it (explanation_json) and shown to its IKM. */
export interface Explanation {
  status: "granted" | "refused";
  reason: "GRANTED" | RefusalReason;
  pass: number;
  rank: number;
  ikmCount: number;
  recentTypeMinutes: number;
  lotteryTicket: number;
  tiedWith: number;
  bookingId: number | null;
  bookingStatus: "pending" | "confirmed" | null;
  violations: Violation[];
  conflictWithRequestId: number | null;
  /** The IKM whose grant this request collided with, anonymously. */
  winner: { rank: number; recentTypeMinutes: number; pass: number } | null;
  alternatives: Alternative[];
}

/** What result_json holds: the engine's exact input (for replay) and its result. */
interface RecordedRound {
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
    const result = allocateRound(input);

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
    const others = await trx.selectFrom("machines").selectAll().where("type_id", "=", machine.type_id).where("id", "!=", machine.id).where("status", "=", "active").execute();
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
            actor: { role: "ikm", userId: r.user_id },
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
  });
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

registerJob({ name: "allocation-rounds", everyMs: 60_000, run: () => runDueRounds(appDb(), clockNow()) });

// ---------------------------------------------------------------------------------------------
// Views (pages and API)

export interface RoundMachineView {
  id: number;
  code: string;
  name: string;
  operatorMode: OperatorMode;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  requiresApproval: boolean;
}

export interface RequestView {
  id: number;
  /** Staff, or the IKM's own requests; null for another IKM's (never shown to an IKM). */
  ikmId: number;
  ikmName: string | null;
  userName: string | null;
  own: boolean;
  start: number;
  end: number;
  purpose: string;
  assisted: boolean;
  status: string;
  bookingId: number | null;
  createdAt: number;
  explanation: Explanation | null;
}

export interface OrderView extends IkmPlace {
  /** Null for an IKM viewer looking at another IKM. */
  ikmName: string | null;
  you: boolean;
}

export interface RoundView {
  id: number;
  machine: RoundMachineView;
  weekStart: number;
  weekEnd: number;
  cutoffAt: number;
  status: "open" | "allocated";
  acceptsRequests: boolean;
  allocatedAt: number | null;
  seed: string | null;
  requestCount: number;
  ikmCount: number;
  maxRequestsPerIkm: number;
  /** Staff: every request; IKM: its own. */
  requests: RequestView[];
  /** After allocation: the IKM order with reasons (anonymous for an IKM except its own place). */
  order: OrderView[] | null;
  totals: AllocationResult["totals"] | null;
  passes: number | null;
}

function machineView(m: Machine, facility: Facility): RoundMachineView {
  return {
    id: m.id,
    code: m.code,
    name: m.name,
    operatorMode: m.operator_mode as OperatorMode,
    slotMinutes: m.slot_minutes ?? facility.slot_minutes,
    minMinutes: m.min_minutes ?? facility.min_minutes,
    maxMinutes: m.max_minutes ?? facility.max_minutes,
    requiresApproval: m.requires_approval === 1,
  };
}

/** An explanation as the viewer may see it: an IKM never gets another IKM's booking or request ids. */
function visibleExplanation(e: Explanation, user: Principal, ownRequestIds: Set<number>): Explanation {
  if (isStaff(user)) return e;
  return {
    ...e,
    violations: visibleViolations(e.violations, user),
    conflictWithRequestId: e.conflictWithRequestId !== null && ownRequestIds.has(e.conflictWithRequestId) ? e.conflictWithRequestId : null,
  };
}

async function roundViews(db: DbOrTx, user: Principal, rounds: AllocationRound[], now: number): Promise<RoundView[]> {
  if (!rounds.length) return [];
  const facility = await loadFacility(db);
  const machineIds = [...new Set(rounds.map((r) => r.machine_id))];
  const machines = new Map((await db.selectFrom("machines").selectAll().where("id", "in", machineIds).execute()).map((m) => [m.id, m]));
  const staff = isStaff(user);
  let q = db
    .selectFrom("allocation_requests")
    .innerJoin("ikms", "ikms.id", "allocation_requests.ikm_id")
    .innerJoin("users", "users.id", "allocation_requests.user_id")
    .selectAll("allocation_requests")
    .select(["ikms.name as ikm_name", "users.name as user_name"])
    .where(
      "allocation_requests.round_id",
      "in",
      rounds.map((r) => r.id),
    );
  if (!staff) q = q.where("allocation_requests.ikm_id", "=", user.ikmId ?? -1);
  const rows = await q.orderBy("allocation_requests.created_at").orderBy("allocation_requests.id").execute();
  const counts = await db
    .selectFrom("allocation_requests")
    .select((eb) => ["round_id", eb.fn.countAll<number>().as("n"), eb.fn.count<number>("ikm_id").distinct().as("ikms")])
    .where(
      "round_id",
      "in",
      rounds.map((r) => r.id),
    )
    .where("status", "!=", "withdrawn")
    .groupBy("round_id")
    .execute();
  const countOf = new Map(counts.map((c) => [c.round_id, c]));
  const ownIds = new Set(rows.filter((r) => r.ikm_id === user.ikmId).map((r) => r.id));

  return rounds.map((round): RoundView => {
    const machine = machines.get(round.machine_id) as Machine;
    const week = isoWeekRange(Number(round.week_start), facility.time_zone);
    const recorded = round.result_json ? (JSON.parse(round.result_json) as RecordedRound) : null;
    const ikmNames = new Map(rows.map((r) => [r.ikm_id, r.ikm_name]));
    const requests = rows
      .filter((r) => r.round_id === round.id)
      .map((r): RequestView => {
        const own = r.ikm_id === user.ikmId;
        const explanation = r.explanation_json ? visibleExplanation(JSON.parse(r.explanation_json) as Explanation, user, ownIds) : null;
        return {
          id: r.id,
          ikmId: r.ikm_id,
          ikmName: staff || own ? r.ikm_name : null,
          userName: staff || own ? r.user_name : null,
          own,
          start: Number(r.start_at),
          end: Number(r.end_at),
          purpose: r.purpose,
          assisted: r.assisted === 1,
          status: r.status,
          bookingId: r.booking_id,
          createdAt: Number(r.created_at),
          explanation,
        };
      });
    const order = recorded
      ? recorded.result.order.map((p): OrderView => {
          const you = p.ikmId === user.ikmId;
          if (staff) return { ...p, ikmName: ikmNames.get(p.ikmId) ?? null, you };
          return { ...p, ikmId: you ? p.ikmId : 0, ikmName: you ? (ikmNames.get(p.ikmId) ?? null) : null, you };
        })
      : null;
    const c = countOf.get(round.id);
    return {
      id: round.id,
      machine: machineView(machine, facility),
      weekStart: week.start,
      weekEnd: week.end,
      cutoffAt: Number(round.cutoff_at),
      status: round.status as RoundView["status"],
      acceptsRequests: acceptsRequests(round, now),
      allocatedAt: round.allocated_at === null ? null : Number(round.allocated_at),
      seed: round.seed,
      requestCount: Number(c?.n ?? 0),
      ikmCount: Number(c?.ikms ?? 0),
      maxRequestsPerIkm: MAX_REQUESTS_PER_IKM,
      requests,
      order,
      totals: recorded?.result.totals ?? null,
      passes: recorded?.result.passes ?? null,
    };
  });
}

/** The rounds a user sees: next week's (created when missing) and the recent allocated ones. */
export async function listRounds(db: DbOrTx, user: Principal, now: number): Promise<RoundView[]> {
  await ensureNextRounds(db, now);
  const open = await db.selectFrom("allocation_rounds").selectAll().where("status", "=", "open").orderBy("week_start").orderBy("machine_id").execute();
  const recent = await db.selectFrom("allocation_rounds").selectAll().where("status", "=", "allocated").orderBy("week_start", "desc").orderBy("machine_id").limit(RECENT_ROUNDS).execute();
  return roundViews(db, user, [...open, ...recent], now);
}

/** One round as the user may see it (every round exists for every user; its requests are filtered). */
export async function getRound(db: DbOrTx, user: Principal, roundId: number, now: number): Promise<RoundView> {
  const round = await db.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirst();
  if (!round) throw notFound();
  const [view] = await roundViews(db, user, [round], now);
  return view;
}

export interface RoundFormDay {
  date: string;
  /** Free time of the machine that day (open hours minus bookings and maintenance). */
  free: Interval[];
}

/** What the request form of an open round offers: the open days of its week with their free time, and the grid times. */
export async function roundFormOptions(db: DbOrTx, round: RoundView): Promise<{ days: RoundFormDay[]; times: string[] }> {
  const machine = await getMachine(db, round.machine.id);
  if (!machine) throw notFound();
  const facility = await loadFacility(db);
  const calendar: FacilityCalendar = await loadCalendar(db, facility);
  const tz = facility.time_zone;
  const week = { start: round.weekStart, end: round.weekEnd };
  const [state] = await loadMachineStates(db, [machine], facility, week, week.start);
  const days: RoundFormDay[] = [];
  let minMinute = 24 * 60;
  let maxMinute = 0;
  for (let t = week.start; t < week.end; t = dayRange(t, tz).end) {
    const date = localDateKey(t, tz);
    const day = dayRange(t, tz);
    const open = freeIntervals({ ...state, bookings: [], maintenance: [] }, calendar, day);
    if (!open.length) continue;
    for (const o of open) {
      minMinute = Math.min(minMinute, Math.round((o.start - t) / MINUTE_MS));
      maxMinute = Math.max(maxMinute, Math.round((o.end - t) / MINUTE_MS));
    }
    days.push({ date, free: freeIntervals(state, calendar, day) });
  }
  const step = round.machine.slotMinutes;
  const times: string[] = [];
  for (let m = Math.ceil(minMinute / step) * step; m <= maxMinute; m += step) {
    times.push(`${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  }
  return { days, times };
}

export type FormOptionsView = Awaited<ReturnType<typeof roundFormOptions>>;

/** The instant of a facility-local date and time ("2026-12-07", "08:00"). */
export async function localInstant(db: DbOrTx, date: string, time: string): Promise<number> {
  const facility = await loadFacility(db);
  return zonedInstant(date, time, facility.time_zone);
}

/** Active IKMs, for staff asking on an IKM's behalf. */
export function listActiveIkms(db: DbOrTx) {
  return db.selectFrom("ikms").select(["id", "name"]).where("active", "=", 1).orderBy("name").execute();
}

// ---------------------------------------------------------------------------------------------
// The pages' form posts (/putaran, /putaran/:id)

/** What a form post on the rounds pages answers; `status` is the HTTP status to send. */
export interface RoundActionData {
  intent: "request" | "withdraw" | "book" | "allocate" | "replay" | "unknown";
  ok: boolean;
  status: number;
  roundId?: number | null;
  requestId?: number | null;
  /** Field → i18n key. */
  errors?: Record<string, string>;
  /** An i18n key for the whole form, with its params. */
  error?: string | null;
  params?: Record<string, string | number>;
  violations?: Violation[];
  booking?: { id: number; start: number; end: number; status: string };
  totals?: AllocationResult["totals"];
  replay?: { matches: boolean; seed: string };
}


function serviceErrorData(intent: RoundActionData["intent"], error: unknown, extra: Partial<RoundActionData> = {}): RoundActionData {
  if (!(error instanceof ServiceError)) throw error;
  if (error.code === "not_found") throw new Response("Not found", { status: 404 });
  if (error.code === "forbidden") throw new Response("Forbidden", { status: 403 });
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(error.details)) if (typeof v === "string" || typeof v === "number") params[k] = v;
  const field = typeof error.details.field === "string" ? error.details.field : null;
  return { intent, ok: false, status: error.code === "invalid_state" ? 409 : 400, error: error.messageKey, params, errors: field ? { [field]: error.messageKey } : {}, ...extra };
}

/**
 * Handle a form post of the rounds pages: request, withdraw, book (an offered alternative, first
 * come first served), allocate and replay (the caller checks allocation:run / staff first).
 */
export async function roundPageAction(db: Db, ctx: Ctx, form: FormData): Promise<RoundActionData> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const intent = values.intent;
  if (intent === "request") {
    const parsed = RoundRequestFormSchema.safeParse(values);
    const roundId = Number(values.roundId) || null;
    if (!parsed.success) return { intent, ok: false, status: 400, roundId, errors: fieldErrors(parsed.error) };
    const f = parsed.data;
    try {
      const start = await localInstant(db, f.date, f.start);
      const end = await localInstant(db, f.date, f.end);
      const out = await submitRoundRequest(db, ctx, { roundId: f.roundId, start, end, purpose: f.purpose, assisted: f.assisted, ikmId: f.ikmId });
      if (out.ok) return { intent, ok: true, status: 200, roundId: f.roundId, requestId: out.request.id };
      return { intent, ok: false, status: 409, roundId: f.roundId, violations: out.violations };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId: f.roundId });
    }
  }
  if (intent === "withdraw") {
    const parsed = WithdrawFormSchema.safeParse(values);
    if (!parsed.success) return { intent, ok: false, status: 400, errors: fieldErrors(parsed.error) };
    try {
      const r = await withdrawRoundRequest(db, ctx, parsed.data.requestId);
      return { intent, ok: true, status: 200, roundId: r.round_id, requestId: r.id };
    } catch (error) {
      return serviceErrorData(intent, error, { requestId: parsed.data.requestId });
    }
  }
  if (intent === "book") {
    const parsed = BookAlternativeFormSchema.safeParse(values);
    const requestId = Number(values.requestId) || null;
    if (!parsed.success) return { intent, ok: false, status: 400, requestId, errors: fieldErrors(parsed.error) };
    const f = parsed.data;
    try {
      const out = await requestBooking(db, ctx, { machineId: f.machineId, start: f.start, end: f.end, purpose: f.purpose, source: "web" });
      if (out.ok) return { intent, ok: true, status: 200, requestId, booking: { id: out.booking.id, start: Number(out.booking.start_at), end: Number(out.booking.end_at), status: out.booking.status } };
      return { intent, ok: false, status: 409, requestId, violations: out.violations };
    } catch (error) {
      return serviceErrorData(intent, error, { requestId });
    }
  }
  if (intent === "allocate") {
    const parsed = AllocateFormSchema.safeParse(values);
    const roundId = Number(values.roundId);
    if (!parsed.success) return { intent, ok: false, status: 400, roundId, errors: fieldErrors(parsed.error) };
    try {
      const out = await allocate(db, ctx, roundId, parsed.data.seed);
      return { intent, ok: true, status: 200, roundId, totals: out.result.totals };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId });
    }
  }
  if (intent === "replay") {
    const roundId = Number(values.roundId);
    try {
      const out = await replayRound(db, roundId);
      return { intent, ok: true, status: 200, roundId, replay: { matches: out.matches, seed: out.seed } };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId });
    }
  }
  return { intent: "unknown", ok: false, status: 400, error: "round.error.unknownAction" };
}

// ---------------------------------------------------------------------------------------------
// JSON (API v1)

function explanationJson(e: Explanation, lang: Lang, tz: string, requestStart: number) {
  return {
    ...e,
    violations: e.violations.map((v) => apiViolationJson(v, lang, tz, requestStart)),
    alternatives: e.alternatives.map(apiAlternativeJson),
  };
}

export function roundRequestJson(r: RequestView, lang: Lang, tz: string) {
  return {
    id: r.id,
    ikmId: r.ikmName === null ? null : r.ikmId,
    ikmName: r.ikmName,
    own: r.own,
    start: iso(r.start),
    end: iso(r.end),
    purpose: r.purpose,
    assisted: r.assisted,
    status: r.status,
    bookingId: r.bookingId,
    createdAt: iso(r.createdAt),
    explanation: r.explanation ? explanationJson(r.explanation, lang, tz, r.start) : null,
  };
}

/** A round as JSON for the caller: an IKM gets its own requests and an anonymous order. */
export function roundJson(v: RoundView, lang: Lang, tz: string) {
  return {
    id: v.id,
    machine: { id: v.machine.id, code: v.machine.code, name: v.machine.name },
    weekStart: iso(v.weekStart),
    weekEnd: iso(v.weekEnd),
    cutoffAt: iso(v.cutoffAt),
    status: v.status,
    acceptsRequests: v.acceptsRequests,
    allocatedAt: iso(v.allocatedAt),
    seed: v.seed,
    requestCount: v.requestCount,
    ikmCount: v.ikmCount,
    maxRequestsPerIkm: v.maxRequestsPerIkm,
    requests: v.requests.map((r) => roundRequestJson(r, lang, tz)),
    order: v.order?.map((p) => ({ ...p, ikmId: p.ikmName === null ? null : p.ikmId })) ?? null,
    totals: v.totals,
    passes: v.passes,
  };
}
