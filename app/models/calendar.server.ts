/**
 * The facility calendar and opening hours as the engine takes them, built once per change:
 * parsed hours are frozen and shared, and the same calendar object comes back while the zone,
 * the hours and the closure days are unchanged (the engine's caches keyed by them keep hitting).
 */
import type { Facility } from "#db/schema";
import type { FacilityCalendar, WeeklyHours } from "~/scheduling";

/**
 * Opening hours parsed once per JSON text, and the same (frozen) object every time: no
 * JSON.parse per request, and the engine's caches keyed by the hours object keep hitting.
 */
const hoursByJson = new Map<string, WeeklyHours>();
export function parseHours(json: string): WeeklyHours {
  let hours = hoursByJson.get(json);
  if (!hours) {
    hours = JSON.parse(json) as WeeklyHours;
    for (const periods of Object.values(hours)) {
      for (const period of periods) Object.freeze(period);
      Object.freeze(periods);
    }
    Object.freeze(hours);
    if (hoursByJson.size >= 100) hoursByJson.clear();
    hoursByJson.set(json, hours);
  }
  return hours;
}

/**
 * The calendar last built. The closure days are read on every call (so a change is seen at
 * once, by every process); only when they, the zone and the hours are all unchanged is the
 * same calendar object returned instead of a new one.
 */
let lastCalendar: { timeZone: string; hoursJson: string; dates: string; calendar: FacilityCalendar } | null = null;

/** The facility's calendar with these closure days (the same object while nothing changed). */
export function calendarOf(facility: Facility, closureDates: string[]): FacilityCalendar {
  const dates = closureDates.join(",");
  const last = lastCalendar;
  if (last && last.dates === dates && last.hoursJson === facility.hours_json && last.timeZone === facility.time_zone) {
    return last.calendar;
  }
  const calendar: FacilityCalendar = Object.freeze({
    timeZone: facility.time_zone,
    hours: parseHours(facility.hours_json),
    closures: new Set(closureDates),
  });
  lastCalendar = { timeZone: facility.time_zone, hoursJson: facility.hours_json, dates, calendar };
  return calendar;
}

