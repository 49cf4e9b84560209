import type { DbOrTx } from "#db/connection";
import { type Param, defineQuery } from "./query.server";

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

/** A new booking's row as written: every column, none left to a default. */
export function newBookingRow(b: NewBookingFields, at: number) {
  return {
    machine_id: b.machine_id,
    ikm_id: b.ikm_id,
    booked_by: b.booked_by,
    start_at: b.start_at,
    end_at: b.end_at,
    hold_end_at: b.hold_end_at,
    status: b.status as string,
    source: b.source,
    purpose: b.purpose,
    assisted: b.assisted ? 1 : 0,
    series_id: b.series_id ?? null,
    override_reason: b.override_reason ?? null,
    status_reason: null as string | null,
    cancelled_at: null as number | null,
    late_cancel: 0,
    created_at: at,
    updated_at: at,
  };
}

export const insertBookingQuery = defineQuery((db, p: Param<ReturnType<typeof newBookingRow>>) =>
  db
    .insertInto("bookings")
    .values({
      machine_id: p("machine_id"),
      ikm_id: p("ikm_id"),
      booked_by: p("booked_by"),
      start_at: p("start_at"),
      end_at: p("end_at"),
      hold_end_at: p("hold_end_at"),
      status: p("status"),
      source: p("source"),
      purpose: p("purpose"),
      assisted: p("assisted"),
      series_id: p("series_id"),
      override_reason: p("override_reason"),
      status_reason: p("status_reason"),
      cancelled_at: p("cancelled_at"),
      late_cancel: p("late_cancel"),
      created_at: p("created_at"),
      updated_at: p("updated_at"),
    })
    .returningAll(),
);

export async function insertBooking(db: DbOrTx, b: NewBookingFields, at: number) {
  const [row] = await insertBookingQuery.execute(db, newBookingRow(b, at));
  if (!row) throw new Error("The booking was not written");
  return row;
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

export const insertAttemptQuery = defineQuery((db, p: Param<AttemptFields>) =>
  db.insertInto("booking_attempts").values({
    ikm_id: p("ikm_id"),
    user_id: p("user_id"),
    machine_id: p("machine_id"),
    machine_type_id: p("machine_type_id"),
    start_at: p("start_at"),
    end_at: p("end_at"),
    codes: p("codes"),
    created_at: p("created_at"),
  }),
);

export async function insertAttempt(db: DbOrTx, attempt: AttemptFields): Promise<void> {
  await insertAttemptQuery.execute(db, attempt);
}

/** Whether an IKM exists and may book (an inactive IKM keeps its history but books no more). */
export const ikmStatusQuery = defineQuery((db, p: Param<{ ikmId: number }>) => db.selectFrom("ikms").select(["id", "active"]).where("id", "=", p("ikmId")));

export async function ikmStatus(db: DbOrTx, ikmId: number) {
  const [row] = await ikmStatusQuery.execute(db, { ikmId });
  return row;
}
