import { describe, expect, it } from "vitest";
import { restrictionUntil } from "./restriction";

const DAY = 86_400_000;
const d = (n: number) => Date.UTC(2026, 0, 1) + n * DAY;
const policy = { count: 3, windowDays: 60, restrictDays: 30 };

describe("restrictionUntil", () => {
  it("three no-shows within 60 days restrict for 30 days from the third", () => {
    expect(restrictionUntil([d(1), d(10), d(20)], d(21), policy)).toBe(d(50));
  });
  it("two no-shows do not restrict", () => {
    expect(restrictionUntil([d(1), d(20)], d(21), policy)).toBeNull();
  });
  it("three no-shows spread over more than 60 days do not restrict", () => {
    expect(restrictionUntil([d(0), d(30), d(60)], d(61), policy)).toBeNull();
    expect(restrictionUntil([d(1), d(30), d(60)], d(61), policy)).toBe(d(90));
  });
  it("the restriction runs its full 30 days even after the first no-show leaves the window", () => {
    // Triggered on day 40, until day 70; on day 65 the day-1 no-show is 64 days old.
    expect(restrictionUntil([d(1), d(10), d(40)], d(65), policy)).toBe(d(70));
  });
  it("ends when its 30 days are over", () => {
    expect(restrictionUntil([d(1), d(10), d(20)], d(50), policy)).toBeNull();
    expect(restrictionUntil([d(1), d(10), d(20)], d(50) - 1, policy)).toBe(d(50));
  });
  it("a further no-show extends it", () => {
    expect(restrictionUntil([d(1), d(10), d(20), d(35)], d(36), policy)).toBe(d(65));
  });
  it("ignores order and no-shows recorded after now", () => {
    expect(restrictionUntil([d(20), d(1), d(10)], d(21), policy)).toBe(d(50));
    expect(restrictionUntil([d(1), d(10), d(30)], d(21), policy)).toBeNull();
  });
  it("uses the DESIGN defaults when no policy is given", () => {
    expect(restrictionUntil([d(1), d(2), d(3)], d(4))).toBe(d(33));
  });
});
