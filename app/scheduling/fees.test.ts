import { describe, expect, it } from "vitest";
import { breakIntervals } from "./calendar";
import { computeFee } from "./fees";
import { CALENDAR, wib } from "./test-fixtures";

const fee = (from: string, to: string, breaks = [] as { start: number; end: number }[]) =>
  computeFee({ actualStart: wib(from), actualEnd: wib(to), billingIncrementMinutes: 30, hourlyRate: 150000, breaks });

describe("computeFee", () => {
  it("rounds the actual time up to the billing increment", () => {
    // 70 minutes → 90 billable → 1.5 h × Rp150.000
    expect(fee("2026-12-07 08:00", "2026-12-07 09:10")).toEqual({
      actualMinutes: 70,
      billableMinutes: 90,
      fee: 225000,
    });
  });
  it("an exact multiple of the increment is billed as is", () => {
    expect(fee("2026-12-07 08:00", "2026-12-07 10:00")).toEqual({
      actualMinutes: 120,
      billableMinutes: 120,
      fee: 300000,
    });
  });
  it("bills at least one increment, even for a few minutes or none", () => {
    expect(fee("2026-12-07 08:00", "2026-12-07 08:05")).toEqual({ actualMinutes: 5, billableMinutes: 30, fee: 75000 });
    expect(fee("2026-12-07 08:00", "2026-12-07 08:00")).toEqual({ actualMinutes: 0, billableMinutes: 30, fee: 75000 });
    expect(fee("2026-12-07 08:00", "2026-12-07 07:00")).toEqual({ actualMinutes: 0, billableMinutes: 30, fee: 75000 });
  });
  it("a session across the break is not billed for the break", () => {
    // Monday 11.00–14.10 with the 12.00–13.00 break: 130 minutes used → 150 billable.
    const range = { start: wib("2026-12-07 00:00"), end: wib("2026-12-08 00:00") };
    const breaks = breakIntervals(range, CALENDAR);
    expect(fee("2026-12-07 11:00", "2026-12-07 14:10", breaks)).toEqual({
      actualMinutes: 130,
      billableMinutes: 150,
      fee: 375000,
    });
  });
  it("a check-out a few seconds late is not billed another increment", () => {
    const result = computeFee({
      actualStart: wib("2026-12-07 08:00"),
      actualEnd: wib("2026-12-07 09:00") + 20_000,
      billingIncrementMinutes: 30,
      hourlyRate: 150000,
      breaks: [],
    });
    expect(result).toEqual({ actualMinutes: 60, billableMinutes: 60, fee: 150000 });
  });
  it("rounds the fee to whole rupiah", () => {
    // 15-minute increments at Rp100.001/h: 0.25 h → Rp25.000,25 → Rp25.000
    const result = computeFee({
      actualStart: 0,
      actualEnd: 10 * 60_000,
      billingIncrementMinutes: 15,
      hourlyRate: 100001,
      breaks: [],
    });
    expect(result).toEqual({ actualMinutes: 10, billableMinutes: 15, fee: 25000 });
  });
});
