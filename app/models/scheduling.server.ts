/**
 * Queries that load what the scheduling engine needs, each bounded on both sides so the
 * (machine_id, start_at) and (ikm_id, start_at) indexes serve them.
 */
import type { DbOrTx } from "#db/connection";
import { MAX_HOLD_MS, SLOT_HOLDING_STATUSES } from "#db/schema";
import type { Facility, Machine } from "#db/schema";
import type {
  BusyBooking,
  FacilityCalendar,
  Interval,
  MachineInfo,
  MachineRules,
  MachineState,
  MachineStatus,
  MaintenanceWindow,
  OperatorMode,
  WeeklyHours,
} from "~/scheduling";

const HOLDING = SLOT_HOLDING_STATUSES as unknown as string[];

export function loadFacility(db: DbOrTx): Promise<Facility> {
  return db.selectFrom("facility").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}

export async function loadCalendar(db: DbOrTx, facility: Facility): Promise<FacilityCalendar> {
  const closures = await db.selectFrom("closure_days").select("date").execute();
  return {
    timeZone: facility.time_zone,
    hours: JSON.parse(facility.hours_json) as WeeklyHours,
    closures: new Set(closures.map((c) => c.date)),
  };
}

/** The tariff in force at an instant: the latest effective_from ≤ at, else the facility default. */
export async function tariffAt(db: DbOrTx, machineId: number, at: number, facility: Facility): Promise<number> {
  const row = await db
    .selectFrom("machine_tariffs")
    .select("hourly_rate")
    .where("machine_id", "=", machineId)
    .where("effective_from", "<=", at)
    .orderBy("effective_from", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.hourly_rate) : Number(facility.hourly_rate);
}

export function effectiveRules(m: Machine, f: Facility, hourlyRate: number): MachineRules {
  return {
    slotMinutes: m.slot_minutes ?? f.slot_minutes,
    minMinutes: m.min_minutes ?? f.min_minutes,
    maxMinutes: m.max_minutes ?? f.max_minutes,
    bufferMinutes: m.buffer_minutes ?? f.buffer_minutes,
    noticeMinutes: m.notice_minutes ?? f.notice_minutes,
    horizonDays: m.horizon_days ?? f.horizon_days,
    weeklyQuotaMinutes: m.weekly_quota_minutes ?? f.weekly_quota_minutes,
    maxActiveBookings: m.max_active_bookings ?? f.max_active_bookings,
    requiresApproval: m.requires_approval === 1,
    requiresQualification: m.requires_qualification === 1,
    operatorMode: m.operator_mode as OperatorMode,
    billingIncrementMinutes: m.billing_increment_minutes ?? f.billing_increment_minutes,
    hourlyRate,
  };
}

export function machineInfo(m: Machine, f: Facility, hourlyRate: number): MachineInfo {
  return {
    id: m.id,
    code: m.code,
    name: m.name,
    typeId: m.type_id,
    status: m.status as MachineStatus,
    rules: effectiveRules(m, f, hourlyRate),
    hours: m.hours_json ? (JSON.parse(m.hours_json) as WeeklyHours) : null,
  };
}

export function getMachine(db: DbOrTx, id: number) {
  return db.selectFrom("machines").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Slot-holding bookings of the machines overlapping the window (bounded on both sides). */
export async function loadBusyBookings(
  db: DbOrTx,
  machineIds: number[],
  window: Interval,
  excludeBookingId?: number,
): Promise<Map<number, BusyBooking[]>> {
  const out = new Map<number, BusyBooking[]>(machineIds.map((id) => [id, []]));
  if (!machineIds.length) return out;
  let q = db
    .selectFrom("bookings")
    .select(["id", "machine_id", "ikm_id", "start_at", "end_at", "assisted"])
    .where("machine_id", "in", machineIds)
    .where("start_at", "<", window.end)
    .where("start_at", ">", window.start - MAX_HOLD_MS)
    .where("hold_end_at", ">", window.start)
    .where("status", "in", HOLDING);
  if (excludeBookingId !== undefined) q = q.where("id", "!=", excludeBookingId);
  for (const b of await q.execute()) {
    out.get(b.machine_id)?.push({ id: b.id, ikmId: b.ikm_id, start: Number(b.start_at), end: Number(b.end_at), assisted: b.assisted === 1 });
  }
  return out;
}

export async function loadMaintenance(db: DbOrTx, machineIds: number[], window: Interval): Promise<Map<number, MaintenanceWindow[]>> {
  const out = new Map<number, MaintenanceWindow[]>(machineIds.map((id) => [id, []]));
  if (!machineIds.length) return out;
  const rows = await db
    .selectFrom("maintenance_windows")
    .select(["id", "machine_id", "start_at", "end_at", "kind"])
    .where("machine_id", "in", machineIds)
    .where("start_at", "<", window.end)
    .where((eb) => eb.or([eb("end_at", "is", null), eb("end_at", ">", window.start)]))
    .execute();
  for (const m of rows) {
    out.get(m.machine_id)?.push({
      id: m.id,
      start: Number(m.start_at),
      end: m.end_at === null ? null : Number(m.end_at),
      kind: m.kind as MaintenanceWindow["kind"],
    });
  }
  return out;
}

/** Machine states (rules, bookings, maintenance) for several machines over one window. */
export async function loadMachineStates(
  db: DbOrTx,
  machines: Machine[],
  facility: Facility,
  window: Interval,
  rateAt: number,
  excludeBookingId?: number,
): Promise<MachineState[]> {
  const ids = machines.map((m) => m.id);
  const [bookings, maintenance, rates] = await Promise.all([
    loadBusyBookings(db, ids, window, excludeBookingId),
    loadMaintenance(db, ids, window),
    Promise.all(machines.map((m) => tariffAt(db, m.id, rateAt, facility))),
  ]);
  return machines.map((m, i) => ({
    machine: machineInfo(m, facility, rates[i]),
    bookings: bookings.get(m.id) ?? [],
    maintenance: maintenance.get(m.id) ?? [],
  }));
}

/** The IKM's held and completed bookings on machines of a type over a window (for QUOTA_HOURS). */
export async function loadIkmTypeHoldings(db: DbOrTx, ikmId: number, typeId: number, window: Interval, excludeBookingId?: number): Promise<Interval[]> {
  let q = db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .select(["bookings.start_at", "bookings.end_at"])
    .where("bookings.ikm_id", "=", ikmId)
    .where("machines.type_id", "=", typeId)
    .where("bookings.start_at", "<", window.end)
    .where("bookings.start_at", ">", window.start - MAX_HOLD_MS)
    .where("bookings.status", "in", [...HOLDING, "completed"]);
  if (excludeBookingId !== undefined) q = q.where("bookings.id", "!=", excludeBookingId);
  return (await q.execute()).map((b) => ({ start: Number(b.start_at), end: Number(b.end_at) }));
}

export async function countActiveBookings(db: DbOrTx, ikmId: number, now: number, excludeBookingId?: number): Promise<number> {
  let q = db
    .selectFrom("bookings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("ikm_id", "=", ikmId)
    .where("start_at", ">", now)
    .where("status", "in", HOLDING);
  if (excludeBookingId !== undefined) q = q.where("id", "!=", excludeBookingId);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Some active member of the IKM holds a valid qualification for the type at the instant. */
export async function ikmQualified(db: DbOrTx, ikmId: number, typeId: number, at: number): Promise<boolean> {
  const row = await db
    .selectFrom("qualifications")
    .innerJoin("users", "users.id", "qualifications.user_id")
    .select("qualifications.id")
    .where("users.ikm_id", "=", ikmId)
    .where("users.active", "=", 1)
    .where("qualifications.machine_type_id", "=", typeId)
    .where("qualifications.valid_until", ">", at)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** Assisted slot-holding bookings on any machine overlapping the window. */
export async function loadAssistedBookings(db: DbOrTx, window: Interval, excludeBookingId?: number): Promise<Interval[]> {
  let q = db
    .selectFrom("bookings")
    .select(["start_at", "end_at"])
    .where("assisted", "=", 1)
    .where("start_at", "<", window.end)
    .where("start_at", ">", window.start - MAX_HOLD_MS)
    .where("end_at", ">", window.start)
    .where("status", "in", HOLDING);
  if (excludeBookingId !== undefined) q = q.where("id", "!=", excludeBookingId);
  return (await q.execute()).map((b) => ({ start: Number(b.start_at), end: Number(b.end_at) }));
}
