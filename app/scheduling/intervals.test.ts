import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clip,
  gapMs,
  intersect,
  intersectLists,
  maxConcurrency,
  minutesWithin,
  normalize,
  overlaps,
  subtract,
  totalMinutes,
} from "./intervals";
import type { Interval } from "./types";

const iv = (start: number, end: number): Interval => ({ start, end });
const M = 60_000;

describe("overlaps", () => {
  it("an interval ending exactly when another starts does not overlap it", () => {
    expect(overlaps(iv(0, 10), iv(10, 20))).toBe(false);
    expect(overlaps(iv(10, 20), iv(0, 10))).toBe(false);
  });
  it("intervals sharing one millisecond overlap", () => {
    expect(overlaps(iv(0, 11), iv(10, 20))).toBe(true);
  });
  it("an interval inside another overlaps it", () => {
    expect(overlaps(iv(0, 100), iv(40, 60))).toBe(true);
  });
  it("an empty interval overlaps nothing, not even the interval around it", () => {
    expect(overlaps(iv(5, 5), iv(0, 10))).toBe(false);
    expect(overlaps(iv(0, 10), iv(7, 3))).toBe(false);
  });
});

describe("intersect", () => {
  it("gives the common part", () => {
    expect(intersect(iv(0, 10), iv(5, 20))).toEqual(iv(5, 10));
  });
  it("gives null for touching intervals", () => {
    expect(intersect(iv(0, 10), iv(10, 20))).toBeNull();
  });
});

describe("gapMs", () => {
  it("is 0 for touching intervals, positive apart, negative when overlapping", () => {
    expect(gapMs(iv(0, 10), iv(10, 20))).toBe(0);
    expect(gapMs(iv(30, 40), iv(0, 10))).toBe(20);
    expect(gapMs(iv(0, 10), iv(5, 20))).toBe(-5);
  });
});

describe("normalize", () => {
  it("sorts, merges overlapping and touching intervals and drops empty ones", () => {
    expect(normalize([iv(20, 30), iv(0, 10), iv(10, 15), iv(25, 40), iv(50, 50), iv(60, 55)])).toEqual([
      iv(0, 15),
      iv(20, 40),
    ]);
  });
  it("does not mutate its input", () => {
    const list = [iv(5, 10), iv(0, 6)];
    normalize(list);
    expect(list).toEqual([iv(5, 10), iv(0, 6)]);
  });
});

describe("subtract", () => {
  it("cuts a hole out of the middle", () => {
    expect(subtract([iv(0, 100)], [iv(40, 60)])).toEqual([iv(0, 40), iv(60, 100)]);
  });
  it("a cut touching the edge leaves the rest whole", () => {
    expect(subtract([iv(0, 100)], [iv(100, 120)])).toEqual([iv(0, 100)]);
    expect(subtract([iv(0, 100)], [iv(-20, 0)])).toEqual([iv(0, 100)]);
  });
  it("removes pieces that are fully covered and trims the partly covered ones", () => {
    expect(subtract([iv(0, 10), iv(20, 30), iv(40, 50)], [iv(5, 25), iv(35, 60)])).toEqual([iv(0, 5), iv(25, 30)]);
  });
  it("accepts unsorted and overlapping cuts, and an infinite one", () => {
    expect(subtract([iv(0, 100)], [iv(70, Number.POSITIVE_INFINITY), iv(10, 20), iv(15, 30)])).toEqual([
      iv(0, 10),
      iv(30, 70),
    ]);
  });
  it("covers exactly the time in the first list and not in the second (property)", () => {
    const list = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([s, l]) => iv(s, s + l)),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(list, list, (from, minus) => {
        const result = subtract(from, minus);
        for (let t = 0; t < 80; t++) {
          const inside = (l: Interval[]) => l.some((a) => a.start <= t && t < a.end);
          expect(inside(result)).toBe(inside(from) && !inside(minus));
        }
        expect(normalize(result)).toEqual(result);
      }),
    );
  });
});

describe("intersectLists and clip", () => {
  it("intersects two lists piece by piece", () => {
    expect(intersectLists([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(5, 10), iv(20, 25)]);
  });
  it("clips to a range", () => {
    expect(clip([iv(0, 10), iv(20, 30), iv(40, 50)], iv(8, 45))).toEqual([iv(8, 10), iv(20, 30), iv(40, 45)]);
  });
});

describe("minutes", () => {
  it("totalMinutes counts overlapping intervals once each", () => {
    expect(totalMinutes([iv(0, 30 * M), iv(0, 60 * M), iv(10, 5)])).toBe(90);
  });
  it("minutesWithin counts only the part inside the range", () => {
    expect(minutesWithin([iv(0, 60 * M), iv(90 * M, 150 * M)], iv(30 * M, 120 * M))).toBe(60);
  });
});

describe("maxConcurrency", () => {
  it("counts intervals that really coexist, not all that overlap the range", () => {
    // Three intervals overlap the range, but never more than two at once.
    expect(maxConcurrency([iv(0, 10), iv(5, 15), iv(12, 20)], iv(0, 20))).toBe(2);
  });
  it("an interval ending when another starts does not coexist with it", () => {
    expect(maxConcurrency([iv(0, 10), iv(10, 20)], iv(0, 20))).toBe(1);
  });
  it("ignores what lies outside the range", () => {
    expect(maxConcurrency([iv(0, 10), iv(0, 10), iv(10, 20)], iv(10, 20))).toBe(1);
  });
  it("is 0 for no intervals", () => {
    expect(maxConcurrency([], iv(0, 10))).toBe(0);
  });
});
