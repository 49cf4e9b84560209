import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alternativeDurationMs, findAlternatives, inReadingOrder } from "./alternatives";
import { decide } from "./decide";
import { MINUTE_MS } from "./intervals";
import {
  CALENDAR,
  DEFAULT_RULES,
  NOW,
  TECHNICIAN,
  at,
  booking,
  input,
  machine,
  maintenanceWindow,
  platingLine,
  wib,
} from "./test-fixtures";
import type { Alternative, DecisionInput, MachineInfo, MachineState } from "./types";
import { openAt, tooClose } from "./test-oracle";

const cnc1 = machine();
const cnc2 = machine({ id: 2, code: "CNC-02", name: "CNC Bubut 2" });
const cnc3 = machine({ id: 3, code: "CNC-03", name: "CNC Bubut 3" });
const idle = (m: MachineInfo, rest: Partial<MachineState> = {}): MachineState => ({
  machine: m,
  bookings: [],
  maintenance: [],
  ...rest,
});
const codes = (d: ReturnType<typeof decide>) => d.violations.map((v) => v.code);
const slot = (a: Alternative) => ({ code: a.machineCode, start: a.start, end: a.end });
const on = (code: string, from: string, to: string) => ({ code, ...at(from, to) });

describe("findAlternatives", () => {
  // Monday 7 December, 09.00–10.00 on CNC-01, taken by another IKM's booking 08.00–11.00.
  const taken = input({
    bookings: [booking(1, "2026-12-07", "08:00", "11:00")],
    request: at("2026-12-07 09:00", "2026-12-07 10:00"),
  });

  it("offers the same time elsewhere and the nearest slots before and after on the same machine, nearest first", () => {
    const alternatives = findAlternatives(taken, [idle(cnc2)]);
    expect(alternatives.map(slot)).toEqual([
      on("CNC-02", "2026-12-07 09:00", "2026-12-07 10:00"),
      on("CNC-01", "2026-12-07 11:00", "2026-12-07 12:00"),
      on("CNC-01", "2026-12-07 13:00", "2026-12-07 14:00"),
      on("CNC-01", "2026-12-07 13:30", "2026-12-07 14:30"),
      // The nearest earlier slot is kept though later ones are nearer: 07.30–08.00 is too short
      // for an hour, the weekend is closed, so it is Friday's last hour.
      on("CNC-01", "2026-12-04 15:30", "2026-12-04 16:30"),
    ]);
    expect(alternatives[0]).toMatchObject({ machineId: 2, machineName: "CNC Bubut 2" });
  });

  it("with room for only two, gives the nearest earlier and the nearest later", () => {
    expect(findAlternatives(taken, [idle(cnc2)], { limit: 2 }).map(slot)).toEqual([
      on("CNC-01", "2026-12-07 11:00", "2026-12-07 12:00"),
      on("CNC-01", "2026-12-04 15:30", "2026-12-04 16:30"),
    ]);
  });

  it("lists other machines at the same time by code, and skips those that refuse it", () => {
    const busyCnc3 = idle(cnc3, { bookings: [booking(5, "2026-12-07", "09:30", "10:30")] });
    const retired = idle(machine({ id: 4, code: "CNC-00", status: "retired" }));
    const alternatives = findAlternatives(taken, [busyCnc3, idle(cnc2), retired, idle(cnc1)]);
    expect(alternatives.filter((a) => a.start === taken.request.start).map((a) => a.machineCode)).toEqual(["CNC-02"]);
  });

  it("keeps the buffer of a plating line", () => {
    const plating = input({
      machine: platingLine(),
      bookings: [booking(1, "2026-12-07", "08:00", "11:00")],
      request: at("2026-12-07 09:00", "2026-12-07 10:00"),
    });
    // 11.30–12.00 is free after the buffer but too short for an hour before the break.
    expect(findAlternatives(plating, [], { limit: 2 }).map(slot)).toEqual([
      on("PLT-01", "2026-12-07 13:00", "2026-12-07 14:00"),
      on("PLT-01", "2026-12-04 15:30", "2026-12-04 16:30"),
    ]);
  });

  it("never offers a time before now, nor within the notice for an IKM", () => {
    // NOW is Monday 30 November 08.00; an IKM needs two hours' notice.
    const soon = input({
      bookings: [booking(1, "2026-11-30", "10:00", "12:00")],
      request: at("2026-11-30 10:00", "2026-11-30 11:00"),
    });
    const alternatives = findAlternatives(soon, []);
    expect(alternatives.length).toBe(5);
    expect(alternatives.every((a) => a.start >= NOW + 120 * MINUTE_MS)).toBe(true);
    expect(alternatives[0].start).toBe(wib("2026-11-30 13:00"));

    const staff = findAlternatives({ ...soon, actor: TECHNICIAN }, []);
    expect(staff.every((a) => a.start >= NOW)).toBe(true);
    expect(staff.map((a) => a.start)).toContain(wib("2026-11-30 08:00"));
  });

  it("skips a week whose quota is used up", () => {
    // 960 minutes already held in the week of Monday 7 December.
    const fullWeek = input({
      ikm: {
        typeHoldings: [at("2026-12-07 07:30", "2026-12-07 15:30"), at("2026-12-08 07:30", "2026-12-08 15:30")],
      },
      request: at("2026-12-10 09:00", "2026-12-10 10:00"),
    });
    expect(codes(decide(fullWeek))).toEqual(["QUOTA_HOURS"]);
    expect(findAlternatives(fullWeek, [], { limit: 2 }).map(slot)).toEqual([
      on("CNC-01", "2026-12-14 07:30", "2026-12-14 08:30"),
      on("CNC-01", "2026-12-04 15:30", "2026-12-04 16:30"),
    ]);
  });

  it("offers nothing beyond the booking horizon to an IKM", () => {
    // The horizon ends Wednesday 30 December 08.00.
    const nearHorizon = input({
      bookings: [booking(1, "2026-12-29", "07:30", "16:00")],
      request: at("2026-12-29 09:00", "2026-12-29 10:00"),
    });
    const starts = findAlternatives(nearHorizon, [], { limit: 20 }).map((a) => a.start);
    expect(Math.max(...starts)).toBe(wib("2026-12-30 08:00"));
  });

  it("on an inactive machine offers only the other machines", () => {
    const down = input({ machine: machine({ status: "maintenance" }) });
    expect(findAlternatives(down, [idle(cnc2)]).map((a) => a.machineCode)).toEqual(["CNC-02"]);
  });

  it("offers nothing when no other time or machine can help (too many active bookings)", () => {
    expect(findAlternatives(input({ ikm: { activeBookings: 10 } }), [idle(cnc2)])).toEqual([]);
  });

  it("searches only within the search days", () => {
    const blocked = input({
      maintenance: [maintenanceWindow(1, wib("2026-12-01 00:00"), wib("2026-12-21 00:00"))],
      request: at("2026-12-10 09:00", "2026-12-10 10:00"),
    });
    expect(findAlternatives(blocked, [], { searchDays: 7 })).toEqual([]);
    // 14 days reach back to now (an IKM's first slot is 10.00) and forward past the window.
    expect(findAlternatives(blocked, [], { searchDays: 14, limit: 2 }).map(slot)).toEqual([
      on("CNC-01", "2026-11-30 15:00", "2026-11-30 16:00"),
      on("CNC-01", "2026-12-21 07:30", "2026-12-21 08:30"),
    ]);
  });

  it("gives a malformed request alternatives of a sensible length", () => {
    const backwards = input({
      bookings: [booking(1, "2026-12-07", "07:30", "09:00")],
      request: at("2026-12-07 09:00", "2026-12-07 08:00"),
    });
    expect(findAlternatives(backwards, [], { limit: 1 }).map(slot)).toEqual([
      on("CNC-01", "2026-12-07 09:30", "2026-12-07 10:00"),
    ]);
    const threeHours = machine({ rules: { maxMinutes: 180 } });
    const tooLong = input({ machine: threeHours, request: at("2026-12-07 07:30", "2026-12-07 12:00") });
    expect(findAlternatives(tooLong, [], { limit: 1 }).map(slot)).toEqual([
      on("CNC-01", "2026-12-07 08:00", "2026-12-07 11:00"),
    ]);
  });
});

describe("a machine that needs a certificate, for an IKM without one (NOT_QUALIFIED)", () => {
  // CNC-01 needs a certified operator; the unit's operator may run it ("both"); the IKM has no
  // certified member and asks to run it itself, Monday 7 December 09.00–10.00.
  const certified = (mode: "self" | "both", rest: Partial<MachineInfo> = {}) =>
    machine({ ...rest, rules: { requiresQualification: true, operatorMode: mode } });
  const uncertified = (mode: "self" | "both", overrides: Parameters<typeof input>[0] = {}) =>
    input({ machine: certified(mode), ikm: { qualified: false }, request: at("2026-12-07 09:00", "2026-12-07 10:00"), ...overrides });

  it("offers the same time with the unit's operator first, then nearby times with the operator", () => {
    const asked = uncertified("both");
    expect(codes(decide(asked))).toEqual(["NOT_QUALIFIED"]);
    const alternatives = findAlternatives(asked, []);
    expect(alternatives[0]).toMatchObject({ machineId: 1, start: asked.request.start, end: asked.request.end, assisted: true });
    expect(alternatives.length).toBe(5);
    expect(alternatives.every((a) => a.assisted)).toBe(true);
    // Each is accepted as an assisted booking, and refused as asked (self-run).
    for (const a of alternatives) {
      expect(decide({ ...asked, request: { ...asked.request, start: a.start, end: a.end, assisted: true } }).ok).toBe(true);
      expect(codes(decide({ ...asked, request: { ...asked.request, start: a.start, end: a.end } }))).toEqual(["NOT_QUALIFIED"]);
    }
  });

  it("offers the operator only when one is free: busy at the requested time, the nearest free times instead", () => {
    const busy = uncertified("both", { operators: { operatorsOnDuty: 1, assistedBookings: [at("2026-12-07 08:00", "2026-12-07 11:00")] } });
    const alternatives = findAlternatives(busy, []);
    expect(alternatives.map((a) => a.start)).not.toContain(busy.request.start);
    expect(alternatives.map(slot)).toContainEqual(on("CNC-01", "2026-12-07 11:00", "2026-12-07 12:00"));
    expect(alternatives.every((a) => a.assisted)).toBe(true);
  });

  it("offers no operator on a machine its members must run themselves, but a same-type machine that needs no certificate", () => {
    const selfOnly = uncertified("self");
    expect(findAlternatives(selfOnly, [])).toEqual([]);
    const free = idle(machine({ id: 2, code: "CNC-02", name: "CNC Bubut 2" }));
    const needsCertificateToo = idle(certified("self", { id: 3, code: "CNC-03", name: "CNC Bubut 3" }));
    expect(findAlternatives(selfOnly, [needsCertificateToo, free])).toEqual([
      { machineId: 2, machineCode: "CNC-02", machineName: "CNC Bubut 2", start: selfOnly.request.start, end: selfOnly.request.end, assisted: false },
    ]);
  });

  it("keeps how a booking is run when asked to (a move): no operator offered instead", () => {
    expect(findAlternatives(uncertified("both"), [], { assistedInstead: false })).toEqual([]);
  });

  it("an IKM with a certificate is offered self-run times, as asked", () => {
    const qualified = input({ machine: certified("both"), bookings: [booking(1, "2026-12-07", "08:00", "11:00")], request: at("2026-12-07 09:00", "2026-12-07 10:00") });
    const alternatives = findAlternatives(qualified, []);
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.every((a) => a.assisted === false)).toBe(true);
  });
});

describe("alternativeDurationMs", () => {
  const h = (minutes: number) => ({ start: 0, end: minutes * MINUTE_MS });
  it("keeps a valid duration", () => {
    expect(alternativeDurationMs(h(90), DEFAULT_RULES)).toBe(90 * MINUTE_MS);
  });
  it("clamps to the minimum and maximum and rounds up to whole slots", () => {
    expect(alternativeDurationMs(h(-30), DEFAULT_RULES)).toBe(30 * MINUTE_MS);
    expect(alternativeDurationMs(h(600), DEFAULT_RULES)).toBe(480 * MINUTE_MS);
    expect(alternativeDurationMs(h(45), DEFAULT_RULES)).toBe(60 * MINUTE_MS);
  });
  it("rounds down when rounding up would pass the maximum", () => {
    expect(alternativeDurationMs(h(100), { ...DEFAULT_RULES, maxMinutes: 100 })).toBe(90 * MINUTE_MS);
  });
  it("is null when the rules allow no duration", () => {
    expect(alternativeDurationMs(h(60), { ...DEFAULT_RULES, minMinutes: 100, maxMinutes: 100 })).toBeNull();
  });
});

describe("every alternative offered is accepted by decide (property)", () => {
  const WEEK = wib("2026-12-07 00:00");
  const halfHours = (n: number) => n * 30 * MINUTE_MS;
  const span = fc
    .tuple(fc.integer({ min: 0, max: 14 * 48 }), fc.integer({ min: 1, max: 12 }))
    .map(([s, len]) => ({ start: WEEK + halfHours(s), end: WEEK + halfHours(s + len) }));
  const bookings = fc.array(span, { maxLength: 12 });

  it("holds for random machines, bookings, maintenance and requests", () => {
    fc.assert(
      fc.property(
        fc.record({
          buffer: fc.constantFrom(0, 30),
          mode: fc.constantFrom("self" as const, "assisted" as const, "both" as const),
          staff: fc.boolean(),
          reason: fc.boolean(),
          own: bookings,
          other: bookings,
          window: fc.option(span),
          holdings: fc.array(span, { maxLength: 6 }),
          assisted: fc.array(span, { maxLength: 6 }),
          request: span,
          limit: fc.integer({ min: 1, max: 6 }),
        }),
        (c) => {
          const m = machine({ rules: { bufferMinutes: c.buffer, operatorMode: c.mode, weeklyQuotaMinutes: 600 } });
          const toBookings = (list: typeof c.own) =>
            list.map((b, i) => ({ ...b, id: i + 1, ikmId: 9, assisted: false }));
          const base: DecisionInput = input({
            machine: m,
            actor: c.staff ? TECHNICIAN : undefined,
            bookings: toBookings(c.own),
            maintenance: c.window ? [maintenanceWindow(1, c.window.start, c.window.end)] : [],
            ikm: { typeHoldings: c.holdings },
            operators: { operatorsOnDuty: 1, assistedBookings: c.assisted },
            request: { ...c.request, assisted: true, overrideReason: c.reason ? "uji" : undefined },
          });
          const others = [idle({ ...cnc2, rules: m.rules }, { bookings: toBookings(c.other) })];
          const alternatives = findAlternatives(base, others, { limit: c.limit });
          const duration = alternativeDurationMs(base.request, m.rules);
          expect(alternatives.length).toBeLessThanOrEqual(c.limit);
          const distances = alternatives.map((a) => Math.abs(a.start - base.request.start));
          expect(distances).toEqual([...distances].sort((x, y) => x - y));
          for (const a of alternatives) {
            const state = a.machineId === m.id ? base.state : others[0];
            expect(a.end - a.start).toBe(duration);
            expect(a.start).toBeGreaterThanOrEqual(base.now);
            expect(a.machineId === m.id && a.start === base.request.start && a.assisted === base.request.assisted).toBe(false);
            const d = decide({
              ...base,
              state,
              request: { ...base.request, machineId: a.machineId, start: a.start, end: a.end, assisted: a.assisted },
            });
            expect(d.violations).toEqual([]);
            // And by an oracle that shares no code with decide(): every half hour open, clear of
            // every booking by the buffer, clear of maintenance, on the slot grid.
            for (let t = a.start; t < a.end; t += 30 * MINUTE_MS) expect(openAt(t, CALENDAR.hours, CALENDAR.closures), `open at ${new Date(t).toISOString()}`).toBe(true);
            for (const b of state.bookings) expect(tooClose(a, b, c.buffer * MINUTE_MS), `clear of booking ${b.id}`).toBe(false);
            for (const w of state.maintenance) expect(tooClose(a, { start: w.start, end: w.end ?? Number.MAX_SAFE_INTEGER }, 0)).toBe(false);
            const grid = 30 * MINUTE_MS;
            expect((((a.start - WEEK) % grid) + grid) % grid).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("inReadingOrder", () => {
  const alt = (code: string, iso: string) => ({ machineId: code.length, machineCode: code, machineName: code, start: Date.parse(iso), end: Date.parse(iso) + 3_600_000, assisted: false });
  it("orders day by day (facility time), then machine code, then time; it keeps every alternative", () => {
    const picked = [
      alt("PRS-02", "2026-12-09T01:00:00Z"),
      alt("PRS-01", "2026-12-08T06:00:00Z"),
      alt("PRS-01", "2026-12-08T01:00:00Z"),
      alt("PRS-02", "2026-12-08T03:00:00Z"),
      // 07.30 WIB on the 9th is still the 9th although it is the 9th 00.30 UTC; 23.30 UTC on the 8th is the 9th in WIB.
      alt("PRS-01", "2026-12-08T23:30:00Z"),
    ];
    expect(inReadingOrder(picked, "Asia/Jakarta").map((a) => `${a.machineCode} ${new Date(a.start).toISOString()}`)).toEqual([
      "PRS-01 2026-12-08T01:00:00.000Z",
      "PRS-01 2026-12-08T06:00:00.000Z",
      "PRS-02 2026-12-08T03:00:00.000Z",
      "PRS-01 2026-12-08T23:30:00.000Z",
      "PRS-02 2026-12-09T01:00:00.000Z",
    ]);
  });
});
