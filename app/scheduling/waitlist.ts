/**
 * Waitlist matching: which waiting entries could use a freed stretch of a machine, and which
 * slots inside it to try for each. The service decides each try with decide(); ranking among
 * entries is the fair priority of priority.ts (least recent use of the type, then first come).
 */
import { ceilToSlot } from "./calendar";
import { MINUTE_MS, intersect } from "./intervals";
import type { Instant, Interval } from "./types";

export interface WaitlistWish {
  /** A specific machine, or null for any machine of the type. */
  machineId: number | null;
  machineTypeId: number;
  earliestStart: Instant;
  latestEnd: Instant;
  durationMinutes: number;
}

/** The entry wants this machine (itself or its type) and its window meets the freed stretch. */
export function wishFits(wish: WaitlistWish, machine: { id: number; typeId: number }, freed: Interval): boolean {
  if (wish.machineId !== null ? wish.machineId !== machine.id : wish.machineTypeId !== machine.typeId) return false;
  const window = intersect({ start: wish.earliestStart, end: wish.latestEnd }, freed);
  return window !== null && window.end - window.start >= wish.durationMinutes * MINUTE_MS;
}

/**
 * Slots of the wished duration inside freed ∩ window, on the machine's slot grid, earliest
 * first, never starting before `notBefore` (now plus the notice, for example). The engine still
 * decides each; this only proposes where to look.
 */
export function candidateSlots(
  wish: WaitlistWish,
  freed: Interval,
  opts: { slotMinutes: number; timeZone: string; notBefore: Instant; limit?: number },
): Interval[] {
  const window = intersect({ start: Math.max(wish.earliestStart, opts.notBefore), end: wish.latestEnd }, freed);
  if (!window) return [];
  const duration = wish.durationMinutes * MINUTE_MS;
  const step = opts.slotMinutes * MINUTE_MS;
  const out: Interval[] = [];
  for (let start = ceilToSlot(window.start, opts.slotMinutes, opts.timeZone); start + duration <= window.end; start += step) {
    out.push({ start, end: start + duration });
    if (out.length >= (opts.limit ?? 48)) break;
  }
  return out;
}

/** When an offer lapses: after the offer time, but never later than the slot's start. */
export function offerExpiry(now: Instant, offerMinutes: number, slotStart: Instant): Instant {
  return Math.min(now + offerMinutes * MINUTE_MS, slotStart);
}
