
import type { DbOrTx } from "#db/connection";
import type { AllocationRound, Facility, Machine } from "#db/schema";
import {
  type FacilityCalendar,
  type OperatorMode,
  MINUTE_MS,
  dayRange,
  freeIntervals,
  isoWeekRange,
  localDateKey,
  zonedInstant,
} from "~/scheduling";
import {
  getMachine,
  loadCalendar,
  loadFacility,
  loadMachineStates,
} from "~/models/scheduling.server";
import { type Principal, isStaff } from "~/utils/permissions";
import { visibleViolations } from "../booking/decision-input.server";
import { notFound } from "../errors.server";
import type { RecordedRound } from "./allocate.server";
import { MAX_REQUESTS_PER_IKM, acceptsRequests, ensureNextRounds } from "./requests.server";
import type { Explanation, FormOptionsView, OrderView, RequestView, RoundFormDay, RoundMachineView, RoundView } from "~/views/rounds";

/** Allocated rounds shown besides the open ones. */
const RECENT_ROUNDS = 6;

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

/** What the request form of an open round offers: the open days of its week with their free time, and the grid times. */
export async function roundFormOptions(db: DbOrTx, round: RoundView): Promise<FormOptionsView> {
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


/** The instant of a facility-local date and time ("2026-12-07", "08:00"). */
export async function localInstant(db: DbOrTx, date: string, time: string): Promise<number> {
  const facility = await loadFacility(db);
  return zonedInstant(date, time, facility.time_zone);
}

/** Active IKMs, for staff asking on an IKM's behalf. */
export function listActiveIkms(db: DbOrTx) {
  return db.selectFrom("ikms").select(["id", "name"]).where("active", "=", 1).orderBy("name").execute();
}
