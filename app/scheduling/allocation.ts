/**
 * Allocation rounds: for a contested machine, the requests for one week are collected until a
 * cut-off and then allocated at once, so nobody wins by clicking first (DESIGN.md, "Conflict
 * resolution beyond refusal").
 *
 * allocateRound() is pure: everything it needs is in its input, including `now` (the allocation
 * instant) and the seed of the lottery. The same input always gives the same result, whatever
 * the order of the `requests` and `ikms` arrays, so a recorded round can be replayed for audit.
 *
 * The algorithm:
 *
 * 1. Order. Every requesting IKM gets a place: fewest minutes of recent use of the machine type
 *    (`recentTypeMinutes`, the last 30 days) first. Ties are broken by a seeded lottery: the ids
 *    of all requesting IKMs, in ascending order, are shuffled by Fisher–Yates with a PRNG
 *    (mulberry32) seeded from a hash (FNV-1a) of the seed string; an IKM's position in the
 *    shuffle is its lottery ticket. The lottery only matters among IKMs with equal recent use.
 * 2. Passes. In each pass the IKMs take turns in that order; each gets at most ONE grant per
 *    pass: its earliest-created remaining request (ties: lower id) that decide() accepts, asked
 *    as that IKM's member with source "allocation" against the state updated by every grant so
 *    far (the machine's bookings, the IKM's type holdings and active bookings, the operators'
 *    assisted bookings). A grant never removes anything from the state, so a request refused
 *    once would be refused at any later point too: it is refused for good, with the violations
 *    of that moment, and the IKM's next request is tried in the same turn. Passes repeat until
 *    no request remains.
 *
 * Consequences (tested as properties): every grant was accepted by decide() on the state before
 * it and is still accepted on the final state without itself, so no slot is given twice (buffers
 * included) and no rule is broken; every refused request is refused on the final state, so the
 * result is maximal (nothing more fits); an IKM's grants fall in passes 1, 2, …, k, so one IKM
 * with many requests cannot take everything before the others get their first.
 *
 * Each refusal says why: RULES (the request breaks a rule by itself, e.g. outside opening hours,
 * or against existing bookings or the IKM's quota), OUTRANKED_USE / OUTRANKED_LOTTERY (it
 * collided with the grant of an IKM placed before it by less recent use / by the lottery),
 * FAIR_SHARE (it collided with the grant of an IKM placed after it, made in a pass in which this
 * IKM had already received its one grant), OWN_REQUEST (it collided with the IKM's own grant).
 */
import { isoWeekRange, localDateKey, zonedInstant } from "./calendar";
import { decide, effectiveAssisted } from "./decide";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./intervals";
import type {
  Actor,
  BusyBooking,
  DecisionInput,
  FacilityCalendar,
  IkmState,
  Instant,
  Interval,
  LocalTime,
  MachineState,
  OperatorState,
  Violation,
} from "./types";

// ---------------------------------------------------------------------------------------------
// Weeks and cut-offs

/** The week a round at `now` collects requests for: the ISO week after the current one (facility time). */
export function roundWeek(now: Instant, timeZone: string): Interval {
  return isoWeekRange(isoWeekRange(now, timeZone).end, timeZone);
}

/**
 * The cut-off of the round for the week starting `weekStart`: the ISO `weekday` (1 = Monday) and
 * local `time` of the week before, e.g. Thursday 12.00. Out-of-range settings fall back to that default.
 */
export function roundCutoff(weekStart: Instant, weekday: number, time: LocalTime, timeZone: string): Instant {
  const previousMonday = isoWeekRange(weekStart - 1, timeZone).start;
  const day = Number.isInteger(weekday) && weekday >= 1 && weekday <= 7 ? weekday : 4;
  // Noon of the cut-off day names its date whatever the zone's offset changes.
  const dateKey = localDateKey(previousMonday + (day - 1) * DAY_MS + 12 * HOUR_MS, timeZone);
  const valid = /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
  return zonedInstant(dateKey, valid ? time : "12:00", timeZone);
}

/** One request of a round. */
export interface RoundRequest {
  /** A positive id, unique in the round. */
  id: number;
  ikmId: number;
  /** The member who asked; decide() runs as this IKM member. */
  userId: number;
  start: Instant;
  end: Instant;
  assisted: boolean;
  createdAt: Instant;
}

/** The facts about one requesting IKM, plus its recent use of the machine type. */
export interface RoundIkm extends IkmState {
  /** Minutes the IKM used machines of this type in the 30 days before the allocation. */
  recentTypeMinutes: number;
}

export interface AllocationInput {
  /** The allocation instant. */
  now: Instant;
  calendar: FacilityCalendar;
  /** The machine with its existing bookings and maintenance around the round's week. */
  state: MachineState;
  requests: RoundRequest[];
  /** One entry per requesting IKM. */
  ikms: RoundIkm[];
  operators: OperatorState;
  /** The lottery's seed, recorded with the result. */
  seed: string;
}

export type RefusalReason = "RULES" | "OUTRANKED_USE" | "OUTRANKED_LOTTERY" | "FAIR_SHARE" | "OWN_REQUEST";

export interface RequestOutcome {
  requestId: number;
  ikmId: number;
  status: "granted" | "refused";
  /** For a grant, the booking's status as decide() gave it (pending when the machine needs
   * approval or the IKM is restricted); null for a refusal. */
  bookingStatus: "pending" | "confirmed" | null;
  /** Why refused (every violation, as decide() gave them); empty for a grant. A conflict with
   * another grant of this round carries no booking id: see conflictWithRequestId. */
  violations: Violation[];
  /** The granted request this one collided with (overlap or buffer), if any. */
  conflictWithRequestId: number | null;
  reason: "GRANTED" | RefusalReason;
  /** The pass in which it was granted or refused. */
  pass: number;
  /** The IKM's place in the order (1 = first). */
  ikmRank: number;
  /** The IKM's lottery ticket (its position in the seeded shuffle). */
  lotteryTicket: number;
}

/** An IKM's place in the order and why. */
export interface IkmPlace {
  ikmId: number;
  rank: number;
  recentTypeMinutes: number;
  lotteryPosition: number;
  /** How many other requesting IKMs have the same recent use (0: the lottery did not matter). */
  tiedWith: number;
  requested: number;
  granted: number;
  requestedMinutes: number;
  grantedMinutes: number;
}

export interface AllocationResult {
  seed: string;
  /** The IKMs in order. */
  order: IkmPlace[];
  /** One outcome per request, ordered by creation time, then id. */
  requests: RequestOutcome[];
  /** How many passes granted or refused something. */
  passes: number;
  totals: {
    requests: number;
    granted: number;
    refused: number;
    requestedMinutes: number;
    grantedMinutes: number;
  };
}

// ---------------------------------------------------------------------------------------------
// The lottery

/** 32-bit FNV-1a hash of a string. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small deterministic PRNG giving floats in [0, 1). Not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** IKM id → lottery position (1-based): a Fisher–Yates shuffle of the ids in ascending order. */
export function lotteryPositions(ikmIds: readonly number[], seed: string): Map<number, number> {
  const ids = [...new Set(ikmIds)].sort((a, b) => a - b);
  const random = seededRandom(hashSeed(seed));
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return new Map(ids.map((id, index) => [id, index + 1]));
}

// ---------------------------------------------------------------------------------------------
// The allocation

const byCreation = (a: RoundRequest, b: RoundRequest) => a.createdAt - b.createdAt || a.id - b.id;

/** The booking id a grant has in the engine's working state (existing bookings have positive ids). */
const grantBookingId = (requestId: number) => -requestId;

function minutesOf(r: { start: Instant; end: Instant }): number {
  return Math.max(0, r.end - r.start) / MINUTE_MS;
}

/** The working state: copies of the input's mutable parts, so the input is never changed. */
interface Working {
  bookings: BusyBooking[];
  assisted: { start: Instant; end: Instant }[];
  ikms: Map<number, IkmState>;
}

function validate(input: AllocationInput): Map<number, RoundIkm> {
  const ikms = new Map<number, RoundIkm>();
  for (const ikm of input.ikms) {
    if (ikms.has(ikm.ikmId)) throw new Error(`allocateRound: IKM ${ikm.ikmId} given twice`);
    ikms.set(ikm.ikmId, ikm);
  }
  const ids = new Set<number>();
  for (const r of input.requests) {
    if (!Number.isInteger(r.id) || r.id <= 0) throw new Error(`allocateRound: request id ${r.id} is not a positive integer`);
    if (ids.has(r.id)) throw new Error(`allocateRound: request ${r.id} given twice`);
    ids.add(r.id);
    if (!ikms.has(r.ikmId)) throw new Error(`allocateRound: no IKM state for IKM ${r.ikmId} of request ${r.id}`);
  }
  return ikms;
}

/** The IKMs that requested something, in allocation order. */
function orderIkms(input: AllocationInput, ikms: Map<number, RoundIkm>): IkmPlace[] {
  const requesting = [...new Set(input.requests.map((r) => r.ikmId))];
  const lottery = lotteryPositions(requesting, input.seed);
  const sameUse = new Map<number, number>();
  for (const id of requesting) {
    const use = ikms.get(id)?.recentTypeMinutes ?? 0;
    sameUse.set(use, (sameUse.get(use) ?? 0) + 1);
  }
  const use = (id: number) => ikms.get(id)?.recentTypeMinutes ?? 0;
  return requesting
    .sort((a, b) => use(a) - use(b) || (lottery.get(a) ?? 0) - (lottery.get(b) ?? 0))
    .map((ikmId, index) => ({
      ikmId,
      rank: index + 1,
      recentTypeMinutes: use(ikmId),
      lotteryPosition: lottery.get(ikmId) ?? 0,
      tiedWith: (sameUse.get(use(ikmId)) ?? 1) - 1,
      requested: 0,
      granted: 0,
      requestedMinutes: 0,
      grantedMinutes: 0,
    }));
}

function decisionInput(input: AllocationInput, work: Working, r: RoundRequest): DecisionInput {
  const actor: Actor = { staff: false, userId: r.userId };
  const ikm = work.ikms.get(r.ikmId) as IkmState;
  return {
    now: input.now,
    actor,
    calendar: input.calendar,
    request: { machineId: input.state.machine.id, ikmId: r.ikmId, start: r.start, end: r.end, assisted: r.assisted, source: "allocation" },
    state: { ...input.state, bookings: work.bookings },
    ikm,
    operators: { operatorsOnDuty: input.operators.operatorsOnDuty, assistedBookings: work.assisted },
  };
}

/** Add a grant to the working state, as the booking it will become. */
function addGrant(input: AllocationInput, work: Working, r: RoundRequest): void {
  const assisted = effectiveAssisted(input.state.machine.rules.operatorMode, r.assisted);
  const span = { start: r.start, end: r.end };
  work.bookings.push({ id: grantBookingId(r.id), ikmId: r.ikmId, assisted, ...span });
  if (assisted) work.assisted.push(span);
  const ikm = work.ikms.get(r.ikmId) as IkmState;
  work.ikms.set(r.ikmId, {
    ...ikm,
    typeHoldings: [...ikm.typeHoldings, span],
    activeBookings: ikm.activeBookings + (r.start > input.now ? 1 : 0),
  });
}

/**
 * The violations as reported: a conflict with another grant of the round loses its working id
 * (it is not a booking yet); the first such grant, another IKM's before one's own, is returned.
 */
function describeConflicts(violations: Violation[], requestsById: Map<number, RoundRequest>, ikmId: number) {
  let other: number | null = null;
  let own: number | null = null;
  const cleaned = violations.map((v) => {
    const id = v.conflict?.id;
    if (v.conflict?.kind !== "booking" || id === undefined || id >= 0) return v;
    const requestId = -id;
    if (requestsById.get(requestId)?.ikmId === ikmId) own ??= requestId;
    else other ??= requestId;
    const { id: _working, ...conflict } = v.conflict;
    return { ...v, conflict };
  });
  const onlyGrantConflicts = violations.every(
    (v) => (v.code === "OVERLAP" || v.code === "BUFFER") && v.conflict?.id !== undefined && v.conflict.id < 0,
  );
  return { violations: cleaned, conflictWith: other ?? own, onlyGrantConflicts };
}

/** Allocate one round. See the module comment for the algorithm and its guarantees. */
export function allocateRound(input: AllocationInput): AllocationResult {
  const ikms = validate(input);
  const order = orderIkms(input, ikms);
  const placeOf = new Map(order.map((p) => [p.ikmId, p]));
  const requests = [...input.requests].sort(byCreation);
  const requestsById = new Map(requests.map((r) => [r.id, r]));

  const work: Working = {
    bookings: [...input.state.bookings],
    assisted: [...input.operators.assistedBookings],
    ikms: new Map([...ikms].map(([id, ikm]) => [id, { ...ikm, typeHoldings: [...ikm.typeHoldings] }])),
  };
  const queues = new Map<number, RoundRequest[]>(order.map((p) => [p.ikmId, []]));
  for (const r of requests) queues.get(r.ikmId)?.push(r);

  const outcomes = new Map<number, RequestOutcome>();

  const refuse = (r: RoundRequest, violations: Violation[], pass: number) => {
    const place = placeOf.get(r.ikmId) as IkmPlace;
    const described = describeConflicts(violations, requestsById, r.ikmId);
    let reason: RefusalReason = "RULES";
    const winnerId = described.conflictWith;
    if (winnerId !== null && described.onlyGrantConflicts) {
      const winner = requestsById.get(winnerId) as RoundRequest;
      const winnerPlace = placeOf.get(winner.ikmId) as IkmPlace;
      if (winner.ikmId === r.ikmId) reason = "OWN_REQUEST";
      // An IKM placed after this one got the slot first: only possible in a pass in which this
      // IKM had already received its one grant (it would have tried this request otherwise).
      else if (winnerPlace.rank > place.rank) reason = "FAIR_SHARE";
      else reason = winnerPlace.recentTypeMinutes < place.recentTypeMinutes ? "OUTRANKED_USE" : "OUTRANKED_LOTTERY";
    }
    outcomes.set(r.id, {
      requestId: r.id,
      ikmId: r.ikmId,
      status: "refused",
      bookingStatus: null,
      violations: described.violations,
      conflictWithRequestId: winnerId,
      reason,
      pass,
      ikmRank: place.rank,
      lotteryTicket: place.lotteryPosition,
    });
  };

  let pass = 0;
  while ([...queues.values()].some((q) => q.length > 0)) {
    pass++;
    for (const place of order) {
      const queue = queues.get(place.ikmId) as RoundRequest[];
      while (queue.length > 0) {
        const r = queue.shift() as RoundRequest;
        const decision = decide(decisionInput(input, work, r));
        if (!decision.ok) {
          refuse(r, decision.violations, pass);
          continue;
        }
        addGrant(input, work, r);
        outcomes.set(r.id, {
          requestId: r.id,
          ikmId: r.ikmId,
          status: "granted",
          bookingStatus: decision.status,
          violations: [],
          conflictWithRequestId: null,
          reason: "GRANTED",
          pass,
          ikmRank: place.rank,
          lotteryTicket: place.lotteryPosition,
        });
        break;
      }
    }
  }

  const results = requests.map((r) => outcomes.get(r.id) as RequestOutcome);
  for (const r of requests) {
    const place = placeOf.get(r.ikmId) as IkmPlace;
    place.requested++;
    place.requestedMinutes += minutesOf(r);
    if (outcomes.get(r.id)?.status === "granted") {
      place.granted++;
      place.grantedMinutes += minutesOf(r);
    }
  }
  const granted = results.filter((o) => o.status === "granted");
  return {
    seed: input.seed,
    order,
    requests: results,
    passes: pass,
    totals: {
      requests: results.length,
      granted: granted.length,
      refused: results.length - granted.length,
      requestedMinutes: order.reduce((s, p) => s + p.requestedMinutes, 0),
      grantedMinutes: order.reduce((s, p) => s + p.grantedMinutes, 0),
    },
  };
}

/**
 * The state after a round: the input's machine state with every grant added as a booking (with
 * the given ids, e.g. the booking ids written), for checks and alternatives after allocation.
 */
export function stateAfter(
  input: AllocationInput,
  result: AllocationResult,
  bookingIdOf: (requestId: number) => number = grantBookingId,
): MachineState {
  const byId = new Map(input.requests.map((r) => [r.id, r]));
  const grants: BusyBooking[] = result.requests
    .filter((o) => o.status === "granted")
    .map((o) => {
      const r = byId.get(o.requestId) as RoundRequest;
      const assisted = effectiveAssisted(input.state.machine.rules.operatorMode, r.assisted);
      return { id: bookingIdOf(r.id), ikmId: r.ikmId, start: r.start, end: r.end, assisted };
    });
  return { ...input.state, bookings: [...input.state.bookings, ...grants] };
}
