/**
 * The per-day summary's promise, as a property of the pure metrics: a report assembled from the
 * cells of its days — computed range by range, each range at a different `now` as the summary
 * would have computed it (a past range at any moment after it ended, a future one at any moment
 * before it began) — is the report computed from the records in one go, to the millisecond, the
 * rupiah and the hundredth of an hour, in every grouping and bucket.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, MINUTE_MS } from "~/scheduling/intervals";
import { CALENDAR, wib } from "~/scheduling/test-fixtures";
import type { BookingStatus, WeeklyHours } from "~/scheduling/types";
import { type ReportCells, type ReportData, GROUP_BYS, IkmCell, MachineCell, accumulate, assembleReport, computeReport } from "./metrics";
import { type BucketKind, addDays, periodOf } from "./period";

const TZ = "Asia/Jakarta";
/** The world spans three weeks from Monday 14 December 2026 (24–25 December are closure days). */
const FIRST_DAY = "2026-12-14";
const WORLD_DAYS = 21;
const W0 = wib(`${FIRST_DAY} 00:00`);
const QUARTER = 15 * MINUTE_MS;
const STATUSES: BookingStatus[] = ["pending", "confirmed", "checked_in", "completed", "cancelled", "rejected", "no_show"];
const CODES = ["OVERLAP", "BUFFER", "MAINTENANCE", "QUOTA_HOURS", "QUOTA_ACTIVE", "OUTSIDE_HOURS", "TOO_FAR"];
const OWN_HOURS: WeeklyHours = {
  1: [{ start: "08:00", end: "12:00" }],
  2: [{ start: "08:00", end: "12:00" }],
  3: [{ start: "10:00", end: "15:00" }],
  4: [],
  5: [{ start: "08:00", end: "11:30" }],
  6: [],
  7: [],
};

/** An instant of the world (quarter hours, a little before and after it too). */
const instant = fc.integer({ min: -2 * 96, max: (WORLD_DAYS + 2) * 96 }).map((q) => W0 + q * QUARTER);
/** A span of up to 2 days (MAX_SPAN_MS), mostly short. */
const span = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 192 })).map((q) => q * QUARTER);

const world = fc
  .record({
    machines: fc.array(
      fc.record({
        typeId: fc.constantFrom(10, 20),
        own: fc.boolean(),
        from: fc.option(instant, { nil: null }),
        until: fc.option(instant, { nil: null }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    maintenance: fc.array(fc.record({ machine: fc.nat(), start: instant, length: fc.option(span, { nil: null }) }), { maxLength: 3 }),
    bookings: fc.array(
      fc.record({
        machine: fc.nat(),
        ikmId: fc.integer({ min: 1, max: 4 }),
        start: instant,
        length: span,
        status: fc.constantFrom(...STATUSES),
        made: fc.integer({ min: 0, max: 20 * 96 }),
        cancelledAfter: fc.integer({ min: 0, max: 30 * 96 }),
        used: fc.option(fc.record({ late: fc.integer({ min: 0, max: 8 }), length: fc.option(span, { nil: null }), fee: fc.option(fc.nat({ max: 500_000 }), { nil: null }) }), { nil: null }),
      }),
      { maxLength: 25 },
    ),
    attempts: fc.array(
      fc.record({
        machine: fc.nat(),
        typeId: fc.constantFrom(10, 20),
        ikmId: fc.integer({ min: 1, max: 4 }),
        start: instant,
        length: span,
        before: fc.integer({ min: 0, max: 10 * 96 }),
        codes: fc.subarray(CODES, { minLength: 1 }),
      }),
      { maxLength: 10 },
    ),
    waitlist: fc.array(
      fc.record({ anyMachine: fc.boolean(), machine: fc.nat(), typeId: fc.constantFrom(10, 20), ikmId: fc.integer({ min: 1, max: 4 }), start: instant, length: span, minutes: fc.integer({ min: 15, max: 480 }), before: fc.integer({ min: 0, max: 10 * 96 }) }),
      { maxLength: 4 },
    ),
  })
  .map((w): Omit<ReportData, "now"> => {
    const machines = w.machines.map((m, i) => ({
      id: 101 + i,
      code: `M-${i + 1}`,
      name: `Mesin ${i + 1}`,
      typeId: m.typeId,
      hours: m.own ? OWN_HOURS : null,
      availableFrom: m.from ?? W0 - 400 * DAY_MS,
      availableUntil: m.until !== null && m.until > (m.from ?? 0) ? m.until : null,
    }));
    const machineOf = (n: number) => machines[n % machines.length];
    const bookings = w.bookings.map((b, i) => ({
      id: i + 1,
      machineId: machineOf(b.machine).id,
      ikmId: b.ikmId,
      start: b.start,
      end: b.start + b.length,
      status: b.status,
      createdAt: b.start - b.made * QUARTER,
      cancelledAt: b.status === "cancelled" ? b.start - b.made * QUARTER + Math.min(b.cancelledAfter * QUARTER, b.made * QUARTER + 2 * DAY_MS) : null,
    }));
    const usage = w.bookings.flatMap((b, i) => {
      if (!b.used) return [];
      const start = bookings[i].start + b.used.late * QUARTER;
      return [{ bookingId: i + 1, machineId: bookings[i].machineId, ikmId: b.ikmId, start, end: b.used.length === null ? null : start + b.used.length, bookingEnd: bookings[i].end, fee: b.used.fee }];
    });
    return {
      calendar: CALENDAR,
      machines,
      types: [
        { id: 10, code: "CNC", name: "Mesin CNC" },
        { id: 20, code: "PLT", name: "Lini pelapisan" },
      ],
      ikms: [1, 2, 3, 4].map((id) => ({ id, name: `IKM ${id}` })),
      bookings,
      usage,
      maintenance: w.maintenance.map((m) => ({ machineId: machineOf(m.machine).id, start: m.start, end: m.length === null ? null : m.start + m.length })),
      attempts: w.attempts.map((a, i) => ({ id: i + 1, ikmId: a.ikmId, machineId: machineOf(a.machine).id, typeId: a.typeId, start: a.start, end: a.start + a.length, createdAt: a.start - a.before * QUARTER, codes: a.codes })),
      waitlist: w.waitlist.map((e, i) => ({
        id: i + 1,
        ikmId: e.ikmId,
        machineId: e.anyMachine ? null : machineOf(e.machine).id,
        typeId: e.typeId,
        earliestStart: e.start,
        latestEnd: e.start + e.length,
        durationMinutes: e.minutes,
        createdAt: e.start - e.before * QUARTER,
      })),
    };
  });

/** The cells of consecutive ranges as the cells of their union (day numbers shifted). */
function concat(parts: ReportCells[]): ReportCells {
  const out: ReportCells = { days: [], machines: [], ikms: [], heat: [] };
  for (const p of parts) {
    const shift = out.days.length;
    const remap = <T extends MachineCell | IkmCell>(c: T, make: (day: number) => T): T => Object.assign(make(c.day + shift), { ...c, day: c.day + shift });
    out.machines.push(...p.machines.map((c) => remap(c, (d) => new MachineCell(d, c.machineId, c.typeId))));
    out.ikms.push(...p.ikms.map((c) => remap(c, (d) => new IkmCell(d, c.ikmId))));
    out.days.push(...p.days);
    out.heat.push(...p.heat);
  }
  return out;
}

describe("a report from the cells of its days (the summary's property)", () => {
  it("equals the report from the records, whatever ranges the days were computed in and when", () => {
    fc.assert(
      fc.property(
        world,
        fc.integer({ min: 0, max: WORLD_DAYS - 1 }),
        fc.integer({ min: 1, max: WORLD_DAYS }),
        fc.integer({ min: -3 * 96, max: (WORLD_DAYS + 3) * 96 }),
        fc.array(fc.integer({ min: 1, max: WORLD_DAYS }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 4 * 96 }), { minLength: 8, maxLength: 8 }),
        (records, first, length, nowQuarter, cuts, earlier) => {
          const from = addDays(FIRST_DAY, first);
          const n = Math.min(length, WORLD_DAYS - first);
          const to = addDays(from, n - 1);
          const period = periodOf(from, to, TZ);
          const now = W0 + nowQuarter * QUARTER;
          const data: ReportData = { ...records, now };
          // The period cut into consecutive ranges of whole days; each computed at a `now` on the
          // same side of it as the real one (the range with today in it at the real now).
          const edges = [...new Set([0, ...cuts.filter((c) => c < n), n])].sort((a, b) => a - b);
          const parts = edges.slice(1).map((end, i) => {
            const range = periodOf(addDays(from, edges[i]), addDays(from, end - 1), TZ);
            const shift = earlier[i % earlier.length] * QUARTER;
            const at = range.end <= now ? Math.max(range.end, now - shift) : range.start >= now ? Math.min(range.start, now) - shift : now;
            return accumulate({ ...data, now: at }, range);
          });
          const meta = { now, timeZone: TZ, machines: records.machines, types: records.types, ikms: records.ikms };
          const summed = concat(parts);
          for (const groupBy of GROUP_BYS) {
            for (const bucket of ["none", "week", "month"] as BucketKind[]) {
              expect(assembleReport(summed, meta, { period, groupBy, bucket })).toEqual(computeReport(data, { period, groupBy, bucket }));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);
});
