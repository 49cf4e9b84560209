/**
 * Fair priority among IKMs competing for the same machine type (waitlist, approval queue):
 * the IKM that used the type least in the last 30 days first, then the earliest request.
 */
import type { Instant } from "./types";

export interface Competitor {
  /** Identifies the item (waitlist entry id, booking id, …); the last tie-breaker. */
  key: string | number;
  ikmId: number;
  requestedAt: Instant;
  /** Minutes the IKM used (booked) on the machine type in the last 30 days. */
  recentTypeMinutes: number;
}

export interface PriorityReason {
  /**
   * Which criterion placed the item: LEAST_RECENT_USE when no other competitor has the same recent
   * use (its minutes alone decide its place), EARLIER_REQUEST when some do and the request time
   * (or, for identical times, the key) orders it among them.
   */
  code: "LEAST_RECENT_USE" | "EARLIER_REQUEST";
  recentTypeMinutes: number;
  requestedAt: Instant;
}

export type Ranked<T extends Competitor> = T & { rank: number; reason: PriorityReason };

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

/** The items in priority order, each with its 1-based rank and the reason for it. */
export function rankCompetitors<T extends Competitor>(items: readonly T[]): Ranked<T>[] {
  const usage = new Map<number, number>();
  for (const item of items) usage.set(item.recentTypeMinutes, (usage.get(item.recentTypeMinutes) ?? 0) + 1);
  return [...items]
    .sort(
      (a, b) => a.recentTypeMinutes - b.recentTypeMinutes || a.requestedAt - b.requestedAt || compareKeys(a.key, b.key),
    )
    .map((item, index) => ({
      ...item,
      rank: index + 1,
      reason: {
        code: usage.get(item.recentTypeMinutes) === 1 ? "LEAST_RECENT_USE" : "EARLIER_REQUEST",
        recentTypeMinutes: item.recentTypeMinutes,
        requestedAt: item.requestedAt,
      },
    }));
}
