/**
 * The report's loader streams each table as one text of integers (group_concat) and decodes it
 * (app/services/reports/load.server.ts). Here it is checked against plain queries on the real demo
 * database (90 days of history, 30 of future bookings, refusals, waitlist, maintenance, plus a
 * session across midnight, one on a Saturday and one still running): the same records, decoded
 * exactly, and so the very same report for every grouping and bucket.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type ReportBooking, type ReportData, type ReportUsage, computeReport } from "../../app/reports/metrics";
import { periodOf } from "../../app/reports/period";
import { loadReportData, reportCalendar } from "../../app/services/reports/raw.server";
import { CAPACITY_CODES, type FacilityCalendar } from "../../app/scheduling/types";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";

let app: TestApp;
let calendar: FacilityCalendar;

beforeAll(async () => {
  app = await loadApp();
  calendar = (await reportCalendar(app.db)).calendar;
  // A session across midnight, one still running, and one across the break, so the fast path
  // has records of every kind to hand over to the pure module.
  const anyBooking = await app.db
    .selectFrom("bookings")
    .select(["id", "machine_id", "ikm_id", "booked_by"])
    .where("status", "=", "completed")
    .orderBy("id")
    .limit(1)
    .executeTakeFirstOrThrow();
  const wib = (s: string) => Date.parse(`${s.replace(" ", "T")}:00+07:00`);
  const add = async (from: string, to: string, status: string, usage: { from: string; to: string | null; fee: number | null }) => {
    const row = await app.db
      .insertInto("bookings")
      .values({
        machine_id: anyBooking.machine_id,
        ikm_id: anyBooking.ikm_id,
        booked_by: anyBooking.booked_by,
        start_at: wib(from),
        end_at: wib(to),
        hold_end_at: wib(to),
        status,
        source: "walk_in",
        purpose: "",
        assisted: 0,
        late_cancel: 0,
        created_at: wib(from),
        updated_at: wib(from),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await app.db
      .insertInto("usage_records")
      .values({
        booking_id: row.id,
        actual_start: wib(usage.from),
        actual_end: usage.to ? wib(usage.to) : null,
        operator_name: "",
        operator_kind: "unit",
        consumables: "",
        notes: "",
        fee: usage.fee,
        checked_in_by: anyBooking.booked_by,
        created_at: wib(usage.from),
        updated_at: wib(usage.from),
      })
      .execute();
  };
  await add("2026-11-14 20:00", "2026-11-15 02:00", "completed", { from: "2026-11-14 20:10", to: "2026-11-15 01:40", fee: 90_000 }); // Saturday night
  await add("2026-11-21 10:00", "2026-11-21 15:00", "completed", { from: "2026-11-21 10:00", to: "2026-11-21 14:50", fee: 80_000 }); // a Saturday
  await add("2026-12-01 05:00", "2026-12-01 06:30", "checked_in", { from: "2026-12-01 05:05", to: null, fee: null }); // running at 09.00
  // A 48-hour job whose session reaches into Sunday 15 November while its booking began before
  // the 48 hours the loader looks back: its booking is looked up on its own.
  await add("2026-11-12 22:00", "2026-11-14 22:00", "completed", { from: "2026-11-13 00:30", to: "2026-11-15 00:30", fee: 700_000 });
});

/**
 * EVERY booking, usage record and capacity refusal in the database, with plain queries, one
 * object per row: an oracle that shares nothing with the loader (no ranges, no streaming). The
 * metrics take extra records as harmless, so a report from these is the true report, and one
 * from the streamed records must equal it.
 */
async function allRecords(): Promise<Pick<ReportData, "bookings" | "usage" | "attempts">> {
  const bookings = (await app.db
    .selectFrom("bookings")
    .select(["id", "machine_id as machineId", "ikm_id as ikmId", "start_at as start", "end_at as end", "status", "created_at as createdAt", "cancelled_at as cancelledAt"])
    .execute()) as ReportBooking[];
  const usage = (await app.db
    .selectFrom("usage_records as u")
    .innerJoin("bookings as b", "b.id", "u.booking_id")
    .select(["u.booking_id as bookingId", "b.machine_id as machineId", "b.ikm_id as ikmId", "u.actual_start as start", "u.actual_end as end", "b.end_at as bookingEnd", "u.fee as fee"])
    .execute()) as ReportUsage[];
  const attempts = (
    await app.db
      .selectFrom("booking_attempts")
      .select(["id", "ikm_id as ikmId", "machine_id as machineId", "machine_type_id as typeId", "start_at as start", "end_at as end", "created_at as createdAt", "codes"])
      .execute()
  )
    .map((a) => ({ ...a, codes: CAPACITY_CODES.filter((c) => a.codes.split(",").includes(c)) }))
    .filter((a) => a.codes.length > 0);
  return { bookings, usage, attempts };
}

const byId = <T extends { id?: number; bookingId?: number }>(list: readonly T[]) => [...list].sort((a, b) => (a.id ?? a.bookingId ?? 0) - (b.id ?? b.bookingId ?? 0));

const PERIODS: [string, string][] = [
  ["2026-11-01", "2026-11-30"],
  ["2026-09-03", "2026-12-31"], // the demo's whole history and future
  ["2026-11-15", "2026-11-15"], // one Sunday, cut by the night session
  ["2026-11-10", "2026-11-24"],
  ["2026-12-20", "2026-12-31"], // closure days 24 and 25 December
];

describe("the streamed records are the records", () => {
  for (const [from, to] of PERIODS) {
    it(`${from} – ${to}: the same bookings and usage, decoded exactly, and the same reports`, async () => {
      const period = periodOf(from, to, calendar.timeZone);
      const streamed = await loadReportData(app.db, calendar, period, TEST_NOW);
      const all = await allRecords();
      expect(streamed.bookings.length).toBeGreaterThan(0);
      expect(streamed.bookings.length).toBeLessThanOrEqual(all.bookings.length);
      // Each streamed record is decoded exactly: equal to the same row read plainly.
      const exact = <T extends { id?: number; bookingId?: number }>(mine: readonly T[], truth: readonly T[]) => {
        const key = (x: T) => x.id ?? x.bookingId;
        const byKey = new Map(truth.map((x) => [key(x), x]));
        expect(byId(mine)).toEqual(byId(mine).map((x) => byKey.get(key(x))));
      };
      exact(streamed.bookings, all.bookings);
      exact(streamed.usage, all.usage);
      exact(streamed.attempts, all.attempts);
      // And nothing that counts is left out: the report equals the one from every record.
      const reference: ReportData = { ...streamed, ...all };
      for (const groupBy of ["machine", "type", "ikm"] as const) {
        for (const bucket of ["none", "week", "month"] as const) {
          const options = { period, groupBy, bucket };
          expect(computeReport(streamed, options), `${groupBy} ${bucket}`).toEqual(computeReport(reference, options));
        }
      }
    });
  }

  it("the demo has something to compare: every status, cancellations, a running session, refusals", async () => {
    const period = periodOf("2026-11-01", "2026-12-31", calendar.timeZone);
    const data = await loadReportData(app.db, calendar, period, TEST_NOW);
    expect(new Set(data.bookings.map((b) => b.status))).toEqual(new Set(["pending", "confirmed", "completed", "cancelled", "rejected", "no_show", "checked_in"]));
    expect(data.bookings.some((b) => b.cancelledAt !== null)).toBe(true);
    expect(data.usage.some((u) => u.end === null)).toBe(true);
    expect(data.attempts.length).toBeGreaterThan(10);
    const r = computeReport(data, { period, groupBy: "type", bucket: "none" });
    expect(r.totals.bookedHours).toBeGreaterThan(100);
    expect(r.totals.usedHours).toBeGreaterThan(50);
    expect(r.totals.fees).toBeGreaterThan(0);
    expect(r.totals.bookings).toBeGreaterThan(50);
    expect(r.totals.unmetDemandHours).toBeGreaterThan(0);
    expect(r.charts.heatmap.cells.length).toBeGreaterThan(20);
  });
});
