/**
 * Report periods in facility time: a period is a range of local dates, both inclusive, turned
 * into the half-open instant range [from 00.00, day after `to` 00.00). Time buckets (ISO weeks,
 * calendar months) and the presets of the report page (this week, last month, …) are derived
 * here. Pure: the caller passes `now` and the facility zone.
 */
import { isoWeekday, localDateKey, zonedInstant } from "~/scheduling/calendar";
import { DAY_MS } from "~/scheduling/intervals";
import type { Instant, Interval } from "~/scheduling/types";

export type BucketKind = "none" | "week" | "month";

/** A period as the user gave it (local dates, both inclusive) and as instants. */
export interface Period extends Interval {
  from: string;
  to: string;
}

/** The longest period a report covers: two years (a leap day included). */
export const MAX_PERIOD_DAYS = 731;

/** Days since 1970-01-01 of a "YYYY-MM-DD" key (calendar arithmetic, no zone involved). */
export function dayNumber(dateKey: string): number {
  return Date.UTC(Number(dateKey.slice(0, 4)), Number(dateKey.slice(5, 7)) - 1, Number(dateKey.slice(8, 10))) / DAY_MS;
}

/** The "YYYY-MM-DD" key `days` days after `dateKey`. */
export function addDays(dateKey: string, days: number): string {
  return new Date((dayNumber(dateKey) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Number of local days in the inclusive range from–to (1 when from = to). */
export function periodDays(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** The period from–to (both inclusive, facility time) as instants. */
export function periodOf(from: string, to: string, timeZone: string): Period {
  return {
    from,
    to,
    start: zonedInstant(from, "00:00", timeZone),
    end: zonedInstant(addDays(to, 1), "00:00", timeZone),
  };
}

/** A bucket of a period: its own local dates (inclusive) and instants, cut at the period's edges. */
export interface Bucket extends Period {}

/**
 * The buckets of a period: the whole period ("none"), its ISO weeks (Monday–Sunday) or its
 * calendar months; the first and last are cut at the period's edges.
 */
export function bucketsOf(period: Period, kind: BucketKind, timeZone: string): Bucket[] {
  if (kind === "none") return [{ ...period }];
  const out: Bucket[] = [];
  let from = period.from;
  while (dayNumber(from) <= dayNumber(period.to)) {
    const next = kind === "week" ? nextMonday(from) : firstOfNextMonth(from);
    const to = dayNumber(next) - 1 < dayNumber(period.to) ? addDays(next, -1) : period.to;
    out.push(periodOf(from, to, timeZone));
    from = addDays(to, 1);
  }
  return out;
}

function nextMonday(dateKey: string): string {
  const weekday = ((((dayNumber(dateKey) + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  return addDays(dateKey, 8 - weekday);
}

function firstOfNextMonth(dateKey: string): string {
  const year = Number(dateKey.slice(0, 4));
  const month = Number(dateKey.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

/** The bucket a chart over time uses when the user chose none: weeks up to ~3 months, else months. */
export function autoBucket(period: Period): Exclude<BucketKind, "none"> {
  return periodDays(period.from, period.to) <= 92 ? "week" : "month";
}

export type PresetKey = "thisWeek" | "lastWeek" | "thisMonth" | "lastMonth" | "thisYear";
export const PRESET_KEYS: readonly PresetKey[] = ["thisWeek", "lastWeek", "thisMonth", "lastMonth", "thisYear"];

/** The presets of the report page, as whole calendar weeks, months and the year containing `now`. */
export function presets(now: Instant, timeZone: string): Record<PresetKey, { from: string; to: string }> {
  const today = localDateKey(now, timeZone);
  const monday = addDays(today, 1 - isoWeekday(now, timeZone));
  const firstOfMonth = `${today.slice(0, 8)}01`;
  const lastMonthEnd = addDays(firstOfMonth, -1);
  return {
    thisWeek: { from: monday, to: addDays(monday, 6) },
    lastWeek: { from: addDays(monday, -7), to: addDays(monday, -1) },
    thisMonth: { from: firstOfMonth, to: addDays(firstOfNextMonth(firstOfMonth), -1) },
    lastMonth: { from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd },
    thisYear: { from: `${today.slice(0, 4)}-01-01`, to: `${today.slice(0, 4)}-12-31` },
  };
}
