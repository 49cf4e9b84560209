import type { DbOrTx } from "#db/connection";
import type { Lang } from "~/i18n";

/** Remember a user's language choice. */
export async function setUserLanguage(db: DbOrTx, userId: number, lang: Lang, at: number): Promise<void> {
  await db.updateTable("users").set({ language: lang, updated_at: at }).where("id", "=", userId).execute();
}
