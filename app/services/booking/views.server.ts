/**
 * What the IKM booking pages show, shaped for the browser: the booking form's machines and time
 * options, booking details and lists with fees, and engine results turned into sentences in the
 * reader's language. Another IKM's name or booking id never appears here.
 */
import type { Db } from "#db/connection";
import type { Booking, Facility } from "#db/schema";
import type { Lang } from "~/i18n";
import { violationMessage } from "~/i18n/violations";
import { listMachines } from "~/models/machine.server";
import { effectiveRules, loadCalendar, loadFacility, tariffAt } from "~/models/scheduling.server";
import {
  type Alternative,
  DAY_MS,
  type FacilityCalendar,
  type IsoWeekday,
  type Violation,
  type WeeklyHours,
  breakIntervals,
  computeFee,
  intersectLists,
  localDateKey,
  normalize,
  parseLocalTime,
  inReadingOrder,
} from "~/scheduling";
import { type Principal, isStaff } from "~/utils/permissions";
import { defaultDate, localTime } from "./board.server";
import type { BookingCheck } from "./commands.server";
import type { AltView, CheckView, FormMachine } from "~/views/booking";

export const HOLDING = ["pending", "confirmed", "checked_in"];

export function altViews(alts: Alternative[], tz: string): AltView[] {
  return inReadingOrder(alts, tz).map((a) => ({
    machineId: a.machineId,
    machineCode: a.machineCode,
    machineName: a.machineName,
    start: a.start,
    end: a.end,
    date: localDateKey(a.start, tz),
    startTime: localTime(a.start, tz),
    endTime: localTime(a.end, tz),
    assisted: a.assisted,
  }));
}

export function sentences(violations: Violation[], lang: Lang, tz: string, requestStart: number): string[] {
  return violations.map((v) => violationMessage(v, lang, tz, requestStart));
}

export function checkView(check: BookingCheck, lang: Lang, tz: string, requestStart: number): CheckView {
  return {
    ok: check.ok,
    status: check.status,
    reasons: sentences(check.violations, lang, tz, requestStart),
    codes: check.violations.map((v) => v.code),
    notices: sentences(check.notices, lang, tz, requestStart),
    alternatives: altViews(check.alternatives, tz),
    feeEstimate: check.feeEstimate,
    freeUntil: check.freeUntil == null ? null : localTime(check.freeUntil, tz),
  };
}

// ---------------------------------------------------------------------------------------------
// The booking form

function minutePeriods(hours: WeeklyHours, weekday: IsoWeekday) {
  return hours[weekday].map((p) => ({ start: parseLocalTime(p.start), end: parseLocalTime(p.end) }));
}

export function weekdayPeriods(facilityHours: WeeklyHours, machineHours: WeeklyHours | null): Record<number, Array<[number, number]>> {
  const out: Record<number, Array<[number, number]>> = {};
  for (const d of [1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]) {
    const own = normalize(minutePeriods(facilityHours, d));
    const periods = machineHours ? intersectLists(own, minutePeriods(machineHours, d)) : own;
    out[d] = periods.map((p) => [p.start, p.end]);
  }
  return out;
}

export async function formMachines(db: Db, facility: Facility, calendar: FacilityCalendar, now: number): Promise<FormMachine[]> {
  const machines = (await listMachines(db)).filter((m) => m.status !== "retired");
  const rates = await Promise.all(machines.map((m) => tariffAt(db, m.id, now, facility)));
  return machines.map((m, i) => {
    const r = effectiveRules(m, facility, rates[i]);
    return {
      id: m.id,
      code: m.code,
      name: m.name,
      typeId: m.type_id,
      typeName: m.type_name,
      status: m.status,
      slotMinutes: r.slotMinutes,
      minMinutes: r.minMinutes,
      maxMinutes: r.maxMinutes,
      noticeMinutes: r.noticeMinutes,
      hourlyRate: r.hourlyRate,
      requiresApproval: r.requiresApproval,
      requiresQualification: r.requiresQualification,
      operatorMode: r.operatorMode,
      periods: weekdayPeriods(calendar.hours, m.hours_json ? (JSON.parse(m.hours_json) as WeeklyHours) : null),
    };
  });
}

export async function bookingFormBasics(db: Db, user: Principal, now: number) {
  const facility = await loadFacility(db);
  const calendar = await loadCalendar(db, facility);
  const tz = facility.time_zone;
  const today = localDateKey(now, tz);
  const [machines, closures, ikms] = await Promise.all([
    formMachines(db, facility, calendar, now),
    db
      .selectFrom("closure_days")
      .select(["date", "name"])
      .where("date", ">=", today)
      .where("date", "<=", localDateKey(now + 120 * DAY_MS, tz))
      .orderBy("date")
      .execute(),
    isStaff(user) ? db.selectFrom("ikms").select(["id", "name"]).where("active", "=", 1).orderBy("name").execute() : Promise.resolve([]),
  ]);
  return {
    tz,
    today,
    defaultDate: defaultDate(calendar, now),
    maxDate: localDateKey(now + facility.horizon_days * DAY_MS, tz),
    machines,
    closures: Object.fromEntries(closures.map((c) => [c.date, c.name])) as Record<string, string>,
    ikms,
    staff: isStaff(user),
  };
}

// ---------------------------------------------------------------------------------------------
// Bookings of the reader

/** The estimated fee of a booking at the tariff in force at its start (breaks not billed). */
export async function estimateFee(db: Db, machineId: number, start: number, end: number): Promise<number> {
  const facility = await loadFacility(db);
  const calendar = await loadCalendar(db, facility);
  const machine = await db.selectFrom("machines").selectAll().where("id", "=", machineId).executeTakeFirstOrThrow();
  const rules = effectiveRules(machine, facility, await tariffAt(db, machineId, start, facility));
  return computeFee({
    actualStart: start,
    actualEnd: end,
    billingIncrementMinutes: rules.billingIncrementMinutes,
    hourlyRate: rules.hourlyRate,
    breaks: breakIntervals({ start, end }, calendar),
  }).fee;
}

export interface MyBooking {
  id: number;
  start: number;
  end: number;
  status: string;
  machineId: number;
  machineCode: string;
  machineName: string;
  purpose: string;
  seriesId: number | null;
  fee: number | null;
  lateCancel: boolean;
  statusReason: string | null;
}

function myBooking(b: Booking & { machine_code: string; machine_name: string; fee?: number | null }): MyBooking {
  return {
    id: b.id,
    start: Number(b.start_at),
    end: Number(b.end_at),
    status: b.status,
    machineId: b.machine_id,
    machineCode: b.machine_code,
    machineName: b.machine_name,
    purpose: b.purpose,
    seriesId: b.series_id,
    fee: b.fee === undefined || b.fee === null ? null : Number(b.fee),
    lateCancel: b.late_cancel === 1,
    statusReason: b.status_reason,
  };
}

function ownBookings(db: Db, ikmId: number) {
  return db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .leftJoin("usage_records", "usage_records.booking_id", "bookings.id")
    .selectAll("bookings")
    .select(["machines.code as machine_code", "machines.name as machine_name", "usage_records.fee as fee"])
    .where("bookings.ikm_id", "=", ikmId);
}

/** Upcoming (slot-holding, not yet ended) and past bookings of the reader's IKM. */
export async function myBookings(db: Db, ikmId: number, now: number, pastLimit: number) {
  const [upcoming, past] = await Promise.all([
    ownBookings(db, ikmId).where("bookings.end_at", ">", now).where("bookings.status", "in", HOLDING).orderBy("bookings.start_at").orderBy("bookings.id").limit(100).execute(),
    ownBookings(db, ikmId)
      .where((eb) => eb.or([eb("bookings.end_at", "<=", now), eb("bookings.status", "not in", HOLDING)]))
      .orderBy("bookings.start_at", "desc")
      .orderBy("bookings.id", "desc")
      .limit(pastLimit + 1)
      .execute(),
  ]);
  return { upcoming: upcoming.map(myBooking), past: past.slice(0, pastLimit).map(myBooking), morePast: past.length > pastLimit };
}

export async function ikmNotice(db: Db, ikmId: number, now: number) {
  const ikm = await db.selectFrom("ikms").select(["restricted_until", "restriction_reason"]).where("id", "=", ikmId).executeTakeFirst();
  if (!ikm?.restricted_until || Number(ikm.restricted_until) <= now) return null;
  return { until: Number(ikm.restricted_until), reason: ikm.restriction_reason ?? "" };
}
