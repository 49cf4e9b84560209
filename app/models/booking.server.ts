import type { DbOrTx } from "#db/connection";

export interface BookingListFilter {
  ikmId?: number;
  machineId?: number;
  from?: number;
  to?: number;
  statuses?: readonly string[];
  limit?: number;
}

/** Bookings with their machine's code and name and their IKM's name and phone. */
function bookingsWithNames(db: DbOrTx) {
  return db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .selectAll("bookings")
    .select(["machines.code as machine_code", "machines.name as machine_name", "ikms.name as ikm_name", "ikms.phone as ikm_phone"]);
}

/** Bookings with machine and IKM names; ownership is part of the query (ikmId). */
export function listBookings(db: DbOrTx, f: BookingListFilter) {
  let q = bookingsWithNames(db)
    .orderBy("bookings.start_at")
    .orderBy("bookings.id");
  if (f.ikmId !== undefined) q = q.where("bookings.ikm_id", "=", f.ikmId);
  if (f.machineId !== undefined) q = q.where("bookings.machine_id", "=", f.machineId);
  if (f.from !== undefined) q = q.where("bookings.end_at", ">", f.from);
  if (f.to !== undefined) q = q.where("bookings.start_at", "<", f.to);
  if (f.statuses?.length) q = q.where("bookings.status", "in", f.statuses as string[]);
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q.execute();
}

/** The usage record of a booking (check-in, check-out, fee), if any. */
export function usageOf(db: DbOrTx, bookingId: number) {
  return db.selectFrom("usage_records").selectAll().where("booking_id", "=", bookingId).executeTakeFirst();
}

/** A new slot-holding booking: what a decision gives, with the lifecycle columns at their start values. */
export interface NewBookingFields {
  machine_id: number;
  ikm_id: number;
  booked_by: number;
  start_at: number;
  end_at: number;
  hold_end_at: number;
  status: "pending" | "confirmed";
  source: string;
  purpose: string;
  assisted: boolean;
  series_id?: number | null;
  override_reason?: string | null;
}

export function insertBooking(db: DbOrTx, b: NewBookingFields, at: number) {
  return db
    .insertInto("bookings")
    .values({
      ...b,
      assisted: b.assisted ? 1 : 0,
      series_id: b.series_id ?? null,
      override_reason: b.override_reason ?? null,
      status_reason: null,
      cancelled_at: null,
      late_cancel: 0,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A booking read inside a write transaction, before it is changed (the transaction's lock —
 * SQLite's immediate write lock, PostgreSQL's decision lock — keeps it from changing under us).
 */
export function bookingForUpdate(trx: DbOrTx, id: number) {
  return trx.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirst();
}

/** One booking with its machine's code and name and its IKM's name and phone (no ownership check). */
export function bookingWithNames(db: DbOrTx, id: number) {
  return bookingsWithNames(db).where("bookings.id", "=", id).executeTakeFirst();
}

/** A refused request (the raw data of unmet demand): who asked for which machine and time, and why not. */
export interface AttemptFields {
  ikm_id: number;
  user_id: number;
  machine_id: number;
  machine_type_id: number;
  start_at: number;
  end_at: number;
  /** The violation codes, comma-separated, each once. */
  codes: string;
  created_at: number;
}

export async function insertAttempt(db: DbOrTx, attempt: AttemptFields): Promise<void> {
  await db.insertInto("booking_attempts").values(attempt).execute();
}

/** Whether an IKM exists and may book (an inactive IKM keeps its history but books no more). */
export function ikmStatus(db: DbOrTx, ikmId: number) {
  return db.selectFrom("ikms").select(["id", "active"]).where("id", "=", ikmId).executeTakeFirst();
}
