import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { audit } from "~/services/audit.server";
import { getUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { readSessionToken, revokeToken, sessionCookie } from "~/utils/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getUser(request);
  const token = await readSessionToken(request);
  if (token) await revokeToken(db(), token, now());
  if (user) {
    await audit(db(), { actorUserId: user.id, action: "logout", entity: "user", entityId: user.id, requestId: contextOf(context).requestId, at: now() });
  }
  return redirect("/login", { headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) } });
}
