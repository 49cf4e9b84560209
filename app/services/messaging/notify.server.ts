/** In-app notifications: one row per recipient; the text is rendered from `kind` and params in the reader's language. */
import type { DbOrTx } from "#db/connection";

export type NotificationKind =
  | "booking_confirmed"
  | "booking_pending"
  | "booking_approved"
  | "booking_rejected"
  | "booking_cancelled"
  | "booking_moved"
  | "waitlist_offer"
  | "reminder"
  | "restricted"
  | "restriction_lifted"
  | "allocation_result"
  /** To admins: a coming year's closure days are not entered (params: year). */
  | "closures_missing";

/** Notify these users (one row each). */
export async function notifyUsers(db: DbOrTx, userIds: number[], kind: NotificationKind, bookingId: number | null, params: Record<string, string | number>, at: number): Promise<void> {
  if (!userIds.length) return;
  await db
    .insertInto("notifications")
    .values(userIds.map((id) => ({ user_id: id, kind, booking_id: bookingId, params_json: JSON.stringify(params), read_at: null, created_at: at })))
    .execute();
}

/** Notify every active member of an IKM. */
export async function notifyIkm(
  db: DbOrTx,
  ikmId: number,
  kind: NotificationKind,
  bookingId: number | null,
  params: Record<string, string | number>,
  at: number,
): Promise<void> {
  const members = await db.selectFrom("users").select("id").where("ikm_id", "=", ikmId).where("active", "=", 1).execute();
  await notifyUsers(db, members.map((m) => m.id), kind, bookingId, params, at);
}
