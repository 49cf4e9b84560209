import type { DbOrTx } from "#db/connection";
import type { Lang } from "~/i18n";
import type { Role } from "~/utils/permissions";

/** Remember a user's language choice. */
export async function setUserLanguage(db: DbOrTx, userId: number, lang: Lang, at: number): Promise<void> {
  await db.updateTable("users").set({ language: lang, updated_at: at }).where("id", "=", userId).execute();
}

/** The active users of these roles. */
export async function activeUserIds(db: DbOrTx, roles: readonly Role[]): Promise<number[]> {
  return (await db.selectFrom("users").select("id").where("role", "in", [...roles]).where("active", "=", 1).execute()).map((u) => u.id);
}

/** The users who already have a notification of this kind with exactly these parameters. */
export async function usersNotified(db: DbOrTx, kind: string, params: Record<string, string | number>): Promise<Set<number>> {
  const rows = await db.selectFrom("notifications").select("user_id").where("kind", "=", kind).where("params_json", "=", JSON.stringify(params)).execute();
  return new Set(rows.map((n) => n.user_id));
}
