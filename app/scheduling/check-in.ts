/**
 * When a booking may be checked in, and when a check-in is early enough to be asked about first.
 * Pure: the floor service and its pages apply these, and nothing else decides them.
 */
import { dayRange } from "./calendar";
import { MINUTE_MS } from "./intervals";
import type { Instant, Interval } from "./types";

/**
 * The instants a booking's check-in may record as its start: from the start of its day (facility
 * time; a machine may be started early that day) until its end. Not a day before: tomorrow's
 * booking is not started today.
 */
export function checkInWindow(b: { start_at: number; end_at: number }, timeZone: string): Interval {
  return { start: dayRange(Number(b.start_at), timeZone).start, end: Number(b.end_at) };
}

/**
 * Whether a check-in can be recorded now: the booking is confirmed and its day has come (after its
 * end, a start before the end may still be recorded: the machine was used, the check-in forgotten).
 */
export function checkInOpen(b: { status: string; start_at: number; end_at: number }, now: Instant, timeZone: string): boolean {
  return b.status === "confirmed" && now >= checkInWindow(b, timeZone).start;
}

/** A start this much earlier than the booked one is asked about before it is recorded. */
export const EARLY_CHECKIN_ASK_MINUTES = 30;

/**
 * How many minutes before the booked start a check-in at `at` would begin, when that is more than
 * EARLY_CHECKIN_ASK_MINUTES (a 13.00 booking started at 09.20: 220); otherwise 0.
 */
export function earlyStartMinutes(bookedStart: Instant, at: Instant): number {
  const early = Math.floor((bookedStart - at) / MINUTE_MS);
  return early > EARLY_CHECKIN_ASK_MINUTES ? early : 0;
}
