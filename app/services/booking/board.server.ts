/**
 * The machine board (/jadwal) and a machine's week calendar (/mesin/:id): per machine and per
 * facility-local day, the day's track (07.00–17.00 by default) cut into segments — free time
 * that can be booked (with a prefilled booking link), bookings (the reader's own, or simply
 * "booked"; staff also see the IKM), maintenance, breakdowns, closed time and breaks, and time
 * that is open but cannot be booked (past, inside the notice period, a booking's buffer).
 *
 * Free/busy comes from availability.server.ts; an IKM never receives another IKM's name or
 * booking id from here.
 */
import type { Db } from "#db/connection";
import type { Facility, Machine } from "#db/schema";
import { formatTime } from "~/i18n/format";
import { listMachines } from "~/models/machine.server";
import { effectiveRules, ikmQualified, loadCalendar, loadFacility, roundLocks } from "~/models/scheduling.server";
import { pesanHref } from "~/schemas/ikm-booking";
import {
  DAY_MS,
  type FacilityCalendar,
  HOUR_MS,
  type Interval,
  MINUTE_MS,
  type MachineRules,
  type WeeklyHours,
  clip,
  intersectLists,
  isoWeekRange,
  localDay,
  localDateKey,
  normalize,
  openIntervals,
  parseLocalTime,
  subtract,
  totalMinutes,
  zonedInstant,
} from "~/scheduling";
import { type Principal, can, isStaff } from "~/utils/permissions";
import { availability } from "./availability.server";
import type { Segment, TrackDay, TrackMachine, BoardGroup } from "~/views/board";
import { missingClosureYears } from "../admin/closure-years.server";

type MachineRow = Machine & { type_name: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** "HH:mm" of an instant on the facility clock. */
export function localTime(instant: number, timeZone: string): string {
  return formatTime(instant, "en", timeZone);
}

export function addDays(dateKey: string, days: number): string {
  const [y, m, d] = dateKey.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The hours the day track shows: 07.00–17.00, widened when the facility opens earlier or closes later. */
export function trackHours(hours: WeeklyHours): { from: number; to: number } {
  let from = 7;
  let to = 17;
  for (const periods of Object.values(hours)) {
    for (const p of periods) {
      from = Math.min(from, Math.floor(parseLocalTime(p.start) / 60));
      to = Math.max(to, Math.ceil(parseLocalTime(p.end) / 60));
    }
  }
  return { from, to: Math.min(24, to) };
}

function dayTrack(date: string, hours: { from: number; to: number }, tz: string): Interval {
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return { start: zonedInstant(date, hh(hours.from), tz), end: zonedInstant(date, hh(hours.to), tz) };
}

/** What a reader may book: from now (+ notice for an IKM) to the booking horizon. */
function bookableWindow(user: Principal, rules: MachineRules, now: number): Interval {
  if (isStaff(user)) return { start: now, end: Number.POSITIVE_INFINITY };
  return { start: now + rules.noticeMinutes * MINUTE_MS, end: now + rules.horizonDays * DAY_MS };
}

/**
 * Free stretches cut into tappable pieces at whole hours. Each piece links to the booking form
 * with a sensible request: at least an hour (or the machine's minimum), within the stretch.
 */
function freePieces(machineId: number, stretch: Interval, rules: MachineRules, tz: string): Segment[] {
  const want = Math.ceil(Math.max(60, rules.minMinutes) / rules.slotMinutes) * rules.slotMinutes * MINUTE_MS;
  const out: Segment[] = [];
  let cursor = stretch.start;
  while (cursor < stretch.end) {
    const midnight = localDay(cursor, tz).start;
    const nextHour = Math.min(stretch.end, midnight + (Math.floor((cursor - midnight) / HOUR_MS) + 1) * HOUR_MS);
    let start = cursor;
    let end = start + want;
    if (end > stretch.end) {
      end = stretch.end;
      start = Math.max(stretch.start, end - want);
    }
    out.push({ kind: "free", start: cursor, end: nextHour, href: pesanHref(machineId, localDateKey(start, tz), localTime(start, tz), localTime(end, tz)) });
    cursor = nextHour;
  }
  return out;
}

interface BookingOwner {
  ikm_id: number;
  status: string;
  ikm_name: string | null;
}

async function bookingOwners(db: Db, ids: number[], staff: boolean): Promise<Map<number, BookingOwner>> {
  const out = new Map<number, BookingOwner>();
  if (!ids.length) return out;
  const rows = staff
    ? await db
        .selectFrom("bookings")
        .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
        .select(["bookings.id", "bookings.ikm_id", "bookings.status", "ikms.name as ikm_name"])
        .where("bookings.id", "in", ids)
        .execute()
    : (await db.selectFrom("bookings").select(["id", "ikm_id", "status"]).where("id", "in", ids).execute()).map((r) => ({ ...r, ikm_name: null }));
  for (const r of rows) out.set(r.id, { ikm_id: r.ikm_id, status: r.status, ikm_name: r.ikm_name });
  return out;
}

async function maintenanceKinds(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom("maintenance_windows").select(["id", "kind"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.kind]));
}

async function openFaults(db: Db, machineIds: number[]): Promise<Map<number, { since: number; reason: string }>> {
  if (!machineIds.length) return new Map();
  const rows = await db
    .selectFrom("maintenance_windows")
    .select(["machine_id", "start_at", "reason"])
    .where("machine_id", "in", machineIds)
    .where("kind", "=", "breakdown")
    .where("end_at", "is", null)
    .orderBy("start_at")
    .execute();
  return new Map(rows.map((r) => [r.machine_id, { since: Number(r.start_at), reason: r.reason }]));
}

/** Tracks of the given machines over the given facility-local days. */
export async function machineTracks(db: Db, user: Principal, now: number, machines: MachineRow[], dates: string[]): Promise<TrackMachine[]> {
  const facility = await loadFacility(db);
  const calendar = await loadCalendar(db, facility);
  const tz = facility.time_zone;
  const hours = trackHours(calendar.hours);
  const tracks = dates.map((d) => ({ date: d, ...dayTrack(d, hours, tz) }));
  if (!tracks.length || !machines.length) return machines.map((m) => machineShell(m, null));
  const range = { start: tracks[0].start, end: tracks[tracks.length - 1].end };
  const staff = isStaff(user);
  const [avail, closures, faults, locks] = await Promise.all([
    availability(machines, range),
    db.selectFrom("closure_days").select(["date", "name"]).where("date", "in", dates).execute(),
    openFaults(
      db,
      machines.map((m) => m.id),
    ),
    roundLocks(db, machines, facility, now),
  ]);
  const closureName = new Map(closures.map((c) => [c.date, c.name]));
  const unqualified = new Set<number>();
  if (can(user, "booking:own") && user.ikmId !== null) {
    const types = [...new Set(machines.filter((m) => m.requires_qualification === 1).map((m) => m.type_id))];
    for (const typeId of types) if (!(await ikmQualified(db, user.ikmId, typeId, now))) unqualified.add(typeId);
  }
  const bookingIds = avail.flatMap((a) => a.busy.filter((b) => b.kind === "booking" && b.id !== undefined).map((b) => b.id as number));
  const maintenanceIds = avail.flatMap((a) => a.busy.filter((b) => b.kind === "maintenance" && b.id !== undefined).map((b) => b.id as number));
  const [owners, kinds] = await Promise.all([bookingOwners(db, [...new Set(bookingIds)], staff), maintenanceKinds(db, [...new Set(maintenanceIds)])]);
  return machines.map((m) => {
    const a = avail.find((x) => x.machineId === m.id);
    const rules = effectiveRules(m, facility, 0);
    const window = bookableWindow(user, rules, now);
    const machineHours = m.hours_json ? (JSON.parse(m.hours_json) as WeeklyHours) : null;
    const days = tracks.map((track): TrackDay => {
      const open = openIntervals(track, calendar, machineHours);
      const segments: Segment[] = [];
      for (const b of a?.busy ?? []) {
        const piece = clip([b], track)[0];
        if (!piece) continue;
        if (b.kind === "maintenance") {
          segments.push({ kind: kinds.get(b.id ?? -1) === "breakdown" ? "breakdown" : "maintenance", ...piece });
          continue;
        }
        const owner = owners.get(b.id ?? -1);
        const own = !!owner && user.ikmId !== null && owner.ikm_id === user.ikmId;
        if (staff && owner) segments.push({ kind: "booked", ...piece, bookingId: b.id, status: owner.status, ikmName: owner.ikm_name ?? undefined });
        else if (own) segments.push({ kind: "own", ...piece, bookingId: b.id, status: owner.status });
        else segments.push({ kind: "booked", ...piece });
      }
      const lock = locks.get(m.id) ?? Number.POSITIVE_INFINITY;
      const free = intersectLists(clip(a?.free ?? [], track), [window]);
      const bookable = clip(free, { start: Number.NEGATIVE_INFINITY, end: lock });
      for (const stretch of bookable) segments.push(...freePieces(m.id, stretch, rules, tz));
      for (const stretch of clip(free, { start: lock, end: Number.POSITIVE_INFINITY })) segments.push({ kind: "round", ...stretch, href: "/putaran" });
      const covered = normalize(segments);
      const gaps = subtract([track], covered);
      for (const g of intersectLists(gaps, open)) segments.push({ kind: "unavailable", ...g });
      for (const g of subtract(gaps, open)) segments.push({ kind: "closed", ...g });
      segments.sort((x, y) => x.start - y.start || x.end - y.end);
      return { date: track.date, start: track.start, end: track.end, closure: closureName.get(track.date) ?? null, segments, freeMinutes: totalMinutes(bookable), past: track.end <= now };
    });
    return { ...machineShell(m, faults.get(m.id) ?? null), needsQualification: m.requires_qualification === 1 && unqualified.has(m.type_id), days };
  });
}

function machineShell(m: MachineRow, fault: TrackMachine["fault"]): TrackMachine {
  return { id: m.id, code: m.code, name: m.name, status: m.status, typeId: m.type_id, typeName: m.type_name, fault, needsQualification: false, days: [] };
}

/** The first day from `now` on which the facility still has open time (today, or the next open day). */
export function defaultDate(calendar: FacilityCalendar, now: number): string {
  let day = localDay(now, calendar.timeZone);
  for (let i = 0; i < 60; i++) {
    const open = openIntervals({ start: Math.max(now, day.start), end: day.end }, calendar, null);
    if (open.length) return day.key;
    day = localDay(day.end, calendar.timeZone);
  }
  return localDateKey(now, calendar.timeZone);
}

/** The weekdays (ISO 1–7) on which the facility opens at all. */
function openWeekdays(calendar: FacilityCalendar): Set<number> {
  return new Set(
    Object.entries(calendar.hours)
      .filter(([, p]) => p.length > 0)
      .map(([d]) => Number(d)),
  );
}

export interface BoardQuery {
  date?: string;
  view?: "day" | "week";
  from?: string;
  to?: string;
}

export interface Board {
  view: "day" | "week";
  date: string;
  today: string;
  dates: string[];
  prev: string;
  next: string;
  trackHours: { from: number; to: number };
  groups: BoardGroup[];
  /** The "free between" filter, when given and valid. */
  filter: { from: string; to: string; start: number; end: number } | null;
  /** For the filter: machines (ids) with a free stretch covering it, with the booking link. */
  fits: Record<number, string>;
  /** How many machines the filter hid. */
  hidden: number;
  closure: string | null;
  /** Years among the shown dates whose closure days are missing (missingClosureYears): those days may turn out to be holidays. */
  holidaysUnset: string[];
}

/** The board: every machine (not retired) grouped by type, for one day or one ISO week. */
export async function loadBoard(db: Db, user: Principal, now: number, q: BoardQuery): Promise<Board> {
  const facility: Facility = await loadFacility(db);
  const calendar = await loadCalendar(db, facility);
  const tz = facility.time_zone;
  const today = localDateKey(now, tz);
  const date = q.date && DATE_RE.test(q.date) ? q.date : defaultDate(calendar, now);
  const view = q.view === "week" ? "week" : "day";
  let dates: string[];
  if (view === "week") {
    const monday = localDateKey(isoWeekRange(zonedInstant(date, "12:00", tz), tz).start, tz);
    const weekdays = openWeekdays(calendar);
    dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter((_, i) => weekdays.has(i + 1));
    if (!dates.length) dates = [monday];
  } else {
    dates = [date];
  }
  const machines = (await listMachines(db)).filter((m) => m.status !== "retired");
  const tracks = await machineTracks(db, user, now, machines, dates);
  let filter: Board["filter"] = null;
  const fits: Record<number, string> = {};
  let shown = tracks;
  if (view === "day" && q.from && q.to && q.to > q.from) {
    const start = zonedInstant(date, q.from, tz);
    const end = zonedInstant(date, q.to, tz);
    filter = { from: q.from, to: q.to, start, end };
    shown = tracks.filter((m) => {
      const free = normalize(m.days[0]?.segments.filter((s) => s.kind === "free") ?? []);
      const ok = free.some((f) => f.start <= start && f.end >= end);
      if (ok) fits[m.id] = pesanHref(m.id, date, q.from as string, q.to as string);
      return ok;
    });
  }
  const groups: BoardGroup[] = [];
  for (const m of shown) {
    let g = groups.find((x) => x.typeId === m.typeId);
    if (!g) {
      g = { typeId: m.typeId, typeName: m.typeName, machines: [] };
      groups.push(g);
    }
    g.machines.push(m);
  }
  const step = view === "week" ? 7 : 1;
  const closure = view === "day" ? (tracks[0]?.days[0]?.closure ?? null) : null;
  const missing = new Set(await missingClosureYears(db, now));
  const holidaysUnset = [...new Set(dates.map((d) => d.slice(0, 4)))].filter((y) => missing.has(y));
  return {
    view,
    date,
    today,
    dates,
    prev: addDays(date, -step),
    next: addDays(date, step),
    trackHours: trackHours(calendar.hours),
    groups,
    filter,
    fits,
    hidden: tracks.length - shown.length,
    closure,
    holidaysUnset,
  };
}

/** One machine's week (Monday–Sunday days on which the facility opens) as tracks. */
export async function loadMachineWeek(db: Db, user: Principal, now: number, machine: MachineRow, date: string | undefined) {
  const facility = await loadFacility(db);
  const calendar = await loadCalendar(db, facility);
  const tz = facility.time_zone;
  const anchor = date && DATE_RE.test(date) ? date : defaultDate(calendar, now);
  const monday = localDateKey(isoWeekRange(zonedInstant(anchor, "12:00", tz), tz).start, tz);
  const weekdays = openWeekdays(calendar);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter((_, i) => weekdays.has(i + 1));
  const [track] = await machineTracks(db, user, now, [machine], dates);
  return { monday, prev: addDays(monday, -7), next: addDays(monday, 7), today: localDateKey(now, tz), trackHours: trackHours(calendar.hours), track };
}
