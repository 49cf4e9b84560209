/**
 * Database-backed sessions. The browser holds a signed cookie with a random token; the database
 * holds only its sha256, so a leaked database cannot be replayed, and revoking is one UPDATE.
 * API tokens are the same records with kind "api".
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createCookie } from "@remix-run/node";
import { parseDatabaseUrl } from "#db/connection";
import type { Db } from "#db/connection";
import type { User } from "#db/schema";
import { getEnv } from "./env.server";

export const COOKIE_SESSION_DAYS = 30;
export const API_TOKEN_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

/** SESSION_SECRET (comma-separated for rotation); outside production, generated once beside the database. */
function sessionSecrets(): string[] {
  const env = getEnv();
  if (env.SESSION_SECRET) return env.SESSION_SECRET.split(",").map((s) => s.trim()).filter(Boolean);
  const loc = parseDatabaseUrl(env.DATABASE_URL);
  // PostgreSQL has no file to sit beside: ./data, where the SQLite default lives.
  const file =
    loc.kind === "postgres" ? path.resolve("data/.session-secret") : loc.file === ":memory:" ? null : path.join(path.dirname(loc.file), ".session-secret");
  if (!file) return ["giliran-memory-secret"];
  try {
    return [fs.readFileSync(file, "utf8").trim()];
  } catch {
    const secret = randomBytes(32).toString("hex");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    } catch {
      // Another process of the same database wrote it first: use theirs.
      return [fs.readFileSync(file, "utf8").trim()];
    }
    return [secret];
  }
}

let cookie: ReturnType<typeof createCookie> | null = null;
export function sessionCookie() {
  cookie ??= createCookie("giliran_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: getEnv().NODE_ENV === "production",
    path: "/",
    maxAge: COOKIE_SESSION_DAYS * 24 * 60 * 60,
    secrets: sessionSecrets(),
  });
  return cookie;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  db: Db,
  userId: number,
  kind: "cookie" | "api",
  userAgent: string,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + (kind === "cookie" ? COOKIE_SESSION_DAYS : API_TOKEN_DAYS) * DAY;
  await db
    .insertInto("sessions")
    .values({ id: hashToken(token), user_id: userId, kind, created_at: now, expires_at: expiresAt, revoked_at: null, user_agent: userAgent.slice(0, 200) })
    .execute();
  return { token, expiresAt };
}

/** The active user behind a token, or null (unknown, expired, revoked, or user deactivated). */
export async function userForToken(db: Db, token: string, kind: "cookie" | "api", now: number): Promise<User | null> {
  if (!token || token.length > 200) return null;
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .where("sessions.id", "=", hashToken(token))
    .where("sessions.kind", "=", kind)
    .where("sessions.revoked_at", "is", null)
    .where("sessions.expires_at", ">", now)
    .where("users.active", "=", 1)
    .executeTakeFirst();
  return row ?? null;
}

export async function revokeToken(db: Db, token: string, now: number): Promise<void> {
  await db.updateTable("sessions").set({ revoked_at: now }).where("id", "=", hashToken(token)).where("revoked_at", "is", null).execute();
}

export async function revokeAllSessions(db: Db, userId: number, now: number): Promise<void> {
  await db.updateTable("sessions").set({ revoked_at: now }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}
