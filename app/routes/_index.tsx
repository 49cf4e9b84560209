import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getUser } from "~/utils/auth.server";
import { homePath } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  throw redirect(user ? homePath(user.role) : "/login");
}
