import { describe, expect, it } from "vitest";
import { checkInOpen, checkInWindow, earlyStartMinutes } from "./check-in";
import { wib } from "./test-fixtures";

const TZ = "Asia/Jakarta";
const booking = (status: string) => ({ status, start_at: wib("2026-12-02 13:00"), end_at: wib("2026-12-02 15:00") });

describe("check-in", () => {
  it("opens at the start of the booking's own day (facility time), not the day before", () => {
    expect(checkInWindow(booking("confirmed"), TZ)).toEqual({ start: wib("2026-12-02 00:00"), end: wib("2026-12-02 15:00") });
    expect(checkInOpen(booking("confirmed"), wib("2026-12-01 23:59"), TZ)).toBe(false);
    expect(checkInOpen(booking("confirmed"), wib("2026-12-02 00:00"), TZ)).toBe(true);
    // After its end a forgotten check-in may still be recorded (with a start before the end).
    expect(checkInOpen(booking("confirmed"), wib("2026-12-02 16:00"), TZ)).toBe(true);
    expect(checkInOpen(booking("pending"), wib("2026-12-02 13:00"), TZ)).toBe(false);
  });

  it("asks about a start more than 30 minutes early, and says by how much", () => {
    const start = wib("2026-12-02 13:00");
    expect(earlyStartMinutes(start, wib("2026-12-02 09:20"))).toBe(220);
    expect(earlyStartMinutes(start, wib("2026-12-02 12:29"))).toBe(31);
    expect(earlyStartMinutes(start, wib("2026-12-02 12:30"))).toBe(0);
    expect(earlyStartMinutes(start, wib("2026-12-02 13:10"))).toBe(0);
  });
});
