/**
 * The in-app notification list (/notifikasi) of any user: newest first, with the booking's
 * machine and time joined in so the text can be written in the reader's language even when the
 * notification's params are sparse. Every query is bound to the reader (user_id).
 */
import type { Db } from "#db/connection";
import type { NotificationView } from "~/views/notifications";

export const NOTIFICATIONS_PAGE = 30;

function parseParams(json: string): Record<string, string | number> {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string | number>) : {};
  } catch {
    return {};
  }
}

export async function listNotifications(db: Db, userId: number, limit = NOTIFICATIONS_PAGE): Promise<{ items: NotificationView[]; more: boolean; unread: number }> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom("notifications")
      .leftJoin("bookings", "bookings.id", "notifications.booking_id")
      .leftJoin("machines", "machines.id", "bookings.machine_id")
      .select([
        "notifications.id",
        "notifications.kind",
        "notifications.booking_id",
        "notifications.params_json",
        "notifications.read_at",
        "notifications.created_at",
        "machines.code as machine_code",
        "bookings.start_at",
        "bookings.end_at",
      ])
      .where("notifications.user_id", "=", userId)
      .orderBy("notifications.created_at", "desc")
      .orderBy("notifications.id", "desc")
      .limit(limit + 1)
      .execute(),
    unreadCount(db, userId),
  ]);
  const items = rows.slice(0, limit).map((r): NotificationView => {
    const params = parseParams(r.params_json);
    const num = (v: unknown) => (v === undefined || v === null || v === "" || Number.isNaN(Number(v)) ? null : Number(v));
    return {
      id: r.id,
      kind: r.kind,
      bookingId: r.booking_id,
      params,
      machine: typeof params.machine === "string" ? params.machine : (r.machine_code ?? null),
      start: num(params.start) ?? num(r.start_at),
      end: num(params.end) ?? num(r.end_at),
      read: r.read_at !== null,
      createdAt: Number(r.created_at),
    };
  });
  return { items, more: rows.length > limit, unread };
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Mark every unread notification of the user read; returns how many. */
export async function markAllRead(db: Db, userId: number, now: number): Promise<number> {
  const res = await db.updateTable("notifications").set({ read_at: now }).where("user_id", "=", userId).where("read_at", "is", null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Mark one of the user's notifications read; null when it is not theirs (or does not exist). */
export async function markRead(db: Db, userId: number, id: number, now: number): Promise<{ bookingId: number | null; kind: string; params: Record<string, unknown> } | null> {
  const row = await db.selectFrom("notifications").select(["id", "booking_id", "kind", "read_at", "params_json"]).where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
  if (!row) return null;
  if (row.read_at === null) await db.updateTable("notifications").set({ read_at: now }).where("id", "=", id).execute();
  return { bookingId: row.booking_id, kind: row.kind, params: JSON.parse(row.params_json ?? "{}") as Record<string, unknown> };
}
