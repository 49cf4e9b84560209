/**
 * Restriction after repeated no-shows (DESIGN.md: by default 3 in 60 days restrict the IKM to
 * approval-only bookings for 30 days).
 */
import { DAY_MS } from "./intervals";
import type { Instant } from "./types";

export interface RestrictionPolicy {
  /** No-shows that trigger a restriction… */
  count: number;
  /** …when they fall within this many days (the window ends at the last of them)… */
  windowDays: number;
  /** …restrict the IKM for this many days from that last no-show. */
  restrictDays: number;
}

export const DEFAULT_RESTRICTION_POLICY: RestrictionPolicy = { count: 3, windowDays: 60, restrictDays: 30 };

/**
 * Until when the IKM is restricted, or null when it is not restricted at `now`.
 *
 * A no-show triggers a restriction when it and the `count − 1` no-shows before it fall within
 * `windowDays` ending at it; the restriction lasts `restrictDays` from that triggering no-show.
 * The result is the end of the latest restriction, if it is after `now`. So a restriction, once
 * triggered, runs its full length even after the older no-shows leave the window, and each
 * further no-show within the window extends it. No-shows after `now` are ignored.
 */
export function restrictionUntil(
  noShowInstants: readonly Instant[],
  now: Instant,
  policy: RestrictionPolicy = DEFAULT_RESTRICTION_POLICY,
): Instant | null {
  const past = noShowInstants.filter((t) => t <= now).sort((a, b) => a - b);
  const windowMs = policy.windowDays * DAY_MS;
  for (let i = past.length - 1; i >= policy.count - 1; i--) {
    const first = past[i - (policy.count - 1)];
    if (past[i] - first < windowMs) {
      const until = past[i] + policy.restrictDays * DAY_MS;
      return until > now ? until : null;
    }
  }
  return null;
}
