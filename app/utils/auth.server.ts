/**
 * Authentication: who is asking (cookie session for pages, bearer token for the API), login with
 * rate limiting per account and per address, and the guards that throw responses so a route's
 * happy path reads straight down.
 */
import { redirect } from "@remix-run/node";
import type { Db } from "#db/connection";
import type { User } from "#db/schema";
import { audit } from "~/services/audit.server";
import { now } from "./clock.server";
import { db } from "./db.server";
import { dummyPasswordHash, verifyPassword } from "./password.server";
import { type Permission, type Principal, type Role, can } from "./permissions";
import { readSessionToken, userForToken } from "./session.server";

export type AuthUser = Principal & { name: string; language: "id" | "en"; email: string | null; phone: string | null };

export function toAuthUser(u: User): AuthUser {
  return {
    id: u.id,
    role: u.role as Role,
    ikmId: u.ikm_id,
    name: u.name,
    language: u.language === "en" ? "en" : "id",
    email: u.email,
    phone: u.phone,
  };
}

/** The logged-in user of a page request, or null. */
export async function getUser(request: Request): Promise<AuthUser | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const user = await userForToken(db(), token, "cookie", now());
  return user ? toAuthUser(user) : null;
}

/** Only same-site relative paths; anything else becomes "/". */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export async function requireUser(request: Request): Promise<AuthUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403 });
}

export async function requirePermission(request: Request, permission: Permission): Promise<AuthUser> {
  const user = await requireUser(request);
  if (!can(user, permission)) throw forbidden();
  return user;
}

// ---------------------------------------------------------------------------------------------
// Login with rate limiting (shared by the login page and POST /api/v1/session)

const WINDOW_MS = 15 * 60 * 1000;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_ADDRESS = 30;

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "inactive" }
  | { ok: false; reason: "rate_limited"; retryAfterMinutes: number };

function normalizeLogin(login: string): { email: string | null; phone: string | null } {
  const trimmed = login.trim();
  if (trimmed.includes("@")) return { email: trimmed.toLowerCase(), phone: null };
  const digits = trimmed.replace(/[\s\-().]/g, "");
  const phone = digits.startsWith("08") ? `+62${digits.slice(1)}` : digits.startsWith("62") ? `+${digits}` : digits;
  return { email: null, phone };
}

async function recentFailures(database: Db, key: string, t: number): Promise<{ count: number; oldest: number | null }> {
  const row = await database
    .selectFrom("login_failures")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("at").as("oldest")])
    .where("key", "=", key)
    .where("at", ">", t - WINDOW_MS)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
}

export async function attemptLogin(login: string, password: string, ip: string, requestId: string): Promise<LoginResult> {
  const database = db();
  const t = now();
  const { email, phone } = normalizeLogin(login);
  const accountKey = `account:${email ?? phone}`;
  const ipKey = `ip:${ip}`;
  for (const [key, max] of [[accountKey, MAX_PER_ACCOUNT], [ipKey, MAX_PER_ADDRESS]] as const) {
    const f = await recentFailures(database, key, t);
    if (f.count >= max) {
      const retry = Math.max(1, Math.ceil(((f.oldest ?? t) + WINDOW_MS - t) / 60000));
      return { ok: false, reason: "rate_limited", retryAfterMinutes: retry };
    }
  }
  const user = await database
    .selectFrom("users")
    .selectAll()
    .where(email ? "email" : "phone", "=", (email ?? phone) as string)
    .executeTakeFirst();
  // Spend the same hashing time whether or not the account exists.
  const valid = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !valid) {
    await database.insertInto("login_failures").values([{ key: accountKey, at: t }, { key: ipKey, at: t }]).execute();
    return { ok: false, reason: "invalid" };
  }
  if (!user.active) return { ok: false, reason: "inactive" };
  await database.deleteFrom("login_failures").where("key", "=", accountKey).execute();
  await audit(database, { actorUserId: user.id, action: "login", entity: "user", entityId: user.id, requestId, at: t });
  return { ok: true, user };
}
