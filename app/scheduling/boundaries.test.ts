/**
 * Edge cases at the exact boundaries of the engine's rules, each named for the instant or value
 * it pins. Found by mutation testing (StrykerJS on app/scheduling): each of these survived a
 * mutant before, i.e. no test told the boundary apart from its neighbour.
 */
import { describe, expect, it } from "vitest";
import { type AllocationInput, type RoundIkm, allocateRound, hashSeed, lotteryPositions, roundCutoff, seededRandom } from "./allocation";
import { alternativeDurationMs, findAlternatives } from "./alternatives";
import { freeIntervals } from "./availability";
import { breakIntervals, offsetMinutes, parseLocalTime, zonedInstant } from "./calendar";
import { decide } from "./decide";
import { MINUTE_MS, maxConcurrency } from "./intervals";
import { rankCompetitors } from "./priority";
import { restrictionUntil } from "./restriction";
import { CALENDAR, NOW, TECHNICIAN, at, booking, input, machine, wib } from "./test-fixtures";
import { LATE_CANCEL_MS, UNDO_MS, cancelsLate, lateIfCancelledAt, undoSecondsLeft } from "./types";
import type { Actor, Decision } from "./types";
import { candidateSlots, wishFits } from "./waitlist";

const codes = (d: Decision) => d.violations.map((v) => v.code);
const ADMIN: Actor = { staff: true, userId: 1 };
const DAY_MS = 24 * 60 * MINUTE_MS;

describe("decide at its boundaries", () => {
  it("a start exactly at now is not in the past, but for an IKM it is too soon", () => {
    const d = decide(input({ now: wib("2026-12-07 08:00"), request: at("2026-12-07 08:00", "2026-12-07 09:00") }));
    expect(codes(d)).toEqual(["TOO_SOON"]);
    // One minute earlier it is in the past (and no longer "too soon").
    const past = decide(input({ now: wib("2026-12-07 08:01"), request: at("2026-12-07 08:00", "2026-12-07 09:00") }));
    expect(codes(past)).toEqual(["IN_PAST"]);
  });

  it("a start exactly at now + notice is not too soon; one slot earlier is", () => {
    const now = wib("2026-12-07 08:00");
    expect(codes(decide(input({ now, request: at("2026-12-07 10:00", "2026-12-07 11:00") })))).toEqual([]);
    expect(codes(decide(input({ now, request: at("2026-12-07 09:30", "2026-12-07 10:30") })))).toEqual(["TOO_SOON"]);
  });

  it("a request ending exactly where a locked round week starts is allowed; one reaching into it is ROUND_OPEN", () => {
    const lockedFrom = wib("2026-12-07 10:00");
    const base = input({ request: at("2026-12-07 08:00", "2026-12-07 10:00") });
    const ending = decide({ ...base, state: { ...base.state, roundLockedFrom: lockedFrom } });
    expect(codes(ending)).toEqual([]);
    const into = decide({ ...base, request: { ...base.request, ...at("2026-12-07 08:00", "2026-12-07 10:30") }, state: { ...base.state, roundLockedFrom: lockedFrom } });
    expect(codes(into)).toEqual(["ROUND_OPEN"]);
  });

  it("an admin is staff: exempt from the notice, and overrides soft rules with a reason", () => {
    const now = wib("2026-12-07 08:00");
    expect(codes(decide(input({ now, actor: ADMIN, request: at("2026-12-07 08:30", "2026-12-07 09:30") })))).toEqual([]);
    const overQuota = input({ actor: ADMIN, ikm: { activeBookings: 10 } });
    expect(codes(decide(overQuota))).toEqual(["QUOTA_ACTIVE"]);
    const overridden = decide({ ...overQuota, request: { ...overQuota.request, overrideReason: "kebutuhan pameran" } });
    expect(overridden.ok).toBe(true);
  });
});

describe("quota and restriction at now", () => {
  it("a staff backfill ending exactly at now adds no future booking: no QUOTA_ACTIVE; one ending after now does", () => {
    const now = wib("2026-12-07 10:00");
    const full = { activeBookings: 10 };
    const ending = input({ now, actor: TECHNICIAN, ikm: full, request: { ...at("2026-12-07 08:00", "2026-12-07 10:00"), source: "backfill" } });
    expect(codes(decide(ending))).toEqual([]);
    const running = input({ now, actor: TECHNICIAN, ikm: full, request: { ...at("2026-12-07 08:00", "2026-12-07 10:30"), source: "walk_in" } });
    expect(codes(decide(running))).toEqual(["QUOTA_ACTIVE"]);
  });

  it("a restriction ending exactly at now no longer applies; one ending a minute later still does", () => {
    const now = wib("2026-12-07 06:00");
    expect(decide(input({ now, ikm: { restrictedUntil: now } })).status).toBe("confirmed");
    const still = decide(input({ now, ikm: { restrictedUntil: now + MINUTE_MS } }));
    expect(still.status).toBe("pending");
    expect(still.notices.map((v) => v.code)).toEqual(["IKM_RESTRICTED"]);
  });
});

describe("restriction at its boundary", () => {
  it("a no-show exactly at now counts (the third one restricts at once); one a millisecond later does not", () => {
    const now = wib("2026-12-07 08:00");
    const earlier = [now - 20 * DAY_MS, now - 10 * DAY_MS];
    expect(restrictionUntil([...earlier, now], now)).toBe(now + 30 * DAY_MS);
    expect(restrictionUntil([...earlier, now + 1], now)).toBeNull();
  });
});

describe("intervals", () => {
  it("an end and a start at the same instant never coexist, whatever order they come in", () => {
    const a = { start: 0, end: 10 };
    const b = { start: 10, end: 20 };
    expect(maxConcurrency([a, b], { start: 0, end: 20 })).toBe(1);
    expect(maxConcurrency([b, a], { start: 0, end: 20 })).toBe(1);
    expect(maxConcurrency([b, a, { start: 5, end: 15 }], { start: 0, end: 20 })).toBe(2);
  });
});

describe("calendar", () => {
  it("a zone whose offset changes in the middle of a UTC hour: Lord Howe Island goes from +10.30 to +11.00 at 15.30 UTC", () => {
    const zone = "Australia/Lord_Howe";
    // Asked in both orders, so a cached hour can never answer for the other half of it.
    expect(offsetMinutes(Date.parse("2026-10-03T15:15:00Z"), zone)).toBe(630);
    expect(offsetMinutes(Date.parse("2026-10-03T15:45:00Z"), zone)).toBe(660);
    expect(offsetMinutes(Date.parse("2026-10-03T15:15:00Z"), zone)).toBe(630);
    expect(offsetMinutes(Date.parse("2026-10-03T14:59:00Z"), zone)).toBe(630);
    expect(offsetMinutes(Date.parse("2026-10-03T16:00:00Z"), zone)).toBe(660);
  });

  it("local times: 24:00 is the day's end; 25:00, 24:30 and 12:60 are refused", () => {
    expect(parseLocalTime("24:00")).toBe(1440);
    expect(parseLocalTime("23:59")).toBe(1439);
    expect(parseLocalTime("00:00")).toBe(0);
    for (const bad of ["25:00", "24:30", "12:60", "7:30", "aa:bb", "x09:00", "09:00x", "09:0"]) expect(() => parseLocalTime(bad), bad).toThrow(RangeError);
  });

  it("dates: a malformed or impossible date key is refused; an unknown zone is refused", () => {
    expect(zonedInstant("2026-12-07", "08:00", CALENDAR.timeZone)).toBe(Date.parse("2026-12-07T01:00:00Z"));
    for (const bad of ["2026-02-30", "2026-12-077", "x2026-12-07", "2026-1-07", "2026-12-7", "2026-13-01"]) {
      expect(() => zonedInstant(bad, "08:00", CALENDAR.timeZone), bad).toThrow(RangeError);
    }
    expect(() => offsetMinutes(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("a wall-clock time just after a spring-forward gap resolves with the new offset (New York, 8 March 2026)", () => {
    expect(zonedInstant("2026-03-08", "03:30", "America/New_York")).toBe(Date.parse("2026-03-08T07:30:00Z"));
    expect(zonedInstant("2026-03-08", "01:30", "America/New_York")).toBe(Date.parse("2026-03-08T06:30:00Z"));
  });

  it("breaks: none on a day without opening hours or with one period; the gap on a day with two", () => {
    const saturday = { start: wib("2026-12-12 00:00"), end: wib("2026-12-13 00:00") };
    expect(breakIntervals(saturday, CALENDAR)).toEqual([]);
    const oneSpan = { ...CALENDAR, hours: { ...CALENDAR.hours, 5: [{ start: "08:00", end: "15:00" }] } };
    expect(breakIntervals({ start: wib("2026-12-11 00:00"), end: wib("2026-12-12 00:00") }, oneSpan)).toEqual([]);
    expect(breakIntervals({ start: wib("2026-12-11 00:00"), end: wib("2026-12-12 00:00") }, CALENDAR)).toEqual([
      { start: wib("2026-12-11 11:30"), end: wib("2026-12-11 13:00") },
    ]);
  });
});

describe("fair priority ties", () => {
  it("identical use and request time fall back to the key, numbers compared as numbers (9 before 10)", () => {
    const t = wib("2026-12-07 08:00");
    const ranked = rankCompetitors([
      { key: 10, ikmId: 1, requestedAt: t, recentTypeMinutes: 60 },
      { key: 9, ikmId: 2, requestedAt: t, recentTypeMinutes: 60 },
    ]);
    expect(ranked.map((r) => r.key)).toEqual([9, 10]);
  });

  it("text keys are compared as text, whatever order they come in", () => {
    const t = wib("2026-12-07 08:00");
    const ranked = rankCompetitors([
      { key: "wl-b", ikmId: 1, requestedAt: t, recentTypeMinutes: 0 },
      { key: "wl-a", ikmId: 2, requestedAt: t, recentTypeMinutes: 0 },
    ]);
    expect(ranked.map((r) => r.key)).toEqual(["wl-a", "wl-b"]);
  });
});

describe("waitlist", () => {
  const wish = { id: 1, ikmId: 7, machineId: null, machineTypeId: 3, earliestStart: wib("2026-12-07 08:00"), latestEnd: wib("2026-12-07 16:00"), durationMinutes: 60 };
  const opts = { slotMinutes: 30, timeZone: CALENDAR.timeZone, notBefore: NOW };

  it("a wish window that misses the freed time, or leaves less than the duration of it, does not fit", () => {
    const m = machine();
    expect(wishFits(wish, m, { start: wib("2026-12-07 16:00"), end: wib("2026-12-07 17:00") })).toBe(false);
    expect(wishFits(wish, m, { start: wib("2026-12-07 15:30"), end: wib("2026-12-07 17:00") })).toBe(false);
    expect(wishFits(wish, m, { start: wib("2026-12-07 15:00"), end: wib("2026-12-07 17:00") })).toBe(true);
    expect(candidateSlots(wish, { start: wib("2026-12-07 16:00"), end: wib("2026-12-07 18:00") }, opts)).toEqual([]);
  });

  it("candidate slots stop at the limit, 48 by default", () => {
    const day = { start: wib("2026-12-07 00:00"), end: wib("2026-12-09 00:00") };
    const wide = { ...wish, earliestStart: day.start, latestEnd: day.end, durationMinutes: 30 };
    expect(candidateSlots(wide, day, opts)).toHaveLength(48);
    expect(candidateSlots(wide, day, { ...opts, limit: 3 })).toEqual([
      { start: wib("2026-12-07 00:00"), end: wib("2026-12-07 00:30") },
      { start: wib("2026-12-07 00:30"), end: wib("2026-12-07 01:00") },
      { start: wib("2026-12-07 01:00"), end: wib("2026-12-07 01:30") },
    ]);
  });
});

describe("the round lottery", () => {
  it("hashes seeds with 32-bit FNV-1a (known answers of the FNV specification)", () => {
    expect(hashSeed("")).toBe(0x811c9dc5);
    expect(hashSeed("a")).toBe(0xe40c292c);
    expect(hashSeed("foobar")).toBe(0xbf9cf968);
  });

  it("draws from mulberry32 and shuffles the same way for the same seed (a published round can be replayed)", () => {
    const random = seededRandom(hashSeed("uji-putaran-1"));
    const draws = [random(), random(), random()];
    for (const x of draws) expect(x >= 0 && x < 1).toBe(true);
    const again = seededRandom(hashSeed("uji-putaran-1"));
    expect([again(), again(), again()]).toEqual(draws);
    // mulberry32's known first outputs for seed 0.
    const zero = seededRandom(0);
    expect([zero(), zero()]).toEqual([0.26642920868471265, 0.0003297457005828619]);
    // A pinned draw: changing the lottery would change every published round's replay.
    expect(draws).toEqual([0.0018872125074267387, 0.7593486208934337, 0.8624854104127735]);
    const positions = lotteryPositions([5, 3, 9, 1], "uji-putaran-1");
    expect([...positions.entries()]).toEqual([
      [9, 1],
      [3, 2],
      [5, 3],
      [1, 4],
    ]);
    expect(lotteryPositions([9, 1, 5, 3, 3], "uji-putaran-1")).toEqual(positions); // order and repeats of the ids do not matter
  });
});

describe("alternatives at their edges", () => {
  it("no duration fits the rules: no alternatives at all (and a zero-length request with no minimum has none)", () => {
    const noGrid = machine({ rules: { minMinutes: 100, maxMinutes: 100 } });
    const base = input({ machine: noGrid, bookings: [booking(1, "2026-12-07", "08:00", "10:00")] });
    expect(findAlternatives(base, [])).toEqual([]);
    expect(alternativeDurationMs({ start: 0, end: 0 }, { ...noGrid.rules, minMinutes: 0, maxMinutes: 480 })).toBeNull();
  });

  it("an earlier and a later slot equally far away: the earlier comes first", () => {
    // Monday 7 December: booked 07.30–09.00 and 10.00–16.00 except 11.00–12.00; asking 10.00–11.00.
    const bookings = [booking(1, "2026-12-07", "07:30", "09:00"), booking(2, "2026-12-07", "10:00", "11:00"), booking(3, "2026-12-07", "12:00", "16:00")];
    const base = input({ bookings, request: at("2026-12-07 10:00", "2026-12-07 11:00") });
    const alts = findAlternatives(base, [], { limit: 2 });
    expect(alts.map((a) => a.start)).toEqual([wib("2026-12-07 09:00"), wib("2026-12-07 11:00")]);
  });

  it("a staff backfill refused for an overlap is never offered a time in the past, here or elsewhere", () => {
    const now = wib("2026-12-08 12:00");
    const other = { machine: machine({ id: 2, code: "CNC-02" }), bookings: [], maintenance: [] };
    const base = input({
      now,
      actor: TECHNICIAN,
      bookings: [booking(1, "2026-12-07", "08:00", "10:00")],
      request: { ...at("2026-12-07 08:00", "2026-12-07 10:00"), source: "backfill" },
    });
    const alts = findAlternatives(base, [other]);
    expect(alts.length).toBeGreaterThan(0);
    for (const a of alts) expect(a.start).toBeGreaterThanOrEqual(now);
  });
});

describe("the same time elsewhere", () => {
  it("a staff entry starting exactly at now, refused for an overlap, is offered that time on another machine", () => {
    const now = wib("2026-12-07 08:00");
    const other = { machine: machine({ id: 2, code: "CNC-02" }), bookings: [], maintenance: [] };
    const base = input({ now, actor: TECHNICIAN, bookings: [booking(1, "2026-12-07", "08:00", "10:00")], request: at("2026-12-07 08:00", "2026-12-07 09:00") });
    const alts = findAlternatives(base, [other]);
    expect(alts).toContainEqual(expect.objectContaining({ machineId: 2, start: now }));
  });
});

describe("allocation inputs", () => {
  it("a round cut-off on Sunday is Sunday of the week before; an impossible weekday or time falls back to Thursday 12.00", () => {
    const week = wib("2026-12-07 00:00");
    expect(roundCutoff(week, 7, "18:00", CALENDAR.timeZone)).toBe(wib("2026-12-06 18:00"));
    for (const weekday of [8, 0, 2.5, -1]) expect(roundCutoff(week, weekday, "18:00", CALENDAR.timeZone), String(weekday)).toBe(wib("2026-12-03 18:00"));
    expect(roundCutoff(week, 1, "24:30", CALENDAR.timeZone)).toBe(wib("2026-11-30 12:00"));
    expect(roundCutoff(week, 1, "x09:00", CALENDAR.timeZone)).toBe(wib("2026-11-30 12:00"));
    expect(roundCutoff(week, 1, "09:00x", CALENDAR.timeZone)).toBe(wib("2026-11-30 12:00"));
  });

  it("an IKM given twice is refused loudly", () => {
    const m = machine();
    const ikm: RoundIkm = { ...input().ikm, ikmId: 7, recentTypeMinutes: 0 };
    const round: AllocationInput = {
      now: NOW,
      calendar: CALENDAR,
      seed: "s",
      state: { machine: m, bookings: [], maintenance: [] },
      operators: { operatorsOnDuty: 1, assistedBookings: [] },
      requests: [],
      ikms: [ikm, ikm],
    };
    expect(() => allocateRound(round)).toThrow(/given twice/);
  });
});

describe("availability of a machine that is not active", () => {
  it("a machine under maintenance status or retired has no free time, while an active one on the same day has", () => {
    const day = { start: wib("2026-12-07 00:00"), end: wib("2026-12-08 00:00") };
    const state = (status: "active" | "maintenance" | "retired") => ({ machine: machine({ status }), bookings: [], maintenance: [] });
    expect(freeIntervals(state("active"), CALENDAR, day).length).toBeGreaterThan(0);
    expect(freeIntervals(state("maintenance"), CALENDAR, day)).toEqual([]);
    expect(freeIntervals(state("retired"), CALENDAR, day)).toEqual([]);
  });
});

describe("late cancellation: the 24-hour line", () => {
  const start = Date.parse("2026-12-10T01:00:00Z");
  it("exactly 24 hours before the start is on time", () => {
    expect(cancelsLate(start, start - LATE_CANCEL_MS)).toBe(false);
  });
  it("one millisecond later is late, and so is after the start", () => {
    expect(cancelsLate(start, start - LATE_CANCEL_MS + 1)).toBe(true);
    expect(cancelsLate(start, start + 1)).toBe(true);
  });
});

describe("undo: the first 30 seconds after booking", () => {
  const start = Date.parse("2026-12-10T01:00:00Z");
  const made = start - 3_600_000; // an hour before the start: any later cancellation is late
  it("a cancellation up to exactly 30 s after booking is never late; one millisecond later it is", () => {
    expect(lateIfCancelledAt({ createdAt: made, start }, made + UNDO_MS)).toBe(false);
    expect(lateIfCancelledAt({ createdAt: made, start }, made + UNDO_MS + 1)).toBe(true);
  });
  it("far ahead of the start, no cancellation is late, undo or not", () => {
    expect(lateIfCancelledAt({ createdAt: made - 2 * LATE_CANCEL_MS, start }, start - 2 * LATE_CANCEL_MS)).toBe(false);
  });
  it("counts whole seconds down to 0 and never below", () => {
    expect(undoSecondsLeft(made, made)).toBe(30);
    expect(undoSecondsLeft(made, made + 29_001)).toBe(0);
    expect(undoSecondsLeft(made, made + 28_999)).toBe(1);
    expect(undoSecondsLeft(made, made + 60_000)).toBe(0);
  });
});
