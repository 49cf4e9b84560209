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
  | "allocation_result";

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
  if (!members.length) return;
  await db
    .insertInto("notifications")
    .values(members.map((m) => ({ user_id: m.id, kind, booking_id: bookingId, params_json: JSON.stringify(params), read_at: null, created_at: at })))
    .execute();
}
