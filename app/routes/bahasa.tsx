import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseLang } from "~/i18n";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { setUserLanguage } from "~/models/user.server";

export async function loader() {
  return redirect("/");
}

/** Switch the language: remembered on the user, and in a cookie for visitors. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = parseLang(form.get("lang"));
  const user = await getUser(request);
  if (user) await setUserLanguage(db(), user.id, lang, now());
  const referer = request.headers.get("Referer");
  let back = "/";
  try {
    if (referer) {
      const u = new URL(referer);
      if (u.host === new URL(request.url).host) back = u.pathname + u.search;
    }
  } catch {
    back = "/";
  }
  return redirect(safeRedirect(back), {
    headers: { "Set-Cookie": `giliran_lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` },
  });
}
