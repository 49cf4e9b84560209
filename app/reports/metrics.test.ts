/**
 * The report metrics against a small world built by hand, every expected value computed in the
 * comments. The facility is the default one (Mon–Thu 07.30–12.00 & 13.00–16.00, Fri 07.30–11.30
 * & 13.00–16.30, weekends closed) in WIB; Thursday 24 and Friday 25 December 2026 are closure days.
 *
 * The week of Monday 21 – Sunday 27 December 2026 therefore has three open days (Mon–Wed).
 */
import { describe, expect, it } from "vitest";
import { CALENDAR, wib } from "~/scheduling/test-fixtures";
import type { BookingStatus, WeeklyHours } from "~/scheduling/types";
import {
  type Metrics,
  type ReportAttempt,
  type ReportBooking,
  type ReportData,
  type ReportRow,
  type ReportUsage,
  type ReportWaitlist,
  apportion,
  bookingLines,
  computeReport,
  isLateCancellation,
  isUndone,
  sumMetrics,
} from "./metrics";
import { periodOf } from "./period";

const TZ = "Asia/Jakarta";
const LONG_AGO = wib("2025-01-01 00:00");

/** The plating line's own hours: 08.00–12.00 & 13.00–15.00 (Fri 08.00–11.30 & 13.00–15.00). */
const PLATING_HOURS: WeeklyHours = {
  1: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  2: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  3: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  4: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  5: [{ start: "08:00", end: "11:30" }, { start: "13:00", end: "15:00" }],
  6: [],
  7: [],
};

const A = 1;
const B = 2;
const C = 3;
const CNC = 10;
const PLT = 20;
const M1 = 101; // CNC-01
const M2 = 102; // CNC-02
const M3 = 103; // PLT-01

function booking(
  id: number,
  machineId: number,
  ikmId: number,
  from: string,
  to: string,
  status: BookingStatus,
  createdAt = "2026-12-14 09:00",
  cancelledAt: string | null = null,
): ReportBooking {
  return { id, machineId, ikmId, start: wib(from), end: wib(to), status, createdAt: wib(createdAt), cancelledAt: cancelledAt ? wib(cancelledAt) : null };
}

function usage(b: ReportBooking, from: string, to: string | null, fee: number | null): ReportUsage {
  return { bookingId: b.id, machineId: b.machineId, ikmId: b.ikmId, start: wib(from), end: to ? wib(to) : null, bookingEnd: b.end, fee };
}

function attempt(id: number, ikmId: number, machineId: number, typeId: number, from: string, to: string, createdAt: string, codes: string[]): ReportAttempt {
  return { id, ikmId, machineId, typeId, start: wib(from), end: wib(to), createdAt: wib(createdAt), codes };
}

function waitlist(id: number, ikmId: number, machineId: number | null, typeId: number, from: string, to: string, minutes: number, createdAt: string): ReportWaitlist {
  return { id, ikmId, machineId, typeId, earliestStart: wib(from), latestEnd: wib(to), durationMinutes: minutes, createdAt: wib(createdAt) };
}

// Bookings (CNC-01 = M1, CNC-02 = M2, PLT-01 = M3):
const b1 = booking(1, M1, A, "2026-12-21 08:00", "2026-12-21 10:00", "completed");
const b2 = booking(2, M1, B, "2026-12-21 11:00", "2026-12-21 14:00", "completed"); // across the 12–13 break
const b3 = booking(3, M1, A, "2026-12-22 08:00", "2026-12-22 09:00", "no_show", "2026-12-20 11:00");
const b4 = booking(4, M1, C, "2026-12-22 13:00", "2026-12-22 15:00", "cancelled", "2026-12-14 09:00", "2026-12-21 20:00"); // 17 h before: late
const b5 = booking(5, M1, C, "2026-12-23 08:00", "2026-12-23 10:00", "cancelled", "2026-12-14 09:00", "2026-12-21 07:00"); // 49 h before
const b6 = booking(6, M2, B, "2026-12-23 09:00", "2026-12-23 12:00", "confirmed");
const b7 = booking(7, M2, A, "2026-12-22 13:00", "2026-12-22 16:00", "checked_in"); // never checked out
const b8 = booking(8, M3, B, "2026-12-21 08:00", "2026-12-21 12:00", "completed");
const b9 = booking(9, M3, C, "2026-12-23 13:00", "2026-12-23 15:00", "rejected");
const b10 = booking(10, M1, B, "2026-12-20 22:00", "2026-12-21 01:00", "completed"); // crosses the period's start
const b11 = booking(11, M1, C, "2026-12-23 22:00", "2026-12-24 02:00", "completed", "2026-12-19 09:00"); // crosses Wed→Thu
const b12 = booking(12, M2, A, "2026-12-21 00:30", "2026-12-21 01:30", "pending"); // Mon 00.30 WIB = Sun 17.30 UTC
const b13 = booking(13, M2, A, "2026-12-20 23:00", "2026-12-20 23:30", "pending"); // Sun 23.00 WIB: before the week
const BOOKINGS = [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13];

const USAGE = [
  usage(b1, "2026-12-21 08:05", "2026-12-21 10:00", 200_000), // 115 min
  usage(b2, "2026-12-21 11:00", "2026-12-21 14:00", 150_000), // 120 min (break excluded)
  usage(b7, "2026-12-22 13:10", null, null), // running: until the booking's end 16.00 → 170 min
  usage(b8, "2026-12-21 08:00", "2026-12-21 11:30", 350_000), // 210 min
  usage(b10, "2026-12-20 22:00", "2026-12-21 01:00", 300_000), // 60 min inside the week, fee outside
  usage(b11, "2026-12-23 22:00", "2026-12-24 01:30", 175_000), // 210 min
];

const ATTEMPTS = [
  // A wanted CNC-01 Mon 10–12 (OVERLAP) and booked b3 on CNC afterwards: met.
  attempt(1, A, M1, CNC, "2026-12-21 10:00", "2026-12-21 12:00", "2026-12-20 10:00", ["OVERLAP"]),
  // C wanted CNC-02 Tue 08–10 (maintenance): C's later CNC bookings are cancelled or older: unmet, 2 h.
  attempt(2, C, M2, CNC, "2026-12-22 08:00", "2026-12-22 10:00", "2026-12-21 09:00", ["MAINTENANCE"]),
  // …and retried on CNC-01 Tue 09–11: only 10–11 is new, 1 h on CNC-01.
  attempt(3, C, M1, CNC, "2026-12-22 09:00", "2026-12-22 11:00", "2026-12-21 09:05", ["OVERLAP", "BUFFER"]),
  // B wanted the plating line in the breakdown, joined the waitlist (w1), which expired: counted as w1 only.
  attempt(4, B, M3, PLT, "2026-12-23 13:00", "2026-12-23 15:00", "2026-12-23 13:30", ["MAINTENANCE"]),
  // A over its weekly quota on plating, never booked plating: unmet, 2 h on PLT-01.
  attempt(5, A, M3, PLT, "2026-12-22 08:00", "2026-12-22 10:00", "2026-12-21 08:00", ["QUOTA_HOURS", "TOO_SOON"]),
  // Outside the opening hours only: not a capacity refusal.
  attempt(6, B, M1, CNC, "2026-12-21 16:00", "2026-12-21 17:00", "2026-12-20 10:00", ["OUTSIDE_HOURS"]),
  // The week after: outside the period.
  attempt(7, A, M2, CNC, "2026-12-28 08:00", "2026-12-28 10:00", "2026-12-21 10:00", ["QUOTA_ACTIVE"]),
];

const WAITLIST = [
  waitlist(1, B, M3, PLT, "2026-12-23 13:00", "2026-12-23 15:00", 120, "2026-12-23 13:31"),
  // C waited for any CNC machine (no machine), 90 min, before its refusals: not covering them.
  waitlist(2, C, null, CNC, "2026-12-22 08:00", "2026-12-23 16:00", 90, "2026-12-20 10:00"),
];

const WORLD: ReportData = {
  calendar: CALENDAR,
  now: wib("2026-12-26 12:00"),
  machines: [
    { id: M1, code: "CNC-01", name: "Bubut CNC 1", typeId: CNC, hours: null, availableFrom: LONG_AGO, availableUntil: null },
    { id: M2, code: "CNC-02", name: "Bubut CNC 2", typeId: CNC, hours: null, availableFrom: LONG_AGO, availableUntil: null },
    { id: M3, code: "PLT-01", name: "Lini Plating", typeId: PLT, hours: PLATING_HOURS, availableFrom: LONG_AGO, availableUntil: null },
  ],
  types: [
    { id: CNC, code: "CNC_LATHE", name: "Mesin Bubut CNC" },
    { id: PLT, code: "PLATING", name: "Lini Elektroplating" },
  ],
  ikms: [
    { id: A, name: "IKM Anugrah" },
    { id: B, name: "IKM Barokah" },
    { id: C, name: "IKM Cahaya" },
  ],
  bookings: BOOKINGS,
  usage: USAGE,
  maintenance: [
    { machineId: M2, start: wib("2026-12-22 08:00"), end: wib("2026-12-22 10:00") }, // planned, 2 h
    { machineId: M3, start: wib("2026-12-23 13:00"), end: null }, // breakdown, unresolved
  ],
  attempts: ATTEMPTS,
  waitlist: WAITLIST,
};

const WEEK = periodOf("2026-12-21", "2026-12-27", TZ);

function rowBy(rows: ReportRow[], key: string): ReportRow {
  const row = rows.find((r) => r.key === key);
  if (!row) throw new Error(`no row ${key} in ${rows.map((r) => r.key).join(", ")}`);
  return row;
}

/** The columns that must add up, for comparing totals. */
function core(m: Metrics) {
  return {
    availableHours: m.availableHours,
    bookedHours: m.bookedHours,
    usedHours: m.usedHours,
    unmetDemandHours: m.unmetDemandHours,
    fees: m.fees,
    bookings: m.bookings,
    completed: m.completed,
    noShows: m.noShows,
    lateCancellations: m.lateCancellations,
  };
}

describe("computeReport per machine, one week with two closure days", () => {
  const report = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" });

  it("the period is Monday 00.00 WIB to the next Monday 00.00 WIB", () => {
    expect(new Date(WEEK.start).toISOString()).toBe("2026-12-20T17:00:00.000Z");
    expect(new Date(WEEK.end).toISOString()).toBe("2026-12-27T17:00:00.000Z");
  });

  it("CNC-01: every metric as computed by hand", () => {
    expect(rowBy(report.rows, "CNC-01")).toEqual({
      key: "CNC-01",
      kind: "machine",
      id: M1,
      label: "CNC-01 · Bubut CNC 1",
      // Mon–Wed open 7.5 h each; Thu and Fri are closure days.
      availableHours: 22.5,
      availableHoursToDate: 22.5, // now (Saturday) is after the week's last open hour
      bookedAheadHours: 0,
      // b1 2 + b2 2 (11–12 and 13–14, not the break) + b3 1 + b10 1 (00–01 Mon) + b11 4 = 10.
      bookedHours: 10,
      // b1 115 + b2 120 + b10 60 + b11 210 = 505 min = 8.4166… h.
      usedHours: 8.42,
      bookedUtilization: 0.4444, // 10 / 22.5
      actualUtilization: 0.3742, // 8.42 / 22.5
      // Starting in the week: b1 b2 b3 b4 b5 b11 (b10 started on Sunday).
      bookings: 6,
      completed: 3,
      noShows: 1,
      noShowRate: 0.25, // 1 / (3 + 1)
      lateCancellations: 1, // b4, 17 h before; b5 was 49 h before
      lateCancellationRate: 0.1667, // 1 / 6
      // C's retry on CNC-01 (a3): only Tue 10–11 is new after a2 on CNC-02.
      unmetRefusedHours: 1,
      unmetWaitlistHours: 0,
      unmetDemandHours: 1,
      // b1 + b2 + b11; b10's usage began on Sunday, outside the week.
      fees: 525_000,
      bookingsServed: 3,
    });
  });

  it("CNC-02: a maintenance window, a session still running, a pending booking at 00.30 WIB", () => {
    expect(rowBy(report.rows, "CNC-02")).toMatchObject({
      availableHours: 20.5, // 22.5 − 2 h of maintenance on Tuesday
      bookedHours: 7, // b6 3 + b7 3 + b12 1 (b13 on Sunday 23.00 WIB is not in the week)
      usedHours: 2.83, // b7 13.10 → its end 16.00 (not checked out) = 170 min
      bookedUtilization: 0.3415, // 7 / 20.5
      actualUtilization: 0.138, // 2.83 / 20.5
      bookings: 3, // b6 b7 b12
      noShowRate: null, // no completed booking and no no-show: nothing to divide by
      lateCancellationRate: 0, // 0 / 3
      unmetRefusedHours: 2, // a2, Tue 08–10
      fees: 0,
      bookingsServed: 1,
    });
  });

  it("PLT-01: its own hours and an unresolved breakdown", () => {
    expect(rowBy(report.rows, "PLT-01")).toMatchObject({
      availableHours: 16, // Mon 6 + Tue 6 + Wed 4 (08–12; broken down from 13.00)
      bookedHours: 4, // b8; b9 was rejected
      usedHours: 3.5,
      bookedUtilization: 0.25,
      actualUtilization: 0.2188, // 3.5 / 16 = 0.21875
      bookings: 2, // b8 and the rejected b9
      noShowRate: 0,
      lateCancellationRate: 0,
      unmetRefusedHours: 2, // a5; a4 became the waitlist entry w1
      unmetWaitlistHours: 2, // w1, expired
      unmetDemandHours: 4,
      fees: 350_000,
    });
  });

  it("a waitlist entry for any CNC machine gets its own row, so the total still adds up", () => {
    expect(rowBy(report.rows, "CNC_LATHE:*")).toMatchObject({
      kind: "anyMachine",
      label: "Mesin Bubut CNC",
      availableHours: 0,
      bookedHours: 0,
      unmetWaitlistHours: 1.5,
      unmetDemandHours: 1.5,
    });
    expect(report.rows.map((r) => r.key)).toEqual(["PLT-01", "CNC-01", "CNC-02", "CNC_LATHE:*"]); // by type name, then code
  });

  it("the totals are the sums of the rows, the rates recomputed from them", () => {
    expect(report.totals).toMatchObject({
      availableHours: 59, // 22.5 + 20.5 + 16
      bookedHours: 21,
      usedHours: 14.75, // 8.42 + 2.83 + 3.5 (885 min exactly)
      bookedUtilization: 0.3559, // 21 / 59
      actualUtilization: 0.25, // 14.75 / 59
      bookings: 11,
      completed: 4,
      noShows: 1,
      noShowRate: 0.2, // 1 / 5, not the mean of the rows' rates
      lateCancellationRate: 0.0909, // 1 / 11
      unmetDemandHours: 8.5, // 1 + 2 + 1.5 + 4
      fees: 875_000,
    });
    expect(core(report.totals)).toEqual(core(sumMetrics(report.rows)));
  });

  it("service figures: usage records starting in the week", () => {
    // b1 (A), b2 (B), b7 (A), b8 (B), b11 (C); b10's usage started on Sunday.
    expect(report.service).toEqual({ ikmsServed: 3, bookingsServed: 5, hoursServed: 14.75, fees: 875_000 });
  });
});

describe("computeReport per machine type and per IKM", () => {
  const byType = computeReport(WORLD, { period: WEEK, groupBy: "type", bucket: "none" });
  const byIkm = computeReport(WORLD, { period: WEEK, groupBy: "ikm", bucket: "none" });

  it("a type sums its machines, its unmet demand includes 'any machine' entries", () => {
    expect(rowBy(byType.rows, "CNC_LATHE")).toMatchObject({
      availableHours: 43,
      bookedHours: 17,
      usedHours: 11.25, // 505 + 170 min
      bookings: 9,
      noShowRate: 0.25,
      lateCancellationRate: 0.1111, // 1 / 9
      unmetRefusedHours: 3,
      unmetWaitlistHours: 1.5,
      unmetDemandHours: 4.5,
      fees: 525_000,
    });
    expect(rowBy(byType.rows, "PLATING")).toMatchObject({ availableHours: 16, bookedHours: 4, usedHours: 3.5, unmetDemandHours: 4, fees: 350_000 });
  });

  it("per IKM: no available hours per row, the facility's in the total", () => {
    expect(rowBy(byIkm.rows, String(A))).toMatchObject({
      availableHours: null,
      bookedUtilization: null,
      actualUtilization: null,
      bookedHours: 7, // b1 2 + b3 1 + b7 3 + b12 1
      usedHours: 4.75, // b1 115 + b7 170 min
      bookings: 4,
      noShowRate: 0.5, // b3 / (b1 + b3)
      lateCancellationRate: 0,
      unmetDemandHours: 2, // a5 (a1 was met by b3)
      fees: 200_000,
    });
    expect(rowBy(byIkm.rows, String(B))).toMatchObject({
      bookedHours: 10, // b2 2 + b6 3 + b8 4 + b10 1
      usedHours: 6.5, // 120 + 210 + 60 min
      bookings: 3,
      unmetRefusedHours: 0, // a4 is counted as its waitlist entry
      unmetWaitlistHours: 2,
      fees: 500_000,
    });
    expect(rowBy(byIkm.rows, String(C))).toMatchObject({
      bookedHours: 4,
      usedHours: 3.5,
      bookings: 4, // b4 b5 b9 b11
      lateCancellationRate: 0.25,
      unmetRefusedHours: 3, // a2 2 h + a3's new hour
      unmetWaitlistHours: 1.5,
      unmetDemandHours: 4.5,
      fees: 175_000,
    });
    expect(byIkm.rows.map((r) => r.label)).toEqual(["IKM Anugrah", "IKM Barokah", "IKM Cahaya"]);
    expect(byIkm.totals).toMatchObject({ availableHours: 59, bookedUtilization: 0.3559, actualUtilization: 0.25 });
  });

  it("every grouping has the same totals", () => {
    const machine = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" });
    expect(core(byType.totals)).toEqual(core(machine.totals));
    expect(core(byIkm.totals)).toEqual(core(machine.totals));
  });
});

describe("periods that cut bookings", () => {
  it("Monday to Wednesday counts only the part of b11 before Thursday 00.00", () => {
    const r = computeReport(WORLD, { period: periodOf("2026-12-21", "2026-12-23", TZ), groupBy: "machine", bucket: "none" });
    expect(rowBy(r.rows, "CNC-01")).toMatchObject({
      availableHours: 22.5,
      bookedHours: 8, // b11 22.00–24.00 only
      usedHours: 6.92, // 115 + 120 + 60 + 120 min = 415 min
      fees: 525_000, // b11's usage began on Wednesday: its fee counts here
    });
  });

  it("weekly buckets split a booking at Monday 00.00 WIB and add up to the period", () => {
    const r = computeReport(WORLD, { period: periodOf("2026-12-14", "2026-12-27", TZ), groupBy: "machine", bucket: "week" });
    expect(r.buckets.map((b) => [b.bucket.from, b.bucket.to])).toEqual([
      ["2026-12-14", "2026-12-20"],
      ["2026-12-21", "2026-12-27"],
    ]);
    const [first, second] = r.buckets;
    // First week: Mon–Fri open (5 × 7.5 h); b10 Sun 22.00–24.00 and b13 Sun 23.00–23.30.
    expect(rowBy(first.rows, "CNC-01")).toMatchObject({ availableHours: 37.5, bookedHours: 2, usedHours: 2, bookings: 1, completed: 1, fees: 300_000 });
    expect(rowBy(first.rows, "CNC-02")).toMatchObject({ bookedHours: 0.5, bookings: 1 });
    // PLT-01: Mon–Thu 6 h, Fri 3.5 + 2 h.
    expect(rowBy(first.rows, "PLT-01")).toMatchObject({ availableHours: 29.5 });
    // The second week is the week report above.
    const week = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" });
    for (const key of ["CNC-01", "CNC-02", "PLT-01"]) {
      expect(core(rowBy(second.rows, key))).toEqual(core(rowBy(week.rows, key)));
    }
    // Rows of the whole period are the sums of their buckets.
    for (const row of r.rows) {
      const parts = r.buckets.map((b) => rowBy(b.rows, row.key));
      expect(core(row)).toEqual(core(sumMetrics(parts)));
    }
  });

  it("monthly buckets cut at the month's end", () => {
    const r = computeReport(WORLD, { period: periodOf("2026-11-23", "2026-12-27", TZ), groupBy: "type", bucket: "month" });
    expect(r.buckets.map((b) => [b.bucket.from, b.bucket.to])).toEqual([
      ["2026-11-23", "2026-11-30"],
      ["2026-12-01", "2026-12-27"],
    ]);
    // 23–30 November: Mon 23 – Fri 27 and Mon 30, six open days of 7.5 h, two CNC machines.
    expect(rowBy(r.buckets[0].rows, "CNC_LATHE").availableHours).toBe(90);
  });
});

describe("unmet demand: when a refused request counts", () => {
  const base: ReportData = { ...WORLD, bookings: [], usage: [], attempts: [], waitlist: [] };
  const refusal = attempt(1, A, M1, CNC, "2026-12-22 08:00", "2026-12-22 10:00", "2026-12-21 09:00", ["OVERLAP"]);
  const unmetWith = (bookings: ReportBooking[], waitlistEntries: ReportWaitlist[] = []) =>
    computeReport({ ...base, bookings, attempts: [refusal], waitlist: waitlistEntries }, { period: WEEK, groupBy: "machine", bucket: "none" }).totals
      .unmetRefusedHours;

  it("counts when nothing follows", () => {
    expect(unmetWith([])).toBe(2);
  });
  it("is met by a later booking on another machine of the type, up to 7 days after the requested start", () => {
    expect(unmetWith([booking(20, M2, A, "2026-12-29 07:30", "2026-12-29 08:30", "confirmed", "2026-12-21 09:30")])).toBe(0);
  });
  it("is not met by a booking starting 7 days or more after the requested start", () => {
    expect(unmetWith([booking(20, M2, A, "2026-12-29 08:00", "2026-12-29 09:00", "confirmed", "2026-12-21 09:30")])).toBe(2);
  });
  it("is not met by a booking made before the refusal", () => {
    expect(unmetWith([booking(20, M2, A, "2026-12-23 08:00", "2026-12-23 09:00", "confirmed", "2026-12-21 08:59")])).toBe(2);
  });
  it("is not met by a cancelled booking, another IKM's, or another type's", () => {
    expect(
      unmetWith([
        booking(20, M2, A, "2026-12-23 08:00", "2026-12-23 09:00", "cancelled", "2026-12-21 09:30", "2026-12-22 08:00"),
        booking(21, M2, B, "2026-12-23 08:00", "2026-12-23 09:00", "confirmed", "2026-12-21 09:30"),
        booking(22, M3, A, "2026-12-23 08:00", "2026-12-23 09:00", "confirmed", "2026-12-21 09:30"),
      ]),
    ).toBe(2);
  });
  it("is met by a no-show booking: the IKM got its slot", () => {
    expect(unmetWith([booking(20, M1, A, "2026-12-23 08:00", "2026-12-23 09:00", "no_show", "2026-12-21 09:30")])).toBe(0);
  });
  it("gives way to an expired waitlist entry made for it, and not to an older one", () => {
    const entry = (createdAt: string) => waitlist(9, A, M1, CNC, "2026-12-22 08:00", "2026-12-22 12:00", 120, createdAt);
    expect(unmetWith([], [entry("2026-12-21 09:01")])).toBe(0);
    expect(unmetWith([], [entry("2026-12-21 08:00")])).toBe(2);
  });
  it("counts only the part of a refused request inside the period and outside the break", () => {
    const across = attempt(2, A, M1, CNC, "2026-12-20 23:00", "2026-12-21 14:00", "2026-12-19 09:00", ["BUFFER"]);
    const r = computeReport({ ...base, attempts: [across] }, { period: WEEK, groupBy: "machine", bucket: "none" });
    // 00.00–12.00 and 13.00–14.00 on Monday: 13 h.
    expect(r.totals.unmetRefusedHours).toBe(13);
  });
});

describe("available hours", () => {
  it("a retired machine counts until its retirement, a new one from its creation", () => {
    const data: ReportData = {
      ...WORLD,
      machines: [
        { ...WORLD.machines[0], availableUntil: wib("2026-12-22 12:00") }, // Mon 7.5 + Tue 07.30–12.00
        { ...WORLD.machines[1], availableFrom: wib("2026-12-23 10:00") }, // Wed 10–12 + 13–16
      ],
      maintenance: [],
    };
    const r = computeReport(data, { period: WEEK, groupBy: "machine", bucket: "none" });
    expect(rowBy(r.rows, "CNC-01").availableHours).toBe(12);
    expect(rowBy(r.rows, "CNC-02").availableHours).toBe(5);
  });
});

describe("charts", () => {
  const report = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" });

  it("the heat map gives used and available time per weekday and hour", () => {
    const cell = (weekday: number, hour: number) => report.charts.heatmap.cells.find((c) => c.weekday === weekday && c.hour === hour);
    // Monday 08.00–09.00: b1 08.05–09.00 (55 min) + b8 60 min = 115 min; three machines open.
    expect(cell(1, 8)).toEqual({ weekday: 1, hour: 8, usedHours: 1.92, availableHours: 3, utilization: 0.64 });
    // Monday 12.00: the break.
    expect(cell(1, 12)).toMatchObject({ usedHours: 0, availableHours: 0, utilization: null });
    // Monday 00.00–01.00: b10 after midnight, nothing open.
    expect(cell(1, 0)).toMatchObject({ usedHours: 1, availableHours: 0 });
    // Thursday (closure day): b11 00.00–01.30.
    expect(cell(4, 1)).toMatchObject({ usedHours: 0.5, availableHours: 0 });
    expect(report.charts.heatmap.weekdays).toEqual([1, 2, 3, 4]);
    // The hours sum up to the used total.
    const used = report.charts.heatmap.cells.reduce((s, c) => s + c.usedHours, 0);
    expect(used).toBeCloseTo(14.75, 1);
  });

  it("utilization over time per machine type, in weeks for a short period", () => {
    expect(report.charts.bucket).toBe("week");
    const cnc = report.charts.utilization.find((s) => s.code === "CNC_LATHE");
    expect(cnc?.points).toEqual([
      { availableHours: 43, availableHoursToDate: 43, bookedHours: 17, bookedAheadHours: 0, usedHours: 11.25, bookedUtilization: 0.3953, actualUtilization: 0.2616 },
    ]);
  });

  it("top IKMs by used hours and fees, unmet demand per type", () => {
    expect(report.charts.ikms).toEqual([
      { id: B, label: "IKM Barokah", usedHours: 6.5, fees: 500_000 },
      { id: A, label: "IKM Anugrah", usedHours: 4.75, fees: 200_000 },
      { id: C, label: "IKM Cahaya", usedHours: 3.5, fees: 175_000 },
    ]);
    expect(report.charts.unmetByType).toEqual([
      { id: CNC, label: "Mesin Bubut CNC", refusedHours: 3, waitlistHours: 1.5, totalHours: 4.5 },
      { id: PLT, label: "Lini Elektroplating", refusedHours: 2, waitlistHours: 2, totalHours: 4 },
    ]);
  });
});

describe("bookingLines (drill-down)", () => {
  it("lists CNC-01's bookings with the hours inside the week, adding up to its row", () => {
    const lines = bookingLines(WORLD, WEEK, { machineId: M1 });
    expect(lines.map((l) => [l.id, l.bookedHours, l.usedHours, l.fee, l.startsInPeriod, l.ahead, l.lateCancellation])).toEqual([
      [10, 1, 1, null, false, false, false],
      [1, 2, 1.92, 200_000, true, false, false],
      [2, 2, 2, 150_000, true, false, false],
      [3, 1, 0, null, true, false, false],
      [4, 0, 0, null, true, false, true],
      [5, 0, 0, null, true, false, false],
      [11, 4, 3.5, 175_000, true, false, false],
    ]);
    const sum = (f: (l: (typeof lines)[number]) => number) => Math.round(lines.reduce((s, l) => s + f(l), 0) * 100) / 100;
    expect(sum((l) => l.bookedHours)).toBe(10);
    expect(sum((l) => l.usedHours)).toBe(8.42);
    expect(sum((l) => l.fee ?? 0)).toBe(525_000);
  });

  it("filters by IKM and by type", () => {
    expect(bookingLines(WORLD, WEEK, { ikmId: C }).map((l) => l.id)).toEqual([4, 5, 9, 11]);
    expect(bookingLines(WORLD, WEEK, { typeId: PLT }).map((l) => l.id)).toEqual([8, 9]);
  });
});

describe("rounding: columns add up, totals do not depend on the grouping", () => {
  const MIN = 60_000;
  it("apportion rounds to hundredths that add up to the rounded exact sum", () => {
    // Three sessions of 20 minutes: 0.333… h each, 1 h together.
    expect(apportion([20 * MIN, 20 * MIN, 20 * MIN])).toEqual([0.34, 0.33, 0.33]);
    // 10 + 10 + 10 minutes = 0.5 h; each 0.1666…
    expect(apportion([10 * MIN, 10 * MIN, 10 * MIN])).toEqual([0.17, 0.17, 0.16]);
    // Nothing to fix: values stay their own rounding.
    expect(apportion([90 * MIN, 45 * MIN])).toEqual([1.5, 0.75]);
    // A given total (a bucket's share) is met exactly.
    expect(apportion([20 * MIN, 20 * MIN], 0.66)).toEqual([0.33, 0.33]);
    expect(apportion([20 * MIN, 20 * MIN], 0.67)).toEqual([0.34, 0.33]);
    expect(apportion([])).toEqual([]);
  });

  it("three 20-minute sessions on three machines: 1 h in every grouping, rows adding up", () => {
    const monday = (h: string) => `2026-12-21 ${h}`;
    const sessions = [M1, M2, M3].map((m, i) => booking(50 + i, m, [A, B, C][i], monday("08:00"), monday("08:20"), "completed"));
    const data: ReportData = { ...WORLD, bookings: sessions, usage: sessions.map((b) => usage(b, monday("08:00"), monday("08:20"), 50_000)), attempts: [], waitlist: [] };
    for (const groupBy of ["machine", "type", "ikm"] as const) {
      const r = computeReport(data, { period: WEEK, groupBy, bucket: "none" });
      expect(r.totals.usedHours, groupBy).toBe(1);
      expect(r.totals.bookedHours, groupBy).toBe(1);
      expect(Math.round(r.rows.reduce((s, row) => s + row.usedHours, 0) * 100) / 100, groupBy).toBe(1);
      expect(r.service.hoursServed).toBe(1);
      expect(r.charts.ikms.reduce((s, i) => s + i.usedHours, 0)).toBeCloseTo(1, 10);
    }
  });

  it("buckets add up to the period, rows to their bucket", () => {
    const r = computeReport(WORLD, { period: periodOf("2026-12-14", "2026-12-27", TZ), groupBy: "ikm", bucket: "week" });
    for (const f of ["bookedHours", "usedHours", "unmetDemandHours"] as const) {
      const buckets = r.buckets.reduce((s, b) => s + b.totals[f], 0);
      expect(Math.round(buckets * 100) / 100, f).toBe(r.totals[f]);
      for (const b of r.buckets) expect(Math.round(b.rows.reduce((s, row) => s + row[f], 0) * 100) / 100, f).toBe(b.totals[f]);
    }
    expect(r.buckets.reduce((s, b) => s + (b.totals.availableHours ?? 0), 0)).toBe(r.totals.availableHours);
  });

  it("the drill-down's lines add up to the report's row", () => {
    const row = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" }).rows.find((x) => x.key === "CNC-01");
    const lines = bookingLines(WORLD, WEEK, { machineId: M1 }, row);
    expect(Math.round(lines.reduce((s, l) => s + l.usedHours, 0) * 100) / 100).toBe(row?.usedHours);
    expect(lines.reduce((s, l) => s + l.bookedHours, 0)).toBe(row?.bookedHours);
  });
});

describe("order of the records", () => {
  it("the report does not depend on the order the database returned the records in", () => {
    const reversed = { ...WORLD, bookings: [...WORLD.bookings].reverse(), usage: [...WORLD.usage].reverse(), attempts: [...WORLD.attempts].reverse() };
    for (const groupBy of ["machine", "type", "ikm"] as const) {
      for (const bucket of ["none", "week"] as const) {
        expect(computeReport(reversed, { period: WEEK, groupBy, bucket })).toEqual(computeReport(WORLD, { period: WEEK, groupBy, bucket }));
      }
    }
  });
});

describe("a period that reaches past now: what happened counts up to asOf, what is planned the whole period", () => {
  const at = (now: string, groupBy: "machine" | "type" | "ikm" = "machine", bucket: "none" | "week" = "none") =>
    computeReport({ ...WORLD, now: wib(now) }, { period: WEEK, groupBy, bucket });
  const TODAY = computeReport(WORLD, { period: WEEK, groupBy: "machine", bucket: "none" });

  it("a period wholly in the past: asOf is its end, both available figures are equal, nothing ahead, nothing else changes", () => {
    const later = at("2027-03-01 09:00");
    expect(later.asOf).toBe(WEEK.end);
    for (const row of [...later.rows, later.totals]) {
      expect(row.availableHoursToDate).toBe(row.availableHours);
      expect(row.bookedAheadHours).toBe(0);
    }
    // WORLD's own now (Saturday 26 December 12.00) is after the week's last open hour: the same figures.
    expect(later.rows).toEqual(TODAY.rows);
    expect(later.totals).toEqual(TODAY.totals);
    expect(later.charts).toEqual(TODAY.charts);
  });

  it("a period wholly in the future: every to-date figure is zero, its rates empty; booked hours are all ahead", () => {
    const before = at("2026-12-14 09:00");
    expect(before.asOf).toBe(wib("2026-12-14 09:00"));
    expect(before.asOf).toBeLessThan(WEEK.start);
    expect(before.totals).toMatchObject({
      availableHours: 59,
      availableHoursToDate: 0,
      bookedHours: 21,
      bookedAheadHours: 21,
      bookedUtilization: 0.3559,
      usedHours: 0,
      actualUtilization: null, // nothing was open yet: no rate, not 0 %
      bookings: 0,
      noShowRate: null,
      lateCancellationRate: null,
      unmetDemandHours: 0,
      fees: 0,
    });
    expect(before.service).toEqual({ ikmsServed: 0, bookingsServed: 0, hoursServed: 0, fees: 0 });
    expect(before.charts.heatmap.cells.every((c) => c.usedHours === 0 && c.availableHours === 0)).toBe(true);
  });

  it("cut in the middle of a day (Monday 10.00): open time, use, fees and rates up to 10.00", () => {
    const r = at("2026-12-21 10:00");
    expect(rowBy(r.rows, "CNC-01")).toMatchObject({
      availableHours: 22.5,
      availableHoursToDate: 2.5, // 07.30–10.00
      bookedHours: 10,
      bookedAheadHours: 7, // b2 11–12 & 13–14, b3 1, b11 4; b1 08–10 and b10 are past
      usedHours: 2.92, // b10 60 + b1 08.05–10.00 115 = 175 min
      bookings: 1, // b1; b2, b3, b4, b5, b11 have not started
      completed: 1,
      lateCancellations: 0, // b4's late cancellation counts once its start has passed
      fees: 200_000,
    });
    expect(rowBy(r.rows, "PLT-01")).toMatchObject({
      availableHoursToDate: 2, // 08.00–10.00
      bookedAheadHours: 2, // b8 10–12
      usedHours: 2, // b8's session 08.00–11.30 up to 10.00
      actualUtilization: 1,
      fees: 350_000, // its session began before 10.00
    });
    expect(r.totals).toMatchObject({
      availableHoursToDate: 7,
      bookedAheadHours: 15, // CNC-01 7 + CNC-02 6 (b6 3, b7 3) + PLT-01 2
      usedHours: 4.92, // 175 + 120 min
      actualUtilization: 0.7029, // 4.92 / 7
      bookings: 3, // b1, b8, b12
      noShowRate: 0,
      unmetDemandHours: 0, // a1 asked for 10–12: none of it has passed
      fees: 550_000,
    });
  });

  it("cut in the middle of a break (Monday 12.30): the same to-date figures as at 12.00, the afternoon ahead", () => {
    const inBreak = at("2026-12-21 12:30");
    const noon = at("2026-12-21 12:00");
    expect(rowBy(inBreak.rows, "CNC-01")).toMatchObject({
      availableHoursToDate: 4.5, // 07.30–12.00
      usedHours: 3.92, // b10 60 + b1 115 + b2 11.00–12.00 60 = 235 min
      bookedAheadHours: 6, // b2 13–14, b3 1, b11 4
    });
    for (const key of ["CNC-01", "CNC-02", "PLT-01"]) {
      const a = rowBy(inBreak.rows, key);
      const b = rowBy(noon.rows, key);
      expect([a.availableHoursToDate, a.usedHours, a.bookedAheadHours, a.actualUtilization, a.fees]).toEqual([
        b.availableHoursToDate,
        b.usedHours,
        b.bookedAheadHours,
        b.actualUtilization,
        b.fees,
      ]);
    }
  });

  it("cut on a closure day (Thursday 24 December 10.00): nothing more was open, so to-date is the whole week's open time", () => {
    const r = at("2026-12-24 10:00");
    expect(r.totals).toMatchObject({ availableHours: 59, availableHoursToDate: 59, bookedAheadHours: 0 });
    expect(r.rows).toEqual(TODAY.rows);
    expect(r.totals).toEqual(TODAY.totals);
  });

  it("a maintenance window that straddles now (CNC-02, Tuesday 08–10, now 09.00): only the open time before it counts", () => {
    const r = at("2026-12-22 09:00");
    expect(rowBy(r.rows, "CNC-02")).toMatchObject({
      availableHours: 20.5,
      availableHoursToDate: 8, // Monday 7.5 + Tuesday 07.30–08.00
      usedHours: 0, // b7 starts at 13.10
      actualUtilization: 0,
      unmetRefusedHours: 1, // a2 (08–10, MAINTENANCE) up to 09.00
    });
    expect(rowBy(r.rows, "CNC-01")).toMatchObject({ availableHoursToDate: 9, unmetRefusedHours: 0 }); // a3 asked for 09–11
    expect(rowBy(r.rows, "PLT-01")).toMatchObject({ availableHoursToDate: 7, unmetRefusedHours: 1 }); // a5 08–09 of 08–10
  });

  it("the drill-down follows the same cut: its lines add up to the row, bookings not yet started are marked ahead", () => {
    const now = wib("2026-12-21 10:00");
    const row = rowBy(at("2026-12-21 10:00").rows, "CNC-01");
    const lines = bookingLines({ ...WORLD, now }, WEEK, { machineId: M1 }, row);
    expect(Math.round(lines.reduce((s, l) => s + l.usedHours, 0) * 100) / 100).toBe(row.usedHours);
    expect(lines.reduce((s, l) => s + (l.fee ?? 0), 0)).toBe(row.fees);
    expect(lines.filter((l) => l.ahead).map((l) => l.id)).toEqual([2, 3, 4, 5, 11]);
    expect(lines.find((l) => l.id === 4)?.lateCancellation).toBe(false);
  });

  it("at every hour of the week, in every grouping and bucket: to-date ≤ whole, actual = used / to-date, columns add up", () => {
    for (let hour = 0; hour <= 8 * 24; hour += 5) {
      const now = WEEK.start - 12 * 3_600_000 + hour * 3_600_000;
      for (const groupBy of ["machine", "type", "ikm"] as const) {
        const r = computeReport({ ...WORLD, now }, { period: WEEK, groupBy, bucket: "week" });
        const label = `${new Date(now).toISOString()} ${groupBy}`;
        expect(r.asOf, label).toBe(Math.min(now, WEEK.end));
        for (const m of [...r.rows, r.totals]) {
          if (m.availableHours !== null) expect(m.availableHoursToDate ?? -1, label).toBeLessThanOrEqual(m.availableHours);
          expect(m.bookedAheadHours, label).toBeLessThanOrEqual(m.bookedHours);
          expect(m.actualUtilization, label).toBe(m.availableHoursToDate ? Math.round((m.usedHours / m.availableHoursToDate) * 10000) / 10000 : null);
        }
        const facility = groupBy === "ikm" ? { availableHours: r.totals.availableHours, availableHoursToDate: r.totals.availableHoursToDate } : undefined;
        const sum = sumMetrics(r.rows, facility);
        expect([sum.availableHoursToDate, sum.bookedAheadHours, sum.usedHours], label).toEqual([
          r.totals.availableHoursToDate,
          r.totals.bookedAheadHours,
          r.totals.usedHours,
        ]);
      }
    }
  });
});

describe("an undone booking (cancelled within 30 seconds of being made)", () => {
  const start = Date.parse("2026-12-08T06:00:00Z");
  const made = start - 3_600_000; // an hour before its start: any cancellation now would be late
  const b = (cancelledAfterMs: number) => ({ status: "cancelled" as const, start, createdAt: made, cancelledAt: made + cancelledAfterMs });
  it("is undone up to exactly 30 s, and then neither late nor counted", () => {
    expect(isUndone(b(30_000))).toBe(true);
    expect(isLateCancellation(b(30_000))).toBe(false);
  });
  it("from 30 s and 1 ms on it is a cancellation like any other (late here)", () => {
    expect(isUndone(b(30_001))).toBe(false);
    expect(isLateCancellation(b(30_001))).toBe(true);
  });
});
