/**
 * The reports' per-day summary on the real demo database (SQLite here, PostgreSQL in
 * `npm run test:pg`): built, it matches the raw computation day by day (checkSummary, what
 * `npm run db:summary -- --check` runs); reports assembled from it equal the reports computed
 * from the raw records in every grouping and bucket; and every kind of change invalidates the
 * days it touches in its own transaction, so a report never shows a stale day — before the job
 * rebuilds it (the day is then computed raw) and after.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { computeReport } from "../../app/reports/metrics";
import { periodOf } from "../../app/reports/period";
import { buildReport } from "../../app/services/reports/load.server";
import { loadReportData, reportCalendar } from "../../app/services/reports/raw.server";
import { checkSummary, refreshSummary } from "../../app/services/reports/summary.server";
import { zonedInstant } from "../../app/scheduling/calendar";
import type { FacilityCalendar } from "../../app/scheduling/types";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";

let app: TestApp;
let calendar: FacilityCalendar;
const wib = (s: string) => Date.parse(`${s.replace(" ", "T")}:00+07:00`);
const dayStart = (date: string) => zonedInstant(date, "00:00", calendar.timeZone);

beforeAll(async () => {
  app = await loadApp();
  calendar = (await reportCalendar(app.db)).calendar;
});

const PERIODS: [string, string][] = [
  ["2026-09-03", "2026-12-31"], // the demo's whole history and future, today in it
  ["2026-11-01", "2026-11-30"],
  ["2026-11-10", "2026-11-24"],
  ["2026-12-02", "2026-12-31"], // wholly in the future
];

/** Every report of PERIODS from the summary equals the one from the raw records. */
async function expectReportsMatch(now: number): Promise<void> {
  calendar = (await reportCalendar(app.db)).calendar; // closure days and hours may have changed
  for (const [from, to] of PERIODS) {
    const period = periodOf(from, to, calendar.timeZone);
    const data = await loadReportData(app.db, calendar, period, now);
    for (const groupBy of ["machine", "type", "ikm"] as const) {
      for (const bucket of ["none", "week", "month"] as const) {
        const { report } = await buildReport(app.db, { from, to, groupBy, bucket }, now);
        expect(report, `${from} – ${to} ${groupBy} ${bucket}`).toEqual(computeReport(data, { period, groupBy, bucket }));
      }
    }
  }
}

async function heldDays(): Promise<Set<number>> {
  return new Set((await app.db.selectFrom("report_days").select("day_start").execute()).map((r) => Number(r.day_start)));
}

async function aBooking() {
  return app.db.selectFrom("bookings").select(["id", "machine_id", "ikm_id", "booked_by"]).where("status", "=", "completed").orderBy("id").limit(1).executeTakeFirstOrThrow();
}

describe("the reports' per-day summary", () => {
  it("is built for every day but today and matches the raw records day by day", async () => {
    const built = await refreshSummary(app.db, TEST_NOW);
    expect(built).toBeGreaterThan(100);
    const held = await heldDays();
    expect(held.has(dayStart("2026-11-30"))).toBe(true);
    expect(held.has(dayStart("2026-12-01"))).toBe(false); // today
    expect(held.has(dayStart("2026-12-02"))).toBe(true);
    expect(await checkSummary(app.db, TEST_NOW)).toEqual({ checked: built, differing: [] });
    // Nothing is left to build.
    expect(await refreshSummary(app.db, TEST_NOW)).toBe(0);
  });

  it("gives the same reports as the raw records, also once the clock has moved on", async () => {
    await expectReportsMatch(TEST_NOW);
    // Two days later yesterday's "future" days are past or today: read raw until rebuilt.
    await expectReportsMatch(TEST_NOW + 2 * 86_400_000);
    expect(await refreshSummary(app.db, TEST_NOW + 2 * 86_400_000)).toBeGreaterThan(0);
    await expectReportsMatch(TEST_NOW + 2 * 86_400_000);
  });

  it("names a day whose stored cells differ from the raw records", async () => {
    await refreshSummary(app.db, TEST_NOW);
    await app.db.updateTable("report_machine_days").set({ used_ms: sql`used_ms + 60000` }).where("day_start", "=", dayStart("2026-11-17")).execute();
    const check = await checkSummary(app.db, TEST_NOW);
    expect(check.differing).toEqual(["2026-11-17"]);
    // The job's rebuild does not see it (the day is held); a change to that day does.
    await app.db.deleteFrom("report_days").where("day_start", "=", dayStart("2026-11-17")).execute();
    await refreshSummary(app.db, TEST_NOW);
    expect((await checkSummary(app.db, TEST_NOW)).differing).toEqual([]);
  });

  const changes: [string, () => Promise<string[]>][] = [
    [
      "a booking and its usage record, backfilled",
      async () => {
        const b = await aBooking();
        const row = await app.db
          .insertInto("bookings")
          .values({ machine_id: b.machine_id, ikm_id: b.ikm_id, booked_by: b.booked_by, start_at: wib("2026-11-18 08:00"), end_at: wib("2026-11-18 09:30"), hold_end_at: wib("2026-11-18 09:30"), status: "completed", source: "walk_in", purpose: "", assisted: 0, late_cancel: 0, created_at: wib("2026-11-18 08:00"), updated_at: wib("2026-11-18 08:00") })
          .returning("id")
          .executeTakeFirstOrThrow();
        await app.db
          .insertInto("usage_records")
          .values({ booking_id: row.id, actual_start: wib("2026-11-18 08:05"), actual_end: wib("2026-11-18 09:20"), operator_name: "", operator_kind: "unit", consumables: "", notes: "", fee: 45_000, checked_in_by: b.booked_by, created_at: wib("2026-11-18 09:20"), updated_at: wib("2026-11-18 09:20") })
          .execute();
        return ["2026-11-18"];
      },
    ],
    [
      "a booking's status (completed → no-show)",
      async () => {
        const b = await app.db.selectFrom("bookings").select(["id", "start_at"]).where("status", "=", "completed").where("start_at", ">=", wib("2026-11-10 00:00")).where("start_at", "<", wib("2026-11-11 00:00")).limit(1).executeTakeFirstOrThrow();
        await app.db.updateTable("bookings").set({ status: "no_show" }).where("id", "=", b.id).execute();
        return ["2026-11-10"];
      },
    ],
    [
      "a refusal, then a booking of the same IKM days later that meets it",
      async () => {
        const b = await aBooking();
        const m = await app.db.selectFrom("machines").select(["id", "type_id"]).where("id", "=", b.machine_id).executeTakeFirstOrThrow();
        await app.db
          .insertInto("booking_attempts")
          .values({ ikm_id: b.ikm_id, machine_id: m.id, machine_type_id: m.type_id, start_at: wib("2026-11-27 08:00"), end_at: wib("2026-11-27 10:00"), codes: "OVERLAP", created_at: wib("2026-11-16 10:00"), user_id: b.booked_by } as never)
          .execute();
        await refreshSummary(app.db, TEST_NOW);
        // The booking on the 23rd (made after the refusal, before 7 days after the requested
        // start) meets the refusal for the 27th: the 27th's unmet hours change, beyond the days
        // the booking itself covers.
        await app.db
          .insertInto("bookings")
          .values({ machine_id: m.id, ikm_id: b.ikm_id, booked_by: b.booked_by, start_at: wib("2026-11-23 13:00"), end_at: wib("2026-11-23 14:00"), hold_end_at: wib("2026-11-23 14:00"), status: "completed", source: "walk_in", purpose: "", assisted: 0, late_cancel: 0, created_at: wib("2026-11-17 08:00"), updated_at: wib("2026-11-17 08:00") })
          .execute();
        return ["2026-11-27", "2026-11-23"];
      },
    ],
    [
      "a maintenance window",
      async () => {
        const b = await aBooking();
        await app.db.insertInto("maintenance_windows").values({ machine_id: b.machine_id, start_at: wib("2026-11-12 13:00"), end_at: wib("2026-11-12 16:00"), kind: "planned", reason: "uji", created_by: b.booked_by, created_at: wib("2026-11-11 08:00") } as never).execute();
        return ["2026-11-12"];
      },
    ],
    [
      "a closure day",
      async () => {
        await app.db.insertInto("closure_days").values({ date: "2026-11-13", kind: "unit", name: "Uji", created_at: TEST_NOW }).execute();
        return ["2026-11-13", "2026-09-03"];
      },
    ],
    [
      "the facility's opening hours",
      async () => {
        const f = await app.db.selectFrom("facility").select(["id", "hours_json"]).executeTakeFirstOrThrow();
        const hours = JSON.parse(f.hours_json) as Record<string, { start: string; end: string }[]>;
        hours["6"] = [{ start: "08:00", end: "12:00" }];
        await app.db.updateTable("facility").set({ hours_json: JSON.stringify(hours) }).where("id", "=", f.id).execute();
        return ["2026-11-14", "2026-12-05"];
      },
    ],
  ];

  for (const [what, change] of changes) {
    it(`invalidates the days ${what} touches, and the reports stay right`, async () => {
      await refreshSummary(app.db, TEST_NOW);
      const touched = await change();
      const held = await heldDays();
      for (const date of touched) expect(held.has(dayStart(date)), `${date} still held after ${what}`).toBe(false);
      await expectReportsMatch(TEST_NOW); // the touched days computed raw
      await refreshSummary(app.db, TEST_NOW);
      expect((await checkSummary(app.db, TEST_NOW)).differing).toEqual([]);
      await expectReportsMatch(TEST_NOW); // and from the rebuilt summary
    });
  }
});
