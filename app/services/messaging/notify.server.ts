/** In-app notifications: one row per recipient; the text is rendered from `kind` and params in the reader's language. */
import type SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import type { DbOrTx } from "#db/connection";
import { dialectOf } from "#db/dialect";
import { type AuditInput, audit, auditRow } from "../audit.server";
import { type Param, defineQuery } from "~/models/query.server";

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

/** The active members of an IKM. */
export const ikmMembersQuery = defineQuery((db, p: Param<{ ikmId: number }>) => db.selectFrom("users").select("id").where("ikm_id", "=", p("ikmId")).where("active", "=", 1));

/** One notification row. */
export const notificationQuery = defineQuery((db, p: Param<{ userId: number; kind: string; bookingId: number | null; paramsJson: string; at: number }>) =>
  db.insertInto("notifications").values({ user_id: p("userId"), kind: p("kind"), booking_id: p("bookingId"), params_json: p("paramsJson"), read_at: null, created_at: p("at") }),
);

/** notifyIkm on SQLite, synchronously (inside a decision's own transaction). */
export function notifyIkmSync(
  sqlite: SqliteDatabase.Database,
  ikmId: number,
  kind: NotificationKind,
  bookingId: number | null,
  params: Record<string, string | number>,
  at: number,
): void {
  const paramsJson = JSON.stringify(params);
  for (const m of ikmMembersQuery.all(sqlite, { ikmId })) notificationQuery.run(sqlite, { userId: m.id, kind, bookingId, paramsJson, at });
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
  const members = await ikmMembersQuery.execute(db, { ikmId });
  await notifyUsers(db, members.map((m) => m.id), kind, bookingId, params, at);
}

/** A notification to every active member of an IKM. */
export interface IkmNotice {
  ikmId: number;
  kind: NotificationKind;
  bookingId: number | null;
  params: Record<string, string | number>;
  at: number;
}

/**
 * An audit event and the IKM's notification, written together: on PostgreSQL in one statement
 * (the audit row as a data-modifying CTE, the members looked up inside the notifications'
 * INSERT … SELECT: one round trip instead of three, issue 33), elsewhere as audit() and notifyIkm().
 */
export async function auditAndNotifyIkm(db: DbOrTx, event: AuditInput, notice: IkmNotice): Promise<void> {
  const { ikmId, kind, bookingId, params, at } = notice;
  if (dialectOf(db) !== "postgres") {
    await audit(db, event);
    await notifyIkm(db, ikmId, kind, bookingId, params, at);
    return;
  }
  const paramsJson = JSON.stringify(params);
  await db
    .with("audited", (q) => q.insertInto("audit_events").values(auditRow(event)))
    .insertInto("notifications")
    .columns(["user_id", "kind", "booking_id", "params_json", "read_at", "created_at"])
    .expression((eb) =>
      eb
        .selectFrom("users")
        // Typed: PostgreSQL does not infer a SELECT list's parameter types from the INSERT's columns.
        .select([
          "users.id",
          sql<string>`cast(${kind} as text)`.as("kind"),
          sql<number | null>`cast(${bookingId} as integer)`.as("booking_id"),
          sql<string>`cast(${paramsJson} as text)`.as("params_json"),
          sql<number | null>`cast(null as bigint)`.as("read_at"),
          sql<number>`cast(${at} as bigint)`.as("created_at"),
        ])
        .where("ikm_id", "=", ikmId)
        .where("active", "=", 1),
    )
    .execute();
}
