/**
 * Queries of the technician's console: a day's bookings with their IKM and usage, maintenance
 * around a range, the approval queue, recent use per IKM, no-shows. Each takes the db or a
 * transaction first; every range is bounded on both sides so the start_at indexes serve it.
 */
import type { DbOrTx } from "#db/connection";
import { MAX_HOLD_MS, SLOT_HOLDING_STATUSES } from "#db/schema";
import type { Interval } from "~/scheduling";

const HOLDING = SLOT_HOLDING_STATUSES as unknown as string[];

function bookingsWithContext(db: DbOrTx) {
  return db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .innerJoin("users as booker", "booker.id", "bookings.booked_by")
    .leftJoin("usage_records as u", "u.booking_id", "bookings.id")
    .selectAll("bookings")
    .select([
      "machines.code as machine_code",
      "machines.name as machine_name",
      "machines.type_id as machine_type_id",
      "ikms.name as ikm_name",
      "ikms.phone as ikm_phone",
      "ikms.owner_name as ikm_owner",
      "ikms.restricted_until as ikm_restricted_until",
      "booker.name as booker_name",
      "booker.role as booker_role",
      "u.id as usage_id",
      "u.actual_start",
      "u.actual_end",
      "u.operator_name",
      "u.operator_kind",
      "u.output_quantity",
      "u.output_unit",
      "u.consumables",
      "u.condition",
      "u.notes",
      "u.billable_minutes",
      "u.hourly_rate",
      "u.fee",
    ]);
}

/** One booking with its machine, IKM, booker and usage record (if any). */
export function getFloorBooking(db: DbOrTx, id: number) {
  return bookingsWithContext(db).where("bookings.id", "=", id).executeTakeFirst();
}

/**
 * The bookings of a day on the floor: those starting within it (every status a technician deals
 * with), plus any still checked in from an earlier day (not checked out yet).
 */
export function dayBookings(db: DbOrTx, day: Interval) {
  return bookingsWithContext(db)
    .where((eb) =>
      eb.or([
        eb.and([
          eb("bookings.start_at", ">=", day.start),
          eb("bookings.start_at", "<", day.end),
          eb("bookings.status", "in", ["pending", "confirmed", "checked_in", "completed", "no_show"]),
        ]),
        eb.and([eb("bookings.status", "=", "checked_in"), eb("bookings.start_at", "<", day.start), eb("bookings.start_at", ">", day.start - 31 * 86_400_000)]),
      ]),
    )
    .orderBy("bookings.start_at")
    .orderBy("bookings.id")
    .execute();
}

/** Maintenance windows that touch a range, and every open breakdown (any start). */
export function maintenanceAround(db: DbOrTx, range: Interval, machineId?: number) {
  let q = db
    .selectFrom("maintenance_windows as w")
    .innerJoin("machines", "machines.id", "w.machine_id")
    .innerJoin("users", "users.id", "w.created_by")
    .selectAll("w")
    .select(["machines.code as machine_code", "machines.name as machine_name", "users.name as created_by_name"])
    .where((eb) => eb.or([eb("w.end_at", "is", null), eb.and([eb("w.start_at", "<", range.end), eb("w.end_at", ">", range.start)])]))
    .orderBy("w.start_at");
  if (machineId !== undefined) q = q.where("w.machine_id", "=", machineId);
  return q.execute();
}

export function getMaintenanceWindow(db: DbOrTx, id: number) {
  return db
    .selectFrom("maintenance_windows as w")
    .innerJoin("machines", "machines.id", "w.machine_id")
    .innerJoin("users", "users.id", "w.created_by")
    .selectAll("w")
    .select(["machines.code as machine_code", "machines.name as machine_name", "users.name as created_by_name"])
    .where("w.id", "=", id)
    .executeTakeFirst();
}

/**
 * Slot-holding bookings of a machine that a window [start, end) touches (end null: open
 * breakdown, every later booking), in time order, with the IKM's name.
 */
export function bookingsInWindow(db: DbOrTx, machineId: number, window: { start: number; end: number | null }, statuses: readonly string[] = HOLDING) {
  let q = db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .selectAll("bookings")
    .select(["machines.code as machine_code", "machines.name as machine_name", "ikms.name as ikm_name"])
    .where("bookings.machine_id", "=", machineId)
    .where("bookings.status", "in", statuses as string[])
    .where("bookings.start_at", ">", window.start - MAX_HOLD_MS)
    .where("bookings.end_at", ">", window.start)
    .orderBy("bookings.start_at")
    .orderBy("bookings.id");
  if (window.end !== null) q = q.where("bookings.start_at", "<", window.end);
  return q.execute();
}

/** Completed bookings of a machine overlapping a span (they no longer hold the slot, but the machine was in use). */
export function completedOverlapping(db: DbOrTx, machineId: number, span: Interval) {
  return db
    .selectFrom("bookings")
    .select(["id", "ikm_id", "start_at", "end_at"])
    .where("machine_id", "=", machineId)
    .where("status", "=", "completed")
    .where("start_at", "<", span.end)
    .where("start_at", ">", span.start - MAX_HOLD_MS)
    .where("end_at", ">", span.start)
    .execute();
}

/** Pending bookings (the approval queue) with machine, type and IKM. */
export function pendingBookings(db: DbOrTx) {
  return db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("machine_types", "machine_types.id", "machines.type_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .selectAll("bookings")
    .select([
      "machines.code as machine_code",
      "machines.name as machine_name",
      "machines.type_id as machine_type_id",
      "machine_types.name as type_name",
      "ikms.name as ikm_name",
      "ikms.phone as ikm_phone",
      "ikms.restricted_until as ikm_restricted_until",
    ])
    .where("bookings.status", "=", "pending")
    .orderBy("bookings.start_at")
    .orderBy("bookings.id")
    .execute();
}

/** Start instants of the IKM's no-shows since an instant. */
export async function noShowInstants(db: DbOrTx, ikmId: number, since: number): Promise<number[]> {
  const rows = await db
    .selectFrom("bookings")
    .select("start_at")
    .where("ikm_id", "=", ikmId)
    .where("status", "=", "no_show")
    .where("start_at", ">=", since)
    .orderBy("start_at")
    .execute();
  return rows.map((r) => Number(r.start_at));
}

/** Audit events of a record, newest first, with the actor's name. */
export function auditTrail(db: DbOrTx, entity: string, entityId: number | string, actions?: string[]) {
  let q = db
    .selectFrom("audit_events as a")
    .leftJoin("users", "users.id", "a.actor_user_id")
    .selectAll("a")
    .select("users.name as actor_name")
    .where("a.entity", "=", entity)
    .where("a.entity_id", "=", String(entityId))
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc");
  if (actions?.length) q = q.where("a.action", "in", actions);
  return q.execute();
}

/** Active IKMs and active, non-retired machines for the console's pickers. */
export function activeIkms(db: DbOrTx) {
  return db.selectFrom("ikms").select(["id", "name", "owner_name"]).where("active", "=", 1).orderBy("name").execute();
}

export function floorMachines(db: DbOrTx) {
  return db
    .selectFrom("machines")
    .innerJoin("machine_types", "machine_types.id", "machines.type_id")
    .selectAll("machines")
    .select(["machine_types.name as type_name"])
    .where("machines.status", "!=", "retired")
    .orderBy("machines.code")
    .execute();
}
