/**
 * Interval arithmetic on half-open intervals [start, end) of UTC epoch milliseconds.
 *
 * An interval with end <= start is empty: it overlaps nothing and contributes no time.
 * Functions that take lists accept them in any order and never mutate their arguments.
 */
import type { Instant, Interval } from "./types";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** True when the interval holds no time (end <= start). */
export function isEmpty(a: Interval): boolean {
  return a.end <= a.start;
}

/** True when a and b share at least one instant. Touching intervals ([1,2) and [2,3)) do not. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end && !isEmpty(a) && !isEmpty(b);
}

/** The common part of a and b, or null when they do not overlap. */
export function intersect(a: Interval, b: Interval): Interval | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : null;
}

/** The milliseconds a and b have in common (0 when they do not overlap). */
export function overlapMs(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/**
 * Milliseconds between two intervals: how far the later one starts after the earlier one ends.
 * 0 when they touch, negative when they overlap.
 */
export function gapMs(a: Interval, b: Interval): number {
  return Math.max(a.start - b.end, b.start - a.end);
}

/**
 * Sorted, non-empty, non-overlapping and non-touching intervals covering exactly the same
 * time as the input (overlapping and touching intervals are merged).
 */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((a) => !isEmpty(a)).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const a of sorted) {
    const last = out[out.length - 1];
    if (last && a.start <= last.end) {
      last.end = Math.max(last.end, a.end);
    } else {
      out.push({ start: a.start, end: a.end });
    }
  }
  return out;
}

/** The time covered by `from` but not by `minus`, normalized. */
export function subtract(from: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const cuts = normalize(minus);
  const out: Interval[] = [];
  for (const piece of normalize(from)) {
    let cursor = piece.start;
    for (const cut of cuts) {
      if (cut.end <= cursor) continue;
      if (cut.start >= piece.end) break;
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
      if (cursor >= piece.end) break;
    }
    if (cursor < piece.end) out.push({ start: cursor, end: piece.end });
  }
  return out;
}

/** The time covered by both lists, normalized. */
export function intersectLists(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = normalize(a);
  const right = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const common = intersect(left[i], right[j]);
    if (common) out.push(common);
    if (left[i].end < right[j].end) i++;
    else j++;
  }
  return out;
}

/** The parts of the intervals inside `range`, normalized. */
export function clip(list: readonly Interval[], range: Interval): Interval[] {
  return intersectLists(list, [range]);
}

/** Length of an interval in minutes (0 when empty). */
export function minutesOf(a: Interval): number {
  return Math.max(0, a.end - a.start) / MINUTE_MS;
}

/**
 * Sum of the lengths of the intervals, in minutes. Overlapping intervals are counted as many
 * times as they occur (an IKM holding two machines at once uses both); normalize first to get
 * the covered time instead.
 */
export function totalMinutes(list: readonly Interval[]): number {
  let total = 0;
  for (const a of list) total += minutesOf(a);
  return total;
}

/** Like totalMinutes, counting only the part of each interval inside `range`. */
export function minutesWithin(list: readonly Interval[], range: Interval): number {
  let ms = 0;
  for (const a of list) ms += overlapMs(a, range);
  return ms / MINUTE_MS;
}

/**
 * The largest number of intervals of `list` covering one same instant of `range` (a sweep over
 * start and end events; an interval ending exactly when another starts does not add to it).
 */
export function maxConcurrency(list: readonly Interval[], range: Interval): number {
  const events: [Instant, number][] = [];
  for (const a of list) {
    const common = intersect(a, range);
    if (!common) continue;
    events.push([common.start, 1], [common.end, -1]);
  }
  // Ends sort before starts at the same instant: half-open intervals that touch never coexist.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) {
    current += delta;
    if (current > max) max = current;
  }
  return max;
}
