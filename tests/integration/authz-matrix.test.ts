/**
 * The authorization matrix: every page route × every role (and a visitor) against the
 * permissions module's PAGE_ACCESS table, and every API endpoint × a visitor and the roles it
 * documents. A route file missing from the table fails.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../app/services/openapi.server";
import { PAGE_ACCESS, type Permission, type Role, can, homePath } from "../../app/utils/permissions";
import { type TestApp, loadApp } from "../support/app";

let app: TestApp;
const cookies: Partial<Record<Role, string>> = {};
const tokens: Partial<Record<Role, string>> = {};
const LOGINS: Record<Role, string> = { admin: "admin@giliran.test", manager: "manajer@giliran.test", technician: "teknisi@giliran.test", ikm: "ikm1@giliran.test" };
let sample: Record<string, string> = {};

/** A concrete URL for a route file: params filled with records that exist. */
function urlOf(file: string): string {
  const base = file.replace(/\.(tsx|ts)$/, "");
  if (base === "_index") return "/";
  if (base === "$") return "/tidak-ada";
  return `/${base
    .replace(/\[\.\]/g, "~dot~")
    .split(".")
    .filter((seg) => seg !== "_index")
    .map((seg) => (seg.startsWith("$") ? sample[seg.slice(1)] ?? "1" : seg.replace(/_$/, "")))
    .join("/")
    .replace(/~dot~/g, ".")}`;
}

type Outcome = "allowed" | "denied" | "login";

async function outcome(url: string, role: Role | null): Promise<{ kind: Outcome; status: number }> {
  const res = await app.fetch(url, { headers: role ? { Cookie: cookies[role] as string } : {} });
  await res.arrayBuffer();
  const location = res.headers.get("Location") ?? "";
  if (res.status === 403) return { kind: "denied", status: 403 };
  if (res.status >= 300 && res.status < 400 && location.startsWith("/login")) return { kind: "login", status: res.status };
  // A page only for IKM members sends staff to their own home instead of a 403.
  if (role && res.status >= 300 && res.status < 400 && location === homePath(role) && url !== homePath(role) && url !== "/") return { kind: "denied", status: res.status };
  return { kind: "allowed", status: res.status };
}

beforeAll(async () => {
  app = await loadApp();
  for (const role of Object.keys(LOGINS) as Role[]) {
    cookies[role] = await app.login(LOGINS[role]);
    tokens[role] = await app.apiLogin(LOGINS[role]);
  }
  const ikm1 = await app.db.selectFrom("users").select("ikm_id").where("email", "=", LOGINS.ikm).executeTakeFirstOrThrow();
  const booking = await app.db.selectFrom("bookings").select("id").where("ikm_id", "=", ikm1.ikm_id as number).executeTakeFirstOrThrow();
  sample = { id: String(booking.id), token: "tidak-ada" };
});

describe("page routes × roles", () => {
  const files = fs.readdirSync("app/routes").filter((f) => !f.startsWith("api.v1.") && f !== "api.$.ts" && /\.(tsx?|ts)$/.test(f));

  it("every page route file is in the permissions table", () => {
    const missing = files.filter((f) => !(f in PAGE_ACCESS));
    expect(missing).toEqual([]);
    const stale = Object.keys(PAGE_ACCESS).filter((f) => !files.includes(f));
    expect(stale).toEqual([]);
  });

  for (const file of files) {
    it(`${file}`, async () => {
      const access = PAGE_ACCESS[file];
      const url = urlOf(file.includes("$id") && file.startsWith("admin.") ? file.replace("$id", "1") : file);
      const visitor = await outcome(url, null);
      switch (access) {
        case "public":
          expect(visitor.kind).toBe("allowed");
          return;
        case "not-found":
        case "token":
        case "setup": {
          // Nobody, logged in or not, gets past these without their secret (or an empty database).
          expect(visitor.status).toBe(404);
          for (const role of Object.keys(LOGINS) as Role[]) expect((await outcome(url, role)).status, role).toBe(404);
          return;
        }
        case "redirect":
          expect(visitor.status).toBeGreaterThanOrEqual(300);
          expect(visitor.status).toBeLessThan(400);
          return;
        default: {
          expect(visitor.kind, "a visitor is sent to login").toBe("login");
          for (const role of Object.keys(LOGINS) as Role[]) {
            const allowed = access === "user" || can({ id: 1, role, ikmId: role === "ikm" ? 1 : null }, access as Permission);
            const got = await outcome(url, role);
            expect(got.kind, `${role} on ${url} (${got.status})`).toBe(allowed ? "allowed" : "denied");
          }
        }
      }
    });
  }
});

describe("API endpoints × roles", () => {
  for (const e of ENDPOINTS) {
    it(`${e.method.toUpperCase()} ${e.path}`, async () => {
      const url = e.path.replace(/\{\w+\}/g, "1");
      const init = (token?: string) => ({
        method: e.method.toUpperCase(),
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
        body: e.method === "get" ? undefined : "{}",
      });
      const anon = await app.fetch(url, init());
      await anon.arrayBuffer();
      if (!e.roles) {
        expect(anon.status).not.toBe(401);
        return;
      }
      expect(anon.status, "a request without a token").toBe(401);
      // Roles the endpoint does not list are refused: 403, or 404 where an IKM must not learn a record exists.
      const listed = e.roles.includes("any logged-in user") ? (Object.keys(LOGINS) as Role[]) : (Object.keys(LOGINS) as Role[]).filter((r) => e.roles?.includes(r));
      for (const role of Object.keys(LOGINS) as Role[]) {
        if (e.method === "delete" && e.path === "/api/v1/session") continue;
        const res = await app.fetch(url, init(tokens[role]));
        await res.arrayBuffer();
        if (listed.includes(role)) expect([401, 403], `${role} is listed`).not.toContain(res.status);
        else expect([403, 404], `${role} is not listed`).toContain(res.status);
      }
    });
  }
});
