/**
 * Queries that load what the scheduling engine needs, each bounded on both sides so the
 * (machine_id, start_at) and (ikm_id, start_at) indexes serve them.
 */
import type SqliteDatabase from "better-sqlite3";
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
} from "~/scheduling";
import { isoWeekRange } from "~/scheduling";
import { calendarOf, parseHours } from "./calendar.server";
import { type Param, defineQuery } from "./query.server";
import { type Reference, referenceData, sameTypeIn } from "./reference.server";

const HOLDING = SLOT_HOLDING_STATUSES as unknown as string[];

/** The facility's row, or undefined before the first start has written it. */
export function findFacility(db: DbOrTx): Promise<Facility | undefined> {
  return db.selectFrom("facility").selectAll().where("id", "=", 1).executeTakeFirst();
}

/** The facility's row: settings, opening hours and the default of every rule. */
export async function loadFacility(db: DbOrTx): Promise<Facility> {
  const facility = await findFacility(db);
  if (!facility) throw new Error("The facility row is missing: run the migrations (npm run db:migrate)");
  return facility;
}

export async function loadCalendar(db: DbOrTx, facility: Facility): Promise<FacilityCalendar> {
  const closures = await db.selectFrom("closure_days").select("date").orderBy("date").execute();
  return calendarOf(facility, closures.map((c) => c.date));
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
    hours: m.hours_json ? parseHours(m.hours_json) : null,
  };
}

export function getMachine(db: DbOrTx, id: number) {
  return db.selectFrom("machines").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The other active machines of a machine's type: where the same time may be free instead. */
export async function sameTypeMachines(db: DbOrTx, machine: Pick<Machine, "id" | "type_id">): Promise<Machine[]> {
  return sameTypeIn(await referenceData(db), machine);
}

/** The tariff in force at `at` from the held reference data (as tariffAt). */
export function tariffIn(ref: Reference, machineId: number, at: number): number {
  for (const t of ref.tariffs.get(machineId) ?? []) if (t.effectiveFrom <= at) return t.hourlyRate;
  return Number(ref.facility.hourly_rate);
}

/** A machine's maintenance windows overlapping the window, from the held reference data (as loadMaintenance). */
export function maintenanceIn(ref: Reference, machineId: number, window: Interval): MaintenanceWindow[] {
  const out: MaintenanceWindow[] = [];
  for (const m of ref.maintenance.get(machineId) ?? []) {
    if (m.start >= window.end) break;
    if (m.end === null || m.end > window.start) out.push({ id: m.id, start: m.start, end: m.end, kind: m.kind });
  }
  return out;
}

/** Slot-holding bookings of one machine overlapping [from, to) (bounded on both sides), as loadBusyBookings. */
const machineBookingsQuery = defineQuery((db, p: Param<{ machineId: number; from: number; holdFrom: number; to: number; exclude: number }>) =>
  db
    .selectFrom("bookings")
    .select(["id", "machine_id", "ikm_id", "start_at", "end_at", "assisted"])
    .where("machine_id", "=", p("machineId"))
    .where("start_at", "<", p("to"))
    .where("start_at", ">", p("holdFrom"))
    .where("hold_end_at", ">", p("from"))
    .where("status", "in", HOLDING)
    .where("id", "!=", p("exclude")),
);

function busyBookingOf(b: { id: number; ikm_id: number; start_at: number; end_at: number; assisted: number }): BusyBooking {
  return { id: b.id, ikmId: b.ikm_id, start: Number(b.start_at), end: Number(b.end_at), assisted: b.assisted === 1 };
}

/** Allocated weekly rounds of one machine from a week on (for its round lock). */
const allocatedRoundsQuery = defineQuery((db, p: Param<{ machineId: number; from: number }>) =>
  db
    .selectFrom("allocation_rounds")
    .select(["machine_id", "week_start"])
    .where("machine_id", "=", p("machineId"))
    .where("status", "=", "allocated")
    .where("week_start", ">=", p("from")),
);

/** The first week from `nextWeek` on whose round is not allocated yet (see roundLocks). */
function roundLockFrom(nextWeek: number, allocatedWeeks: Set<number>, timeZone: string): number {
  let from = nextWeek;
  while (allocatedWeeks.has(from)) from = isoWeekRange(from, timeZone).end;
  return from;
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
  for (const b of await q.execute()) out.get(b.machine_id)?.push(busyBookingOf(b));
  return out;
}

/**
 * The allocation-round lock of each weekly_round machine at `now`: the start (facility-local
 * Monday 00.00) of the earliest ISO week after the current one whose round is not allocated.
 * The current week is first come, first served; next week opens once its round is allocated.
 */
export async function roundLocks(db: DbOrTx, machines: Machine[], facility: Facility, now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const ids = machines.filter((m) => m.allocation_mode === "weekly_round").map((m) => m.id);
  if (!ids.length) return out;
  const tz = facility.time_zone;
  const nextWeek = isoWeekRange(now, tz).end;
  const allocated = await db
    .selectFrom("allocation_rounds")
    .select(["machine_id", "week_start"])
    .where("machine_id", "in", ids)
    .where("status", "=", "allocated")
    .where("week_start", ">=", nextWeek)
    .execute();
  for (const id of ids) {
    const weeks = new Set(allocated.filter((r) => r.machine_id === id).map((r) => Number(r.week_start)));
    out.set(id, roundLockFrom(nextWeek, weeks, tz));
  }
  return out;
}

/**
 * Machine states (rules, bookings, maintenance) for several machines over one window. With
 * `now`, weekly_round machines also get their allocation-round lock (roundLockedFrom). Tariffs
 * and maintenance come from the reference data (`ref`, or read now).
 */
export async function loadMachineStates(
  db: DbOrTx,
  machines: Machine[],
  facility: Facility,
  window: Interval,
  rateAt: number,
  excludeBookingId?: number,
  now?: number,
  ref?: Reference,
): Promise<MachineState[]> {
  const ids = machines.map((m) => m.id);
  const [reference, bookings, locks] = await Promise.all([
    ref ?? referenceData(db),
    loadBusyBookings(db, ids, window, excludeBookingId),
    now === undefined ? new Map<number, number>() : roundLocks(db, machines, facility, now),
  ]);
  return machines.map((m) => ({
    machine: machineInfo(m, facility, tariffIn(reference, m.id, rateAt)),
    bookings: bookings.get(m.id) ?? [],
    maintenance: maintenanceIn(reference, m.id, window),
    ...(locks.has(m.id) ? { roundLockedFrom: locks.get(m.id) } : {}),
  }));
}

/** No booking has this id: "exclude none" in the queries that leave one booking out (a move). */
export const NO_BOOKING = -1;

/**
 * loadMachineStates for one machine on SQLite, synchronously, with the held reference data: the
 * same bookings, maintenance, tariff and round lock (the decision's hot path).
 */
export function machineStateSync(sqlite: SqliteDatabase.Database, machine: Machine, ref: Reference, window: Interval, rateAt: number, now: number): MachineState {
  const facility = ref.facility;
  const bookings = machineBookingsQuery
    .all(sqlite, { machineId: machine.id, from: window.start, holdFrom: window.start - MAX_HOLD_MS, to: window.end, exclude: NO_BOOKING })
    .map(busyBookingOf);
  let lock: number | undefined;
  if (machine.allocation_mode === "weekly_round") {
    const nextWeek = isoWeekRange(now, facility.time_zone).end;
    const weeks = new Set(allocatedRoundsQuery.all(sqlite, { machineId: machine.id, from: nextWeek }).map((r) => Number(r.week_start)));
    lock = roundLockFrom(nextWeek, weeks, facility.time_zone);
  }
  return {
    machine: machineInfo(machine, facility, tariffIn(ref, machine.id, rateAt)),
    bookings,
    maintenance: maintenanceIn(ref, machine.id, window),
    ...(lock !== undefined ? { roundLockedFrom: lock } : {}),
  };
}

/** The IKM's held and completed bookings on machines of a type whose start is in [from − 48 h, to). */
export const ikmTypeHoldingsQuery = defineQuery((db, p: Param<{ ikmId: number; typeId: number; from: number; to: number; exclude: number }>) =>
  db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .select(["bookings.start_at", "bookings.end_at"])
    .where("bookings.ikm_id", "=", p("ikmId"))
    .where("machines.type_id", "=", p("typeId"))
    .where("bookings.start_at", "<", p("to"))
    .where("bookings.start_at", ">", p("from"))
    .where("bookings.status", "in", [...HOLDING, "completed"])
    .where("bookings.id", "!=", p("exclude")),
);

export const intervalsOf = (rows: { start_at: number; end_at: number }[]): Interval[] => rows.map((b) => ({ start: Number(b.start_at), end: Number(b.end_at) }));

/** The IKM's held and completed bookings on machines of a type over a window (for QUOTA_HOURS). */
export async function loadIkmTypeHoldings(db: DbOrTx, ikmId: number, typeId: number, window: Interval, excludeBookingId?: number): Promise<Interval[]> {
  return intervalsOf(await ikmTypeHoldingsQuery.execute(db, ikmTypeHoldingsArgs(ikmId, typeId, window, excludeBookingId)));
}

export function ikmTypeHoldingsArgs(ikmId: number, typeId: number, window: Interval, excludeBookingId?: number) {
  return { ikmId, typeId, from: window.start - MAX_HOLD_MS, to: window.end, exclude: excludeBookingId ?? NO_BOOKING };
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

/** What a decision needs to know of the requesting IKM beyond its hours (see IkmState). */
export interface IkmFacts {
  activeBookings: number;
  qualified: boolean;
  restrictedUntil: number | null;
}

/**
 * countActiveBookings, ikmQualified and the IKM's restriction in one query (one round trip
 * instead of three); no row when there is no such IKM.
 */
export const ikmFactsQuery = defineQuery((db, p: Param<{ ikmId: number; typeId: number; at: number; now: number; exclude: number }>) =>
  db
    .selectFrom("ikms")
    .select((eb) => [
      "ikms.restricted_until",
      eb
        .selectFrom("bookings")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("ikm_id", "=", p("ikmId"))
        .where("start_at", ">", p("now"))
        .where("status", "in", HOLDING)
        .where("id", "!=", p("exclude"))
        .as("active_bookings"),
      eb
        .exists(
          eb
            .selectFrom("qualifications")
            .innerJoin("users", "users.id", "qualifications.user_id")
            .select("qualifications.id")
            .where("users.ikm_id", "=", p("ikmId"))
            .where("users.active", "=", 1)
            .where("qualifications.machine_type_id", "=", p("typeId"))
            .where("qualifications.valid_until", ">", p("at")),
        )
        .as("qualified"),
    ])
    .where("ikms.id", "=", p("ikmId")),
);

export function ikmFactsOf(row: { restricted_until: number | null; active_bookings: number | null; qualified: unknown } | undefined): IkmFacts | undefined {
  if (!row) return undefined;
  return {
    activeBookings: Number(row.active_bookings ?? 0),
    qualified: !!row.qualified,
    restrictedUntil: row.restricted_until === null ? null : Number(row.restricted_until),
  };
}

export async function loadIkmFacts(
  db: DbOrTx,
  ikmId: number,
  typeId: number,
  at: number,
  now: number,
  excludeBookingId?: number,
): Promise<IkmFacts | undefined> {
  const [row] = await ikmFactsQuery.execute(db, { ikmId, typeId, at, now, exclude: excludeBookingId ?? NO_BOOKING });
  return ikmFactsOf(row);
}

/** Assisted slot-holding bookings on any machine overlapping [from, to). */
export const assistedBookingsQuery = defineQuery((db, p: Param<{ from: number; holdFrom: number; to: number; exclude: number }>) =>
  db
    .selectFrom("bookings")
    .select(["start_at", "end_at"])
    .where("assisted", "=", 1)
    .where("start_at", "<", p("to"))
    .where("start_at", ">", p("holdFrom"))
    .where("end_at", ">", p("from"))
    .where("status", "in", HOLDING)
    .where("id", "!=", p("exclude")),
);

export function assistedBookingsArgs(window: Interval, excludeBookingId?: number) {
  return { from: window.start, holdFrom: window.start - MAX_HOLD_MS, to: window.end, exclude: excludeBookingId ?? NO_BOOKING };
}

/** Assisted slot-holding bookings on any machine overlapping the window. */
export async function loadAssistedBookings(db: DbOrTx, window: Interval, excludeBookingId?: number): Promise<Interval[]> {
  return intervalsOf(await assistedBookingsQuery.execute(db, assistedBookingsArgs(window, excludeBookingId)));
}

/**
 * Fair priority's one measure (waitlist, approvals, allocation rounds): minutes each IKM actually
 * used machines of a type in the 30 days before `now` — its usage records (a session still in
 * progress counts until now), clipped to the window. IKMs without use are 0.
 */
export async function recentTypeMinutesByIkm(db: DbOrTx, typeId: number, ikmIds: number[], now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>(ikmIds.map((id) => [id, 0]));
  if (!ikmIds.length) return out;
  const from = now - 30 * 24 * 60 * 60 * 1000;
  const rows = await db
    .selectFrom("usage_records as u")
    .innerJoin("bookings", "bookings.id", "u.booking_id")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .select(["bookings.ikm_id", "u.actual_start", "u.actual_end"])
    .where("machines.type_id", "=", typeId)
    .where("bookings.ikm_id", "in", ikmIds)
    .where("bookings.status", "in", ["completed", "checked_in"])
    .where("u.actual_start", "<", now)
    .where("u.actual_start", ">", from - MAX_HOLD_MS)
    .execute();
  for (const r of rows) {
    const end = Math.min(r.actual_end === null ? now : Number(r.actual_end), now);
    const minutes = (end - Math.max(Number(r.actual_start), from)) / 60_000;
    out.set(r.ikm_id, (out.get(r.ikm_id) ?? 0) + Math.max(0, Math.round(minutes)));
  }
  return out;
}
