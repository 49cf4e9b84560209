/** What every page needs: the user, the language, the facility's name and zone, unread notifications. */
import { redirect } from "@remix-run/node";
import { parseLang } from "~/i18n";
import { getUser } from "~/utils/auth.server";
import { findFacility } from "~/models/scheduling.server";
import { db } from "~/utils/db.server";
import { hasAnyUser } from "./admin/setup.server";

export async function loadFacilityBasics() {
  const f = await findFacility(db());
  return { name: f?.name ?? "Giliran", timeZone: f?.time_zone ?? "Asia/Jakarta" };
}

/** Language: the user's choice, else the lang cookie of a visitor, else Indonesian. */
export function visitorLang(request: Request) {
  const m = /(?:^|;\s*)giliran_lang=(id|en)/.exec(request.headers.get("Cookie") ?? "");
  return parseLang(m?.[1]);
}

export async function loadRootData(request: Request) {
  // A new facility without the demo seed: the first admin is created on /setup.
  if (!(await hasAnyUser(db())) && new URL(request.url).pathname !== "/setup") throw redirect("/setup");
  const user = await getUser(request);
  const facility = await loadFacilityBasics();
  let unread = 0;
  if (user) {
    const row = await db()
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", user.id)
      .where("read_at", "is", null)
      .executeTakeFirst();
    unread = Number(row?.n ?? 0);
  }
  return {
    user: user && { id: user.id, name: user.name, role: user.role, ikmId: user.ikmId },
    lang: user ? user.language : visitorLang(request),
    facility,
    unread,
  };
}
