
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { AllocationRequest, AllocationRound, Facility, Machine } from "#db/schema";
import {
  type Interval,
  type Violation,
  roundCutoff,
  roundWeek,
  decide,
  isoWeekRange,
} from "~/scheduling";
import {
  getMachine,
  loadFacility,
} from "~/models/scheduling.server";
import { type Principal, canSeeIkmRecord } from "~/utils/permissions";
import { audit } from "../audit.server";
import { resolveIkm } from "../booking/commands.server";
import { type Ctx, loadDecisionInput, visibleViolations } from "../booking/decision-input.server";
import { ServiceError, notFound } from "../errors.server";

/** Most open requests one IKM may have in one round. */
export const MAX_REQUESTS_PER_IKM = 5;
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
    const decision = decide({ ...loaded.input, actor: { staff: false, userId: ctx.user.id } });
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
