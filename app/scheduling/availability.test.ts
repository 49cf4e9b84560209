import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockedIntervals, freeBusy, freeUntil } from "./availability";
import { openIntervals } from "./calendar";
import { MINUTE_MS, intersectLists, normalize, subtract } from "./intervals";
import { CALENDAR, at, booking, machine, maintenanceWindow, platingLine, wib } from "./test-fixtures";
import { openAt, openPieces } from "./test-oracle";
import type { MachineInfo, MachineState } from "./types";

const monday = at("2026-12-07 00:00", "2026-12-08 00:00");
const stateOf = (m: MachineInfo, rest: Partial<MachineState> = {}): MachineState => ({
  machine: m,
  bookings: [],
  maintenance: [],
  ...rest,
});

describe("freeBusy", () => {
  it("free time is the open hours around the bookings; busy lists them", () => {
    const b = booking(1, "2026-12-07", "09:00", "10:00");
    expect(freeBusy(stateOf(machine(), { bookings: [b] }), CALENDAR, monday)).toEqual({
      free: [
        at("2026-12-07 07:30", "2026-12-07 09:00"),
        at("2026-12-07 10:00", "2026-12-07 12:00"),
        at("2026-12-07 13:00", "2026-12-07 16:00"),
      ],
      busy: [{ ...at("2026-12-07 09:00", "2026-12-07 10:00"), kind: "booking", id: 1 }],
    });
  });
  it("a buffer is neither free nor busy", () => {
    const b = booking(1, "2026-12-07", "09:00", "10:00");
    const { free, busy } = freeBusy(stateOf(platingLine(), { bookings: [b] }), CALENDAR, monday);
    expect(free).toEqual([
      at("2026-12-07 07:30", "2026-12-07 08:30"),
      at("2026-12-07 10:30", "2026-12-07 12:00"),
      at("2026-12-07 13:00", "2026-12-07 16:00"),
    ]);
    expect(busy).toEqual([{ ...at("2026-12-07 09:00", "2026-12-07 10:00"), kind: "booking", id: 1 }]);
  });
  it("closed time is in neither list: a booking across the break is busy on both sides of it", () => {
    const backfilled = booking(2, "2026-12-07", "11:00", "14:00");
    const { busy } = freeBusy(stateOf(machine(), { bookings: [backfilled] }), CALENDAR, monday);
    expect(busy).toEqual([
      { ...at("2026-12-07 11:00", "2026-12-07 12:00"), kind: "booking", id: 2 },
      { ...at("2026-12-07 13:00", "2026-12-07 14:00"), kind: "booking", id: 2 },
    ]);
  });
  it("an open-ended breakdown is busy for the rest of the range's open hours", () => {
    const breakdown = maintenanceWindow(4, wib("2026-12-07 14:00"), null, "breakdown");
    const range = at("2026-12-07 00:00", "2026-12-09 00:00");
    expect(freeBusy(stateOf(machine(), { maintenance: [breakdown] }), CALENDAR, range)).toEqual({
      free: [at("2026-12-07 07:30", "2026-12-07 12:00"), at("2026-12-07 13:00", "2026-12-07 14:00")],
      busy: [
        { ...at("2026-12-07 14:00", "2026-12-07 16:00"), kind: "maintenance", id: 4 },
        { ...at("2026-12-08 07:30", "2026-12-08 12:00"), kind: "maintenance", id: 4 },
        { ...at("2026-12-08 13:00", "2026-12-08 16:00"), kind: "maintenance", id: 4 },
      ],
    });
  });
  it("free pieces shorter than the minimum duration are kept", () => {
    const hourMinimum = machine({ rules: { minMinutes: 60 } });
    const b = booking(1, "2026-12-07", "08:00", "12:00");
    const { free } = freeBusy(stateOf(hourMinimum, { bookings: [b] }), CALENDAR, monday);
    expect(free[0]).toEqual(at("2026-12-07 07:30", "2026-12-07 08:00"));
  });
  it("a machine that is not active has no free time but still shows its bookings", () => {
    const b = booking(1, "2026-12-07", "09:00", "10:00");
    const result = freeBusy(stateOf(machine({ status: "maintenance" }), { bookings: [b] }), CALENDAR, monday);
    expect(result.free).toEqual([]);
    expect(result.busy).toHaveLength(1);
  });
});

describe("freeBusy (property)", () => {
  const WEEK_START = wib("2026-12-07 00:00");
  const span = fc
    .tuple(fc.integer({ min: 0, max: 7 * 96 }), fc.integer({ min: 1, max: 40 }))
    .map(([q, len]) => ({ start: WEEK_START + q * 15 * MINUTE_MS, end: WEEK_START + (q + len) * 15 * MINUTE_MS }));

  it("free time lies in open hours and never meets busy or blocked time, and together they cover the open hours", () => {
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 8 }),
        fc.array(fc.tuple(span, fc.boolean()), { maxLength: 3 }),
        fc.constantFrom(0, 15, 30),
        span,
        (bookings, windows, bufferMinutes, rangeSeed) => {
          const range = { start: rangeSeed.start, end: rangeSeed.end + 3 * 24 * 60 * MINUTE_MS };
          const state = stateOf(machine({ rules: { bufferMinutes } }), {
            bookings: bookings.map((b, i) => ({ ...b, id: i + 1, ikmId: 1, assisted: false })),
            maintenance: windows.map(([w, open], i) => maintenanceWindow(i + 1, w.start, open ? null : w.end)),
          });
          const open = openIntervals(range, CALENDAR, null);
          const { free, busy } = freeBusy(state, CALENDAR, range);
          expect(subtract(free, open)).toEqual([]);
          expect(intersectLists(free, busy)).toEqual([]);
          expect(intersectLists(free, blockedIntervals(state))).toEqual([]);
          expect(subtract(busy, open)).toEqual([]);
          const covered = normalize([...free, ...intersectLists(blockedIntervals(state), open)]);
          expect(covered).toEqual(open);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("busy lists each booking and window cut to the open hours, piece by piece, sorted by start", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), fc.array(span, { maxLength: 3 }), span, (bookings, windows, rangeSeed) => {
        const range = { start: rangeSeed.start, end: rangeSeed.end + 4 * 24 * 60 * MINUTE_MS };
        const state = stateOf(machine(), {
          bookings: bookings.map((b, i) => ({ ...b, id: i + 1, ikmId: 1, assisted: false })),
          maintenance: windows.map((w, i) => maintenanceWindow(i + 1, w.start, w.end)),
        });
        // The oracle: each record's open quarter-hours inside the range, found one by one.
        const isOpen = (t: number) => openAt(t, CALENDAR.hours, CALENDAR.closures);
        const cut = (s: number, e: number) => openPieces(Math.max(s, range.start), Math.min(e, range.end), 15 * MINUTE_MS, isOpen);
        const expected = [
          ...state.bookings.flatMap((b) => cut(b.start, b.end).map((p) => ({ ...p, kind: "booking", id: b.id }))),
          ...state.maintenance.flatMap((m) => cut(m.start, m.end ?? range.end).map((p) => ({ ...p, kind: "maintenance", id: m.id }))),
        ].sort((a, b) => a.start - b.start || a.end - b.end);
        expect(freeBusy(state, CALENDAR, range).busy).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("freeUntil", () => {
  const cnc = stateOf(machine(), { bookings: [booking(1, "2026-12-07", "10:00", "11:00")] });
  it("is the end of the free stretch a start lies in: up to the next booking, the break, or closing", () => {
    expect(freeUntil(cnc, CALENDAR, wib("2026-12-07 08:00"))).toBe(wib("2026-12-07 10:00"));
    expect(freeUntil(cnc, CALENDAR, wib("2026-12-07 11:00"))).toBe(wib("2026-12-07 12:00"));
    expect(freeUntil(cnc, CALENDAR, wib("2026-12-07 13:00"))).toBe(wib("2026-12-07 16:00"));
  });
  it("keeps a plating line's buffer, and is null where the start is not free", () => {
    const plating = stateOf(platingLine(), { bookings: [booking(1, "2026-12-07", "10:00", "11:00")] });
    expect(freeUntil(plating, CALENDAR, wib("2026-12-07 08:00"))).toBe(wib("2026-12-07 09:30"));
    expect(freeUntil(cnc, CALENDAR, wib("2026-12-07 10:30"))).toBeNull();
    expect(freeUntil(cnc, CALENDAR, wib("2026-12-07 12:00"))).toBeNull();
    expect(freeUntil(stateOf(machine(), { maintenance: [maintenanceWindow(1, wib("2026-12-07 09:00"), null)] }), CALENDAR, wib("2026-12-07 08:00"))).toBe(wib("2026-12-07 09:00"));
  });
});
