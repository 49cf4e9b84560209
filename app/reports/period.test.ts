import { describe, expect, it } from "vitest";
import { wib } from "~/scheduling/test-fixtures";
import { addDays, autoBucket, bucketsOf, periodDays, periodOf, presets } from "./period";

const TZ = "Asia/Jakarta";

describe("periodOf", () => {
  it("runs from the first date's midnight WIB to the midnight after the last date", () => {
    const p = periodOf("2026-12-01", "2026-12-01", TZ);
    expect(new Date(p.start).toISOString()).toBe("2026-11-30T17:00:00.000Z");
    expect(new Date(p.end).toISOString()).toBe("2026-12-01T17:00:00.000Z");
    expect(periodDays("2026-12-01", "2026-12-01")).toBe(1);
  });
  it("counts leap days", () => {
    expect(periodDays("2024-01-01", "2024-12-31")).toBe(366);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });
});

describe("bucketsOf", () => {
  const p = periodOf("2026-11-26", "2026-12-09", TZ); // Thursday to Wednesday
  it("ISO weeks, cut at the period's edges", () => {
    expect(bucketsOf(p, "week", TZ).map((b) => `${b.from}/${b.to}`)).toEqual([
      "2026-11-26/2026-11-29",
      "2026-11-30/2026-12-06",
      "2026-12-07/2026-12-09",
    ]);
  });
  it("calendar months, cut at the period's edges, across a year end", () => {
    const q = periodOf("2025-12-15", "2026-02-10", TZ);
    expect(bucketsOf(q, "month", TZ).map((b) => `${b.from}/${b.to}`)).toEqual([
      "2025-12-15/2025-12-31",
      "2026-01-01/2026-01-31",
      "2026-02-01/2026-02-10",
    ]);
  });
  it("buckets tile the period exactly", () => {
    const weeks = bucketsOf(p, "week", TZ);
    expect(weeks[0].start).toBe(p.start);
    expect(weeks[weeks.length - 1].end).toBe(p.end);
    for (let i = 1; i < weeks.length; i++) expect(weeks[i].start).toBe(weeks[i - 1].end);
    expect(weeks[1].start).toBe(wib("2026-11-30 00:00"));
  });
  it("charts use weeks up to about three months, months beyond", () => {
    expect(autoBucket(periodOf("2026-09-01", "2026-11-30", TZ))).toBe("week");
    expect(autoBucket(periodOf("2026-01-01", "2026-12-31", TZ))).toBe("month");
  });
});

describe("presets", () => {
  it("whole weeks, months and the year around Tuesday 1 December 2026, 09.00 WIB", () => {
    expect(presets(wib("2026-12-01 09:00"), TZ)).toEqual({
      thisWeek: { from: "2026-11-30", to: "2026-12-06" },
      lastWeek: { from: "2026-11-23", to: "2026-11-29" },
      thisMonth: { from: "2026-12-01", to: "2026-12-31" },
      lastMonth: { from: "2026-11-01", to: "2026-11-30" },
      thisYear: { from: "2026-01-01", to: "2026-12-31" },
    });
  });
  it("use the facility's date, not UTC's: Monday 00.30 WIB is still Sunday in UTC", () => {
    const p = presets(wib("2026-11-30 00:30"), TZ);
    expect(p.thisWeek).toEqual({ from: "2026-11-30", to: "2026-12-06" });
    expect(p.thisMonth.from).toBe("2026-11-01");
  });
});
