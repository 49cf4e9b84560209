/**
 * Facility-time calendar: local days, ISO weeks, the slot grid and opening hours.
 *
 * Every function takes the facility time zone explicitly and never reads the process zone.
 * Zone data comes from `tzOffset` of @date-fns/tz (the same source TZDate uses); the engine
 * converts with plain arithmetic on "local milliseconds" (the wall-clock time written as if it
 * were UTC) instead of allocating a TZDate per step, because decide() and the alternative search
 * convert thousands of instants per second. The tests check these conversions against TZDate
 * and date-fns.
 *
 * Around daylight-saving changes (which WIB does not have) a local time that does not exist
 * resolves to an instant next to the gap, and one that occurs twice to one of its two instants.
 */
import { tzOffset } from "@date-fns/tz";
import { DAY_MS, HOUR_MS, MINUTE_MS, clip, normalize, subtract } from "./intervals";
import type { FacilityCalendar, Instant, Interval, LocalTime, OpenPeriod, WeeklyHours } from "./types";

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One calendar day in the facility zone. */
export interface LocalDay {
  /** "YYYY-MM-DD" */
  readonly key: string;
  readonly weekday: IsoWeekday;
  /** Local midnight starting the day. */
  readonly start: Instant;
  /** Local midnight starting the next day. */
  readonly end: Instant;
}

/** An open period as minutes since local midnight, [start, end). */
interface MinutePeriod {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Offsets and local milliseconds

const CACHE_LIMIT = 100_000;
/** Per zone: hour index → UTC offset in minutes valid for that whole hour, or NaN when the
 * offset changes inside the hour (then it is looked up for the exact instant). */
const offsetCache = new Map<string, Map<number, number>>();

/**
 * UTC offset of `timeZone` at `instant`, in minutes (420 for WIB). Memoized per UTC hour: an
 * hour whose start and end have the same offset has it throughout, since no zone changes its
 * offset twice within one hour.
 */
export function offsetMinutes(instant: Instant, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const hour = Math.floor(instant / HOUR_MS);
  let cached = zone.get(hour);
  if (cached === undefined) {
    const atStart = zoneOffset(timeZone, hour * HOUR_MS);
    cached = atStart === zoneOffset(timeZone, (hour + 1) * HOUR_MS - 1) ? atStart : Number.NaN;
    if (zone.size >= CACHE_LIMIT) zone.clear();
    zone.set(hour, cached);
  }
  return Number.isNaN(cached) ? zoneOffset(timeZone, instant) : cached;
}

function zoneOffset(timeZone: string, instant: Instant): number {
  const offset = tzOffset(timeZone, new Date(instant));
  if (Number.isNaN(offset)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return offset;
}

/** The facility wall-clock time of an instant, as milliseconds of a UTC-like timeline. */
function toLocalMs(instant: Instant, timeZone: string): number {
  return instant + offsetMinutes(instant, timeZone) * MINUTE_MS;
}

/** The instant at which the facility clock shows `localMs` (see the module note on gaps). */
function fromLocalMs(localMs: number, timeZone: string): Instant {
  const guess = localMs - offsetMinutes(localMs, timeZone) * MINUTE_MS;
  return localMs - offsetMinutes(guess, timeZone) * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// Days and weeks

/** Days since 1970-01-01 → ISO weekday (1970-01-01 was a Thursday). */
function weekdayOfDayNumber(dayNumber: number): IsoWeekday {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

function keyOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Per zone: day number → its LocalDay (shared, never mutated). */
const dayCache = new Map<string, Map<number, LocalDay>>();

function dayOfNumber(dayNumber: number, timeZone: string): LocalDay {
  let zone = dayCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    dayCache.set(timeZone, zone);
  }
  let day = zone.get(dayNumber);
  if (!day) {
    day = Object.freeze({
      key: keyOfDayNumber(dayNumber),
      weekday: weekdayOfDayNumber(dayNumber),
      start: fromLocalMs(dayNumber * DAY_MS, timeZone),
      end: fromLocalMs((dayNumber + 1) * DAY_MS, timeZone),
    });
    if (zone.size >= CACHE_LIMIT) zone.clear();
    zone.set(dayNumber, day);
  }
  return day;
}

function dayNumberOf(instant: Instant, timeZone: string): number {
  return Math.floor(toLocalMs(instant, timeZone) / DAY_MS);
}

/** The facility-local day containing `instant` (a shared, frozen object). */
export function localDay(instant: Instant, timeZone: string): LocalDay {
  return dayOfNumber(dayNumberOf(instant, timeZone), timeZone);
}

/** The facility-local days that share time with `range`, in order (none when it is empty). */
export function daysTouching(range: Interval, timeZone: string): LocalDay[] {
  const days: LocalDay[] = [];
  if (range.end <= range.start) return days;
  const last = dayNumberOf(range.end - 1, timeZone);
  for (let n = dayNumberOf(range.start, timeZone); n <= last; n++) days.push(dayOfNumber(n, timeZone));
  return days;
}

/** "YYYY-MM-DD" of the facility-local day containing `instant`. */
export function localDateKey(instant: Instant, timeZone: string): string {
  return localDay(instant, timeZone).key;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of `instant` in the facility zone. */
export function isoWeekday(instant: Instant, timeZone: string): IsoWeekday {
  return weekdayOfDayNumber(dayNumberOf(instant, timeZone));
}

/** The facility-local day containing `instant`, from its midnight to the next. */
export function dayRange(instant: Instant, timeZone: string): Interval {
  const { start, end } = localDay(instant, timeZone);
  return { start, end };
}

/** The ISO week containing `instant`: Monday 00:00 to the next Monday 00:00, facility time. */
export function isoWeekRange(instant: Instant, timeZone: string): Interval {
  const dayNumber = dayNumberOf(instant, timeZone);
  const monday = dayNumber - (weekdayOfDayNumber(dayNumber) - 1);
  return {
    start: fromLocalMs(monday * DAY_MS, timeZone),
    end: fromLocalMs((monday + 7) * DAY_MS, timeZone),
  };
}

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

/** Minutes since midnight of an "HH:mm" time; "24:00" is 1440. Throws on anything else. */
export function parseLocalTime(time: LocalTime): number {
  const match = TIME.exec(time);
  const hours = match ? Number(match[1]) : Number.NaN;
  const minutes = match ? Number(match[2]) : Number.NaN;
  if (!(hours <= 23 && minutes <= 59) && !(hours === 24 && minutes === 0)) {
    throw new RangeError(`Invalid local time: ${time}`);
  }
  return hours * 60 + minutes;
}

/** The instant at which the facility clock shows `time` ("HH:mm", "24:00" allowed) on `dateKey`. */
export function zonedInstant(dateKey: string, time: LocalTime, timeZone: string): Instant {
  const match = DATE_KEY.exec(dateKey);
  const dayMs = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(dayMs) || keyOfDayNumber(dayMs / DAY_MS) !== dateKey) {
    throw new RangeError(`Invalid date: ${dateKey}`);
  }
  return fromLocalMs(dayMs + parseLocalTime(time) * MINUTE_MS, timeZone);
}

// ---------------------------------------------------------------------------------------------
// Slot grid

/** Milliseconds since local midnight of `instant`, and that midnight in local milliseconds. */
function splitLocal(instant: Instant, timeZone: string): { midnight: number; sinceMidnight: number } {
  const local = toLocalMs(instant, timeZone);
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  return { midnight, sinceMidnight: local - midnight };
}

/** True when `instant` is on the slot grid: a whole multiple of the slot since local midnight. */
export function isOnSlotGrid(instant: Instant, slotMinutes: number, timeZone: string): boolean {
  return splitLocal(instant, timeZone).sinceMidnight % (slotMinutes * MINUTE_MS) === 0;
}

/** The first grid point at or after `instant` (local midnight counts as a grid point). */
export function ceilToSlot(instant: Instant, slotMinutes: number, timeZone: string): Instant {
  const slotMs = slotMinutes * MINUTE_MS;
  const { midnight, sinceMidnight } = splitLocal(instant, timeZone);
  const offset = Math.min(Math.ceil(sinceMidnight / slotMs) * slotMs, DAY_MS);
  return fromLocalMs(midnight + offset, timeZone);
}

/** The last grid point at or before `instant`. */
export function floorToSlot(instant: Instant, slotMinutes: number, timeZone: string): Instant {
  const slotMs = slotMinutes * MINUTE_MS;
  const { midnight, sinceMidnight } = splitLocal(instant, timeZone);
  return fromLocalMs(midnight + Math.floor(sinceMidnight / slotMs) * slotMs, timeZone);
}

// ---------------------------------------------------------------------------------------------
// Opening hours

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
const NO_MACHINE_HOURS: WeeklyHours = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
/** facility hours → machine hours (or NO_MACHINE_HOURS) → open minute periods per weekday. */
const periodCache = new WeakMap<WeeklyHours, WeakMap<WeeklyHours, MinutePeriod[][]>>();

function toMinutePeriods(periods: readonly OpenPeriod[]): MinutePeriod[] {
  return normalize(periods.map((p) => ({ start: parseLocalTime(p.start), end: parseLocalTime(p.end) })));
}

/**
 * The open periods of a weekday in minutes since midnight: the facility's, intersected with the
 * machine's when it has its own hours. Parsed once per pair of hour objects.
 */
function openMinutes(facility: WeeklyHours, machine: WeeklyHours | null, weekday: IsoWeekday): MinutePeriod[] {
  const machineKey = machine ?? NO_MACHINE_HOURS;
  let byMachine = periodCache.get(facility);
  if (!byMachine) {
    byMachine = new WeakMap();
    periodCache.set(facility, byMachine);
  }
  let perWeekday = byMachine.get(machineKey);
  if (!perWeekday) {
    perWeekday = [[]];
    for (const d of WEEKDAYS) {
      const own = toMinutePeriods(facility[d]);
      perWeekday[d] = machine ? clipAll(own, toMinutePeriods(machine[d])) : own;
    }
    byMachine.set(machineKey, perWeekday);
  }
  return perWeekday[weekday];
}

function clipAll(a: MinutePeriod[], b: MinutePeriod[]): MinutePeriod[] {
  return b.flatMap((range) => clip(a, range));
}

/**
 * Appends the minute periods of `day`, as instants cut to `range`, to a sorted list, merging a
 * period that touches the previous one (across midnight).
 */
function appendPeriods(
  out: Interval[],
  day: LocalDay,
  periods: readonly MinutePeriod[],
  range: Interval,
  timeZone: string,
) {
  const midnight = Math.floor(toLocalMs(day.start, timeZone) / DAY_MS) * DAY_MS;
  for (const p of periods) {
    const start = Math.max(range.start, fromLocalMs(midnight + p.start * MINUTE_MS, timeZone));
    const end = Math.min(range.end, fromLocalMs(midnight + p.end * MINUTE_MS, timeZone));
    if (start >= end) continue;
    const last = out[out.length - 1];
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else out.push({ start, end });
  }
}

/**
 * The open time within `range`: each day's facility hours (intersected with the machine's own
 * hours when given), without closure days, so breaks and nights are not included. Normalized:
 * periods that touch across midnight are merged.
 */
export function openIntervals(
  range: Interval,
  calendar: FacilityCalendar,
  machineHours: WeeklyHours | null,
): Interval[] {
  const open: Interval[] = [];
  for (const day of daysTouching(range, calendar.timeZone)) {
    if (calendar.closures.has(day.key)) continue;
    appendPeriods(open, day, openMinutes(calendar.hours, machineHours, day.weekday), range, calendar.timeZone);
  }
  return open;
}

/**
 * The facility's breaks within `range`: on each open (non-closure) day, the gaps between its
 * opening periods (e.g. 12.00–13.00 Monday to Thursday). Used to take breaks out of billed time.
 */
export function breakIntervals(range: Interval, calendar: FacilityCalendar): Interval[] {
  const breaks: Interval[] = [];
  for (const day of daysTouching(range, calendar.timeZone)) {
    if (calendar.closures.has(day.key)) continue;
    const periods = openMinutes(calendar.hours, null, day.weekday);
    if (periods.length < 2) continue;
    const span = { start: periods[0].start, end: periods[periods.length - 1].end };
    appendPeriods(breaks, day, subtract([span], periods), range, calendar.timeZone);
  }
  return breaks;
}

/**
 * The open periods of the facility-local day containing `instant`, written the Indonesian way
 * ("07.30–12.00, 13.00–16.00"); "" when the weekday has none. For messages.
 */
export function openPeriodsLabel(
  instant: Instant,
  calendar: FacilityCalendar,
  machineHours: WeeklyHours | null,
): string {
  const weekday = isoWeekday(instant, calendar.timeZone);
  return openMinutes(calendar.hours, machineHours, weekday)
    .map((p) => `${formatMinutes(p.start)}–${formatMinutes(p.end)}`)
    .join(", ");
}

function formatMinutes(minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${hh}.${mm}`;
}
