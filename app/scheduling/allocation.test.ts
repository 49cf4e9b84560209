import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AllocationInput,
  type AllocationResult,
  type RoundIkm,
  type RoundRequest,
  allocateRound,
  hashSeed,
  lotteryPositions,
  roundCutoff,
  roundWeek,
  stateAfter,
} from "./allocation";
import { decide, effectiveAssisted } from "./decide";
import { MINUTE_MS, gapMs, overlaps } from "./intervals";
import { CALENDAR, booking, input, machine, platingLine, wib } from "./test-fixtures";
import type { BusyBooking, DecisionInput, IkmState, Interval, MachineInfo, OperatorState } from "./types";

/** The cut-off: Thursday 3 December 2026, 12.00 WIB; the round is for the week of Monday 7 December. */
const CUTOFF = wib("2026-12-03 12:00");
const cutter = machine({ id: 8, code: "CUT-01", name: "Pemotong Plasma CNC", typeId: 6, rules: { maxMinutes: 240, weeklyQuotaMinutes: 480 } });

let nextCreated = 0;
/** A request of an IKM between two WIB wall-clock times of one day, created in call order. */
function req(id: number, ikmId: number, date: string, from: string, to: string, extra: Partial<RoundRequest> = {}): RoundRequest {
  nextCreated += 60_000;
  return {
    id,
    ikmId,
    userId: 100 + ikmId,
    start: wib(`${date} ${from}`),
    end: wib(`${date} ${to}`),
    assisted: false,
    createdAt: CUTOFF - 3 * 24 * 3600_000 + nextCreated,
    ...extra,
  };
}

function ikm(ikmId: number, recentTypeMinutes: number, extra: Partial<RoundIkm> = {}): RoundIkm {
  return { ikmId, recentTypeMinutes, typeHoldings: [], activeBookings: 0, qualified: true, restrictedUntil: null, ...extra };
}

function round(requests: RoundRequest[], ikms: RoundIkm[], extra: Partial<AllocationInput> = {}): AllocationInput {
  return {
    now: CUTOFF,
    calendar: CALENDAR,
    state: { machine: cutter, bookings: [], maintenance: [] },
    requests,
    ikms,
    operators: { operatorsOnDuty: 2, assistedBookings: [] },
    seed: "uji-putaran",
    ...extra,
  };
}

const outcome = (result: AllocationResult, requestId: number) => {
  const found = result.requests.find((o) => o.requestId === requestId);
  if (!found) throw new Error(`no outcome for request ${requestId}`);
  return found;
};
const statuses = (result: AllocationResult) => Object.fromEntries(result.requests.map((o) => [o.requestId, o.status]));
const codes = (result: AllocationResult, requestId: number) => outcome(result, requestId).violations.map((v) => v.code);

describe("allocateRound: named scenarios", () => {
  it("two IKMs want the same 2 h: the one with less recent use of the machine type wins", () => {
    const input = round(
      [req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "08:00", "10:00")],
      [ikm(7, 600), ikm(8, 120)],
    );
    const result = allocateRound(input);
    expect(outcome(result, 2)).toMatchObject({ status: "granted", bookingStatus: "confirmed", reason: "GRANTED", pass: 1, ikmRank: 1 });
    expect(outcome(result, 1)).toMatchObject({ status: "refused", reason: "OUTRANKED_USE", conflictWithRequestId: 2, ikmRank: 2, pass: 1 });
    expect(codes(result, 1)).toEqual(["OVERLAP"]);
    // The conflict with a grant carries its time but no working id.
    expect(outcome(result, 1).violations[0].conflict).toEqual({ kind: "booking", start: wib("2026-12-07 08:00"), end: wib("2026-12-07 10:00"), ownIkm: false });
    expect(result.order.map((p) => [p.ikmId, p.rank, p.recentTypeMinutes, p.tiedWith])).toEqual([
      [8, 1, 120, 0],
      [7, 2, 600, 0],
    ]);
    expect(result.totals).toEqual({ requests: 2, granted: 1, refused: 1, requestedMinutes: 240, grantedMinutes: 120 });
  });

  it("equal recent use: the seeded lottery decides, and the same seed gives the same winner", () => {
    const build = (seed: string) =>
      round([req(1, 7, "2026-12-08", "13:00", "15:00"), req(2, 8, "2026-12-08", "13:00", "15:00")], [ikm(7, 240), ikm(8, 240)], { seed });
    const winners = new Map<string, number>();
    for (const seed of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
      const result = allocateRound(build(seed));
      const winner = result.requests.find((o) => o.status === "granted");
      const loser = result.requests.find((o) => o.status === "refused");
      expect(winner && loser).toBeTruthy();
      expect(loser?.reason).toBe("OUTRANKED_LOTTERY");
      // The winner is the IKM with the lower lottery ticket; both are tied.
      expect(winner?.lotteryTicket).toBeLessThan(loser?.lotteryTicket ?? 0);
      expect(result.order.every((p) => p.tiedWith === 1)).toBe(true);
      winners.set(seed, winner?.ikmId ?? 0);
      expect(allocateRound(build(seed))).toEqual(result);
    }
    // Over several seeds the lottery gives the slot to each of them at least once.
    expect(new Set(winners.values())).toEqual(new Set([7, 8]));
  });

  it("an IKM with many requests does not take everything in the first pass (round-robin share)", () => {
    // IKM 7 has the least recent use and asks for three slots first; 8 and 9 want one each.
    const input = round(
      [
        req(1, 7, "2026-12-09", "08:00", "10:00"),
        req(2, 7, "2026-12-09", "10:00", "12:00"),
        req(3, 7, "2026-12-09", "13:00", "15:00"),
        req(4, 8, "2026-12-09", "10:00", "12:00"),
        req(5, 9, "2026-12-09", "13:00", "15:00"),
      ],
      [ikm(7, 0), ikm(8, 300), ikm(9, 900)],
    );
    const result = allocateRound(input);
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused", 3: "refused", 4: "granted", 5: "granted" });
    expect(outcome(result, 4)).toMatchObject({ pass: 1, ikmRank: 2 });
    expect(outcome(result, 5)).toMatchObject({ pass: 1, ikmRank: 3 });
    expect(outcome(result, 2)).toMatchObject({ reason: "FAIR_SHARE", conflictWithRequestId: 4, pass: 2 });
    expect(outcome(result, 3)).toMatchObject({ reason: "FAIR_SHARE", conflictWithRequestId: 5, pass: 2 });
    expect(result.passes).toBe(2);
  });

  it("round-robin gives the first IKM its second request in the second pass when it still fits", () => {
    const input = round(
      [req(1, 7, "2026-12-09", "08:00", "10:00"), req(2, 7, "2026-12-10", "08:00", "10:00"), req(3, 8, "2026-12-09", "08:00", "10:00")],
      [ikm(7, 0), ikm(8, 60)],
    );
    const result = allocateRound(input);
    expect(outcome(result, 1)).toMatchObject({ status: "granted", pass: 1 });
    expect(outcome(result, 2)).toMatchObject({ status: "granted", pass: 2 });
    expect(outcome(result, 3)).toMatchObject({ status: "refused", reason: "OUTRANKED_USE", conflictWithRequestId: 1 });
    expect(result.order[0]).toMatchObject({ ikmId: 7, requested: 2, granted: 2, requestedMinutes: 240, grantedMinutes: 240 });
  });

  it("a request outside opening hours is refused with OUTSIDE_HOURS in the first pass", () => {
    const result = allocateRound(round([req(1, 7, "2026-12-07", "16:00", "17:00"), req(2, 7, "2026-12-12", "08:00", "09:00")], [ikm(7, 0)]));
    expect(outcome(result, 1)).toMatchObject({ status: "refused", reason: "RULES", pass: 1, conflictWithRequestId: null });
    expect(codes(result, 1)).toEqual(["OUTSIDE_HOURS"]);
    expect(codes(result, 2)).toEqual(["OUTSIDE_HOURS"]); // Saturday: closed
  });

  it("a request over an existing booking or maintenance is refused with that conflict, not blamed on another IKM", () => {
    const input = round([req(1, 7, "2026-12-07", "09:00", "11:00"), req(2, 8, "2026-12-08", "09:00", "10:00")], [ikm(7, 0), ikm(8, 0)], {
      state: {
        machine: cutter,
        bookings: [booking(501, "2026-12-07", "08:00", "10:00", 9)],
        maintenance: [{ id: 3, start: wib("2026-12-08 08:00"), end: wib("2026-12-08 12:00"), kind: "planned" }],
      },
    });
    const result = allocateRound(input);
    expect(outcome(result, 1)).toMatchObject({ status: "refused", reason: "RULES", conflictWithRequestId: null });
    expect(outcome(result, 1).violations[0]).toMatchObject({ code: "OVERLAP", conflict: { id: 501, ownIkm: false } });
    expect(codes(result, 2)).toEqual(["MAINTENANCE"]);
  });

  it("keeps each IKM within its weekly quota on the machine type, counting its own grants", () => {
    // Quota 8 h: 4 h already held this week; two 3 h requests → only one fits.
    const input = round(
      [req(1, 7, "2026-12-07", "08:00", "11:00"), req(2, 7, "2026-12-08", "08:00", "11:00")],
      [ikm(7, 0, { typeHoldings: [{ start: wib("2026-12-10 08:00"), end: wib("2026-12-10 12:00") }] })],
    );
    const result = allocateRound(input);
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused" });
    expect(outcome(result, 2)).toMatchObject({ reason: "RULES", pass: 2 });
    expect(outcome(result, 2).violations[0]).toMatchObject({ code: "QUOTA_HOURS", params: { usedMinutes: 420, requestedMinutes: 180 } });
  });

  it("an IKM's own overlapping requests: the earliest created is served, the other collides with it", () => {
    const result = allocateRound(round([req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 7, "2026-12-07", "09:00", "11:00")], [ikm(7, 0)]));
    expect(outcome(result, 1).status).toBe("granted");
    expect(outcome(result, 2)).toMatchObject({ status: "refused", reason: "OWN_REQUEST", conflictWithRequestId: 1, pass: 2 });
    expect(outcome(result, 2).violations[0]).toMatchObject({ code: "OVERLAP", conflict: { ownIkm: true } });
  });

  it("respects the buffer between grants on the plating line", () => {
    const plating = platingLine();
    const input = round([req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "10:00", "12:00")], [ikm(7, 0), ikm(8, 60)], {
      state: { machine: plating, bookings: [], maintenance: [] },
    });
    const result = allocateRound(input);
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused" });
    expect(outcome(result, 2)).toMatchObject({ reason: "OUTRANKED_USE", conflictWithRequestId: 1 });
    expect(codes(result, 2)).toEqual(["BUFFER"]);
  });

  it("a refusal that is partly a collision with a grant and partly a rule is explained by the rule (RULES), naming the grant", () => {
    // Request 2 overlaps request 1's grant AND runs past Monday's closing time (16.00).
    const result = allocateRound(round([req(1, 7, "2026-12-07", "14:00", "16:00"), req(2, 8, "2026-12-07", "15:00", "16:30")], [ikm(7, 0), ikm(8, 60)]));
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused" });
    expect(outcome(result, 2)).toMatchObject({ reason: "RULES", conflictWithRequestId: 1 });
    expect(codes(result, 2)).toEqual(expect.arrayContaining(["OUTSIDE_HOURS", "OVERLAP"]));
    // The grant's working id never leaks into the published conflict.
    const overlap = outcome(result, 2).violations.find((v) => v.code === "OVERLAP");
    expect(overlap?.conflict && "id" in overlap.conflict ? overlap.conflict.id : undefined).toBeUndefined();
  });

  it("totals count granted and refused requests and minutes apart", () => {
    const result = allocateRound(
      round([req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "09:00", "10:00"), req(3, 8, "2026-12-08", "08:00", "08:30")], [ikm(7, 0), ikm(8, 60)]),
    );
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused", 3: "granted" });
    expect(result.totals).toEqual({ requests: 3, granted: 2, refused: 1, requestedMinutes: 210, grantedMinutes: 150 });
  });

  it("counts the unit's operators for assisted requests across the grants", () => {
    const assisted = machine({ ...cutter, rules: { ...cutter.rules, operatorMode: "assisted" } });
    const input = round(
      [req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "09:00", "10:00")],
      [ikm(7, 0), ikm(8, 60)],
      {
        state: { machine: assisted, bookings: [], maintenance: [] },
        // One operator on duty and free all day: only the first grant can take them.
        operators: { operatorsOnDuty: 1, assistedBookings: [] },
      },
    );
    const result = allocateRound(input);
    expect(statuses(result)).toEqual({ 1: "granted", 2: "refused" });
    expect(codes(result, 1)).toEqual([]);
    // The operator is now busy with the first grant 08.00–10.00: besides the overlap, no operator is left.
    expect(codes(result, 2)).toEqual(expect.arrayContaining(["OVERLAP", "NO_OPERATOR"]));
  });

  it("an operator's job elsewhere refuses every assisted request at that time", () => {
    const assisted = machine({ ...cutter, rules: { ...cutter.rules, operatorMode: "assisted" } });
    const input = round(
      [req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "10:00", "11:00")],
      [ikm(7, 0), ikm(8, 60)],
      {
        state: { machine: assisted, bookings: [], maintenance: [] },
        // One operator on duty, already assisting on another machine 09.00–09.30.
        operators: { operatorsOnDuty: 1, assistedBookings: [{ start: wib("2026-12-07 09:00"), end: wib("2026-12-07 09:30") }] },
      },
    );
    const result = allocateRound(input);
    expect(codes(result, 1)).toEqual(["NO_OPERATOR"]);
    expect(statuses(result)).toEqual({ 1: "refused", 2: "granted" });
  });

  it("grants on a machine that needs approval become pending bookings", () => {
    const approval = machine({ ...cutter, rules: { ...cutter.rules, requiresApproval: true } });
    const result = allocateRound(round([req(1, 7, "2026-12-07", "08:00", "10:00")], [ikm(7, 0)], { state: { machine: approval, bookings: [], maintenance: [] } }));
    expect(outcome(result, 1)).toMatchObject({ status: "granted", bookingStatus: "pending" });
  });

  it("ignores the round lock: the allocation itself fills the locked week", () => {
    const result = allocateRound(
      round([req(1, 7, "2026-12-07", "08:00", "10:00")], [ikm(7, 0)], {
        state: { machine: cutter, bookings: [], maintenance: [], roundLockedFrom: wib("2026-12-07 00:00") },
      }),
    );
    expect(outcome(result, 1).status).toBe("granted");
  });

  it("an empty round allocates nothing", () => {
    const result = allocateRound(round([], []));
    expect(result).toEqual({
      seed: "uji-putaran",
      order: [],
      requests: [],
      passes: 0,
      totals: { requests: 0, granted: 0, refused: 0, requestedMinutes: 0, grantedMinutes: 0 },
    });
  });

  it("refuses malformed input: a request without IKM facts, duplicate ids, non-positive ids", () => {
    expect(() => allocateRound(round([req(1, 7, "2026-12-07", "08:00", "10:00")], []))).toThrow(/no IKM state/);
    const r = req(1, 7, "2026-12-07", "08:00", "10:00");
    expect(() => allocateRound(round([r, r], [ikm(7, 0)]))).toThrow(/given twice/);
    expect(() => allocateRound(round([{ ...r, id: 0 }], [ikm(7, 0)]))).toThrow(/positive integer/);
  });

  it("does not change its input", () => {
    const input = round([req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "08:00", "10:00")], [ikm(7, 0), ikm(8, 0)]);
    const copy = structuredClone({ ...input, calendar: null });
    allocateRound(input);
    expect({ ...input, calendar: null }).toEqual(copy);
  });

  it("stateAfter adds the grants as bookings with the given ids", () => {
    const input = round([req(1, 7, "2026-12-07", "08:00", "10:00"), req(2, 8, "2026-12-07", "08:00", "10:00")], [ikm(7, 0), ikm(8, 60)]);
    const result = allocateRound(input);
    expect(stateAfter(input, result, (id) => id * 100).bookings).toEqual([
      { id: 100, ikmId: 7, start: wib("2026-12-07 08:00"), end: wib("2026-12-07 10:00"), assisted: false },
    ]);
  });
});

describe("round weeks and cut-offs", () => {
  it("collects requests for the ISO week after the current one, facility time", () => {
    expect(roundWeek(wib("2026-12-01 09:00"), "Asia/Jakarta")).toEqual({ start: wib("2026-12-07 00:00"), end: wib("2026-12-14 00:00") });
    // Sunday 23.30 WIB is still the week of 30 November (16.30 UTC).
    expect(roundWeek(wib("2026-12-06 23:30"), "Asia/Jakarta").start).toBe(wib("2026-12-07 00:00"));
    expect(roundWeek(wib("2026-12-07 00:00"), "Asia/Jakarta").start).toBe(wib("2026-12-14 00:00"));
  });

  it("closes on the configured weekday and time of the week before", () => {
    expect(roundCutoff(wib("2026-12-07 00:00"), 4, "12:00", "Asia/Jakarta")).toBe(wib("2026-12-03 12:00"));
    expect(roundCutoff(wib("2026-12-07 00:00"), 1, "07:30", "Asia/Jakarta")).toBe(wib("2026-11-30 07:30"));
    expect(roundCutoff(wib("2026-12-07 00:00"), 5, "16:00", "Asia/Jakarta")).toBe(wib("2026-12-04 16:00"));
    // Nonsense settings fall back to Thursday 12.00.
    expect(roundCutoff(wib("2026-12-07 00:00"), 9, "25:00", "Asia/Jakarta")).toBe(wib("2026-12-03 12:00"));
  });

  it("works in a zone with daylight saving", () => {
    // Europe/Berlin leaves summer time on Sunday 25 October 2026.
    const monday = Date.parse("2026-10-26T00:00:00+01:00");
    expect(roundCutoff(monday, 4, "12:00", "Europe/Berlin")).toBe(Date.parse("2026-10-22T12:00:00+02:00"));
  });
});

describe("the lottery", () => {
  it("is a permutation of the IKM ids, fixed by the seed", () => {
    const a = lotteryPositions([5, 3, 9, 1], "benih");
    expect([...a.values()].sort()).toEqual([1, 2, 3, 4]);
    expect([...a.keys()].sort((x, y) => x - y)).toEqual([1, 3, 5, 9]);
    expect(lotteryPositions([9, 1, 5, 3], "benih")).toEqual(a);
    expect(hashSeed("benih")).toBe(hashSeed("benih"));
    expect(hashSeed("benih")).not.toBe(hashSeed("benih2"));
  });

  it("gives every IKM every position about equally often over many seeds", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const [id, position] of lotteryPositions([1, 2, 3], `seed-${i}`)) {
        counts.set(`${id}@${position}`, (counts.get(`${id}@${position}`) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(9);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});

describe("ROUND_OPEN (decide)", () => {
  const locked = (source: "web" | "allocation", actor?: DecisionInput["actor"], overrideReason?: string) => {
    const base = input({ machine: cutter, request: { source, overrideReason } });
    return decide({ ...base, actor: actor ?? base.actor, state: { ...base.state, roundLockedFrom: wib("2026-12-07 00:00") } });
  };

  it("refuses a direct booking reaching into a week whose round is not allocated", () => {
    const d = locked("web");
    expect(d.ok).toBe(false);
    expect(d.violations).toEqual([{ code: "ROUND_OPEN", params: { lockedFrom: wib("2026-12-07 00:00") }, overridable: true }]);
  });

  it("lets the allocation through, and bookings that end before the lock", () => {
    expect(locked("allocation").ok).toBe(true);
    const base = input({ machine: cutter, request: { start: wib("2026-12-04 13:00"), end: wib("2026-12-04 15:00") } });
    expect(decide({ ...base, state: { ...base.state, roundLockedFrom: wib("2026-12-07 00:00") } }).ok).toBe(true);
  });

  it("is a soft rule: staff may override it with a reason", () => {
    const d = locked("web", { staff: true, userId: 3 }, "mesin kosong, putaran dibatalkan");
    expect(d.ok).toBe(true);
    expect(d.overridden.map((v) => v.code)).toEqual(["ROUND_OPEN"]);
  });

  it("does nothing when the machine has no lock", () => {
    const base = input({ machine: cutter });
    expect(decide({ ...base, state: { ...base.state, roundLockedFrom: null } }).ok).toBe(true);
  });
});

// -------------------------------------------------------------------------------------------------
// Properties

const WEEK = wib("2026-12-07 00:00");
const HALF_HOUR = 30 * MINUTE_MS;
const DAY = 24 * 60 * MINUTE_MS;

/** A span on a weekday of the round's week, between 07.00 and 17.00 (some outside hours). */
const spanArb = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 1, max: 8 }))
  .map(([day, slot, len]) => ({ start: WEEK + day * DAY + 7 * 3600_000 + slot * HALF_HOUR, end: WEEK + day * DAY + 7 * 3600_000 + (slot + len) * HALF_HOUR }));

const caseArb = fc
  .record({
    buffer: fc.constantFrom(0, 30),
    mode: fc.constantFrom("self" as const, "assisted" as const, "both" as const),
    approval: fc.boolean(),
    quota: fc.constantFrom(240, 480, 960),
    maxActive: fc.constantFrom(2, 10),
    operators: fc.integer({ min: 1, max: 2 }),
    ikmUse: fc.array(fc.constantFrom(0, 60, 120), { minLength: 1, maxLength: 5 }),
    requests: fc.array(
      fc.record({ ikm: fc.nat(), span: spanArb, created: fc.integer({ min: 0, max: 50 }), assisted: fc.boolean() }),
      { maxLength: 16 },
    ),
    existing: fc.array(spanArb, { maxLength: 4 }),
    assistedElsewhere: fc.array(spanArb, { maxLength: 3 }),
    seed: fc.string({ maxLength: 12 }),
  })
  .map((c): AllocationInput => {
    const m: MachineInfo = machine({
      ...cutter,
      rules: { ...cutter.rules, bufferMinutes: c.buffer, operatorMode: c.mode, requiresApproval: c.approval, weeklyQuotaMinutes: c.quota, maxActiveBookings: c.maxActive },
    });
    const ikmIds = c.ikmUse.map((_, i) => 11 + i);
    return {
      now: CUTOFF,
      calendar: CALENDAR,
      state: {
        machine: m,
        bookings: c.existing.map((s, i) => ({ ...s, id: 900 + i, ikmId: 99, assisted: false })),
        maintenance: [],
      },
      requests: c.requests.map((r, i) => ({
        id: i + 1,
        ikmId: ikmIds[r.ikm % ikmIds.length],
        userId: 500 + (r.ikm % ikmIds.length),
        start: r.span.start,
        end: r.span.end,
        assisted: r.assisted,
        // Few distinct creation times: ties are broken by id.
        createdAt: CUTOFF - 1000 * r.created,
      })),
      ikms: c.ikmUse.map((use, i) => ({ ikmId: ikmIds[i], recentTypeMinutes: use, typeHoldings: [], activeBookings: i % 3, qualified: true, restrictedUntil: null })),
      operators: { operatorsOnDuty: c.operators, assistedBookings: c.assistedElsewhere },
      seed: c.seed,
    };
  });

/** A deterministic shuffle for the tests, independent of the engine's PRNG. */
function shuffled<T>(items: readonly T[], salt: number): T[] {
  const out = [...items];
  let s = salt >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface Grant {
  request: RoundRequest;
  assisted: boolean;
}

function grantsOf(input: AllocationInput, result: AllocationResult): (Grant & { pass: number; rank: number })[] {
  const byId = new Map(input.requests.map((r) => [r.id, r]));
  return result.requests
    .filter((o) => o.status === "granted")
    .map((o) => {
      const request = byId.get(o.requestId) as RoundRequest;
      return { request, assisted: effectiveAssisted(input.state.machine.rules.operatorMode, request.assisted), pass: o.pass, rank: o.ikmRank };
    });
}

/** decide() for a request against the input's state plus the given grants (written independently of the engine). */
function decideWith(input: AllocationInput, r: RoundRequest, grants: Grant[]) {
  const bookings: BusyBooking[] = [
    ...input.state.bookings,
    ...grants.map((g) => ({ id: 10_000 + g.request.id, ikmId: g.request.ikmId, start: g.request.start, end: g.request.end, assisted: g.assisted })),
  ];
  const base = input.ikms.find((i) => i.ikmId === r.ikmId) as RoundIkm;
  const own = grants.filter((g) => g.request.ikmId === r.ikmId);
  const ikmState: IkmState = {
    ikmId: r.ikmId,
    typeHoldings: [...base.typeHoldings, ...own.map((g) => ({ start: g.request.start, end: g.request.end }))],
    activeBookings: base.activeBookings + own.filter((g) => g.request.start > input.now).length,
    qualified: base.qualified,
    restrictedUntil: base.restrictedUntil,
  };
  const operators: OperatorState = {
    operatorsOnDuty: input.operators.operatorsOnDuty,
    assistedBookings: [...input.operators.assistedBookings, ...grants.filter((g) => g.assisted).map((g) => ({ start: g.request.start, end: g.request.end }))],
  };
  return decide({
    now: input.now,
    actor: { staff: false, userId: r.userId },
    calendar: input.calendar,
    request: { machineId: input.state.machine.id, ikmId: r.ikmId, start: r.start, end: r.end, assisted: r.assisted, source: "allocation" },
    state: { ...input.state, bookings },
    ikm: ikmState,
    operators,
  });
}

const RUNS = { numRuns: 250 };

describe("allocateRound: properties", () => {
  it("never gives a slot twice: grants overlap neither each other nor existing bookings, buffers included", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const result = allocateRound(input);
        const bufferMs = input.state.machine.rules.bufferMinutes * MINUTE_MS;
        const grants = grantsOf(input, result).map((g) => g.request as Interval);
        const clear = (a: Interval, b: Interval) => !overlaps(a, b) && gapMs(a, b) >= bufferMs;
        grants.forEach((g, i) => {
          for (const other of grants.slice(i + 1)) expect(clear(g, other)).toBe(true);
          for (const existing of input.state.bookings) expect(clear(g, existing)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("never breaks a rule: each grant is accepted on the state before it and on the final state without itself", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const result = allocateRound(input);
        const grants = grantsOf(input, result).sort((a, b) => a.pass - b.pass || a.rank - b.rank);
        grants.forEach((g, i) => {
          expect(decideWith(input, g.request, grants.slice(0, i)).violations).toEqual([]);
          const others = grants.filter((o) => o !== g);
          const final = decideWith(input, g.request, others);
          expect(final.violations).toEqual([]);
          expect(final.status).toBe(outcome(result, g.request.id).bookingStatus);
        });
      }),
      RUNS,
    );
  });

  it("is maximal: every refused request is still refused on the final state", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const result = allocateRound(input);
        const grants = grantsOf(input, result);
        for (const o of result.requests.filter((x) => x.status === "refused")) {
          const r = input.requests.find((x) => x.id === o.requestId) as RoundRequest;
          expect(o.violations.length).toBeGreaterThan(0);
          expect(decideWith(input, r, grants).ok).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("shares by round-robin: an IKM's grants fall in passes 1, 2, …, k, one per pass", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const result = allocateRound(input);
        for (const place of result.order) {
          const passes = result.requests.filter((o) => o.ikmId === place.ikmId && o.status === "granted").map((o) => o.pass);
          expect(passes).toEqual(passes.map((_, i) => i + 1));
        }
      }),
      RUNS,
    );
  });

  it("orders IKMs by recent use, then lottery, and every outcome carries its IKM's rank and ticket", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const result = allocateRound(input);
        result.order.forEach((p, i) => {
          expect(p.rank).toBe(i + 1);
          const next = result.order[i + 1];
          if (next) {
            expect(p.recentTypeMinutes <= next.recentTypeMinutes).toBe(true);
            if (p.recentTypeMinutes === next.recentTypeMinutes) expect(p.lotteryPosition).toBeLessThan(next.lotteryPosition);
          }
        });
        const places = new Map(result.order.map((p) => [p.ikmId, p]));
        for (const o of result.requests) {
          expect(o.ikmRank).toBe(places.get(o.ikmId)?.rank);
          expect(o.lotteryTicket).toBe(places.get(o.ikmId)?.lotteryPosition);
        }
        expect(result.totals.granted + result.totals.refused).toBe(input.requests.length);
      }),
      RUNS,
    );
  });

  it("is reproducible from its seed and independent of the order of the input arrays", () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), (input, salt) => {
        const result = allocateRound(input);
        expect(allocateRound(structuredClone(input))).toEqual(result);
        const reordered = { ...input, requests: shuffled(input.requests, salt), ikms: shuffled(input.ikms, salt + 1) };
        expect(allocateRound(reordered)).toEqual(result);
      }),
      RUNS,
    );
  });

  it("a different seed changes only what the lottery decides among IKMs with equal recent use", () => {
    fc.assert(
      fc.property(caseArb, fc.string({ maxLength: 12 }), (input, otherSeed) => {
        const a = allocateRound(input);
        const b = allocateRound({ ...input, seed: otherSeed });
        const rankA = new Map(a.order.map((p) => [p.ikmId, p]));
        const rankB = new Map(b.order.map((p) => [p.ikmId, p]));
        // IKMs with different recent use keep their relative order.
        for (const x of a.order) {
          for (const y of a.order) {
            if (x.recentTypeMinutes < y.recentTypeMinutes) {
              expect((rankB.get(x.ikmId)?.rank ?? 0) < (rankB.get(y.ikmId)?.rank ?? 0)).toBe(true);
            }
          }
        }
        // Without ties the outcome is the same request by request (only the tickets may differ).
        const tied = a.order.some((p) => p.tiedWith > 0);
        if (!tied) {
          const strip = (r: AllocationResult) => r.requests.map(({ lotteryTicket: _t, ...rest }) => rest);
          expect(strip(b)).toEqual(strip(a));
          expect([...rankA.keys()].map((id) => rankA.get(id)?.rank)).toEqual([...rankA.keys()].map((id) => rankB.get(id)?.rank));
        }
      }),
      RUNS,
    );
  });
});
