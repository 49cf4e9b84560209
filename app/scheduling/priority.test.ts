import { describe, expect, it } from "vitest";
import { rankCompetitors } from "./priority";

const day = 86_400_000;

describe("rankCompetitors", () => {
  it("puts the IKM with the least recent use of the machine type first, whatever the request order", () => {
    const ranked = rankCompetitors([
      { key: "a", ikmId: 1, requestedAt: 1 * day, recentTypeMinutes: 600 },
      { key: "b", ikmId: 2, requestedAt: 3 * day, recentTypeMinutes: 0 },
      { key: "c", ikmId: 3, requestedAt: 2 * day, recentTypeMinutes: 120 },
    ]);
    expect(ranked.map((r) => [r.key, r.rank, r.reason.code])).toEqual([
      ["b", 1, "LEAST_RECENT_USE"],
      ["c", 2, "LEAST_RECENT_USE"],
      ["a", 3, "LEAST_RECENT_USE"],
    ]);
  });
  it("between equal recent use, the earlier request goes first", () => {
    const ranked = rankCompetitors([
      { key: 10, ikmId: 1, requestedAt: 5 * day, recentTypeMinutes: 60 },
      { key: 11, ikmId: 2, requestedAt: 4 * day, recentTypeMinutes: 60 },
      { key: 12, ikmId: 3, requestedAt: 9 * day, recentTypeMinutes: 0 },
    ]);
    expect(ranked.map((r) => [r.key, r.reason.code])).toEqual([
      [12, "LEAST_RECENT_USE"],
      [11, "EARLIER_REQUEST"],
      [10, "EARLIER_REQUEST"],
    ]);
    expect(ranked[1].reason).toEqual({ code: "EARLIER_REQUEST", recentTypeMinutes: 60, requestedAt: 4 * day });
  });
  it("identical competitors are ordered by key, so the ranking is stable", () => {
    const same = { ikmId: 1, requestedAt: day, recentTypeMinutes: 0 };
    const ranked = rankCompetitors([
      { key: 3, ...same },
      { key: 1, ...same },
      { key: 2, ...same },
    ]);
    expect(ranked.map((r) => r.key)).toEqual([1, 2, 3]);
  });
  it("keeps the items' own fields and leaves the input untouched", () => {
    const items = [
      { key: "x", ikmId: 1, requestedAt: 2, recentTypeMinutes: 5, waitlistId: 77 },
      { key: "y", ikmId: 2, requestedAt: 1, recentTypeMinutes: 5, waitlistId: 78 },
    ];
    const ranked = rankCompetitors(items);
    expect(ranked[0]).toMatchObject({ key: "y", waitlistId: 78, rank: 1 });
    expect(items.map((i) => i.key)).toEqual(["x", "y"]);
  });
});
