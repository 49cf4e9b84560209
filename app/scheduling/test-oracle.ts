/**
 * Brute-force models for the engine's property tests: an oracle that shares no code with the
 * engine (no calendar.ts, no intervals.ts). Opening hours are evaluated step by step with plain
 * date arithmetic on a fixed UTC offset — right for the test facility's WIB, which has no daylight
 * saving. Test support only.
 */
import type { Interval, WeeklyHours } from "./types";

const MINUTE = 60_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the facility is open at instant t: a weekday range contains its local minute, and its local date is no closure day. */
export function openAt(t: number, hours: WeeklyHours, closures: ReadonlySet<string>, offsetMinutes = 7 * 60): boolean {
  const local = new Date(t + offsetMinutes * MINUTE);
  if (closures.has(local.toISOString().slice(0, 10))) return false;
  const weekday = ((local.getUTCDay() + 6) % 7) + 1; // Monday = 1
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return (hours[weekday as keyof WeeklyHours] ?? []).some((r) => minutesOf(r.start) <= minute && minute < minutesOf(r.end));
}

/** The open parts of [start, end), found by testing every step (all boundaries must lie on the step grid). */
export function openPieces(start: number, end: number, stepMs: number, isOpen: (t: number) => boolean): Interval[] {
  const out: Interval[] = [];
  for (let t = start; t < end; t += stepMs) {
    if (!isOpen(t)) continue;
    const last = out[out.length - 1];
    if (last && last.end === t) last.end = Math.min(t + stepMs, end);
    else out.push({ start: t, end: Math.min(t + stepMs, end) });
  }
  return out;
}

/** Whether [a.start, a.end) comes within `gapMs` of [b.start, b.end) (overlap when gapMs is 0). */
export function tooClose(a: Interval, b: Interval, gapMs: number): boolean {
  return a.start < b.end + gapMs && b.start < a.end + gapMs;
}
