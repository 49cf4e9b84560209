/**
 * The authorization matrix: every page route × every role (and a visitor), and every API
 * endpoint × a visitor and every role, against tables written HERE as literal data from
 * DESIGN.md's roles — never from the permissions module or the OpenAPI document, so a wrong
 * permission in the code is caught, not agreed with. A route file or endpoint missing from the
 * tables fails.
 *
 * DESIGN.md: an IKM member books for its own IKM, sees its own bookings, waitlist and rounds;
 * a technician runs the floor (approvals, check-in/out, no-shows, backfill, maintenance); a
 * manager reviews reports and reads the administration, and runs allocation rounds; an admin is
 * everything a manager is, plus changing machines, rules, users and IKMs. Staff (technician,
 * manager, admin) may enter bookings for any IKM.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../app/services/api/openapi/document.server";
import { type Role, homePath } from "../../app/utils/permissions";
import { type TestApp, loadApp } from "../support/app";

/** How a visitor fares, then each role: A = allowed, D = denied (403, or sent to their own home). */
type Visitor = "public" | "login" | "404" | "redirect";
type Verdict = "A" | "D" | "404";
type PageRow = [visitor: Visitor, ikm: Verdict, technician: Verdict, manager: Verdict, admin: Verdict];
const ALL: PageRow = ["login", "A", "A", "A", "A"];
const IKM_ONLY: PageRow = ["login", "A", "D", "D", "D"];
const STAFF: PageRow = ["login", "D", "A", "A", "A"];
const MANAGERS: PageRow = ["login", "D", "D", "A", "A"];
const SECRET: PageRow = ["404", "404", "404", "404", "404"];

const PAGES: Record<string, PageRow> = {
  "_index.tsx": ["redirect", "A", "A", "A", "A"],
  "$.tsx": SECRET,
  "login.tsx": ["public", "A", "A", "A", "A"],
  "logout.tsx": ["redirect", "A", "A", "A", "A"],
  "bahasa.tsx": ["redirect", "A", "A", "A", "A"],
  "healthz.ts": ["public", "A", "A", "A", "A"],
  "setup.tsx": SECRET, // only on an empty database
  "api.docs.tsx": ["public", "A", "A", "A", "A"],
  "kalender.$token[.]ics.ts": SECRET, // only with the feed's secret token
  "ikm.tsx": IKM_ONLY,
  "jadwal.tsx": ALL,
  "mesin.$id.tsx": ALL,
  "pesan.tsx": ALL,
  "pesan_.cek.ts": ALL,
  "pemesanan._index.tsx": IKM_ONLY,
  "pemesanan.$id.tsx": ALL,
  "pemesanan.seri.$id.tsx": ALL,
  "notifikasi.tsx": ALL,
  "daftar-tunggu.tsx": ALL,
  "putaran._index.tsx": ALL,
  "putaran.$id.tsx": ALL,
  "teknisi._index.tsx": STAFF,
  "teknisi.persetujuan.tsx": STAFF,
  "teknisi.pemesanan.$id.tsx": STAFF,
  "teknisi.catat.tsx": STAFF,
  "teknisi.perawatan._index.tsx": STAFF,
  "teknisi.perawatan.$id.tsx": STAFF,
  "manajer.tsx": MANAGERS,
  "laporan._index.tsx": MANAGERS,
  "laporan.csv.ts": MANAGERS,
  "laporan.xlsx.ts": MANAGERS,
  "laporan.rincian.tsx": MANAGERS,
  "admin._index.tsx": MANAGERS,
  "admin.mesin._index.tsx": MANAGERS,
  "admin.mesin.baru.tsx": MANAGERS,
  "admin.mesin.$id.tsx": MANAGERS,
  "admin.fasilitas.tsx": MANAGERS,
  "admin.libur.tsx": MANAGERS,
  "admin.ikm._index.tsx": MANAGERS,
  "admin.ikm.baru.tsx": MANAGERS,
  "admin.ikm.$id.tsx": MANAGERS,
  "admin.pengguna._index.tsx": MANAGERS,
  "admin.pengguna.baru.tsx": MANAGERS,
  "admin.pengguna.$id.tsx": MANAGERS,
  "admin.kualifikasi.tsx": MANAGERS,
  "admin.audit.tsx": MANAGERS,
};

/** Who may call each endpoint: null = no token needed; else the roles (others get 403 or 404). */
const EVERYONE: Role[] = ["ikm", "technician", "manager", "admin"];
const STAFF_ROLES: Role[] = ["technician", "manager", "admin"];
const MANAGER_ROLES: Role[] = ["manager", "admin"];
const API: Record<string, Role[] | null> = {
  "GET /api/v1/openapi.json": null,
  "POST /api/v1/session": null,
  "DELETE /api/v1/session": EVERYONE,
  "GET /api/v1/machines": EVERYONE,
  "POST /api/v1/machines": ["admin"],
  "GET /api/v1/machines/{id}": EVERYONE,
  "PATCH /api/v1/machines/{id}": ["admin"],
  "GET /api/v1/machines/{id}/availability": EVERYONE,
  "POST /api/v1/machines/{id}/maintenance": STAFF_ROLES,
  "POST /api/v1/maintenance/{id}/resolve": STAFF_ROLES,
  "POST /api/v1/maintenance/{id}/end": STAFF_ROLES,
  "GET /api/v1/bookings": EVERYONE, // an IKM member sees its own IKM's only
  "POST /api/v1/bookings": EVERYONE,
  "GET /api/v1/bookings/{id}": EVERYONE,
  "POST /api/v1/bookings/{id}/cancel": EVERYONE,
  "POST /api/v1/bookings/{id}/move": EVERYONE,
  "POST /api/v1/bookings/{id}/approve": STAFF_ROLES,
  "POST /api/v1/bookings/{id}/reject": STAFF_ROLES,
  "POST /api/v1/bookings/{id}/check-in": STAFF_ROLES,
  "POST /api/v1/bookings/{id}/check-out": STAFF_ROLES,
  "POST /api/v1/bookings/{id}/no-show": STAFF_ROLES,
  "GET /api/v1/waitlist": EVERYONE,
  "POST /api/v1/waitlist": ["ikm"],
  "POST /api/v1/waitlist/{id}/accept": ["ikm"],
  "POST /api/v1/waitlist/{id}/decline": ["ikm"],
  "POST /api/v1/waitlist/{id}/withdraw": ["ikm"],
  "GET /api/v1/reports/utilization": MANAGER_ROLES,
  "GET /api/v1/rounds": EVERYONE,
  "GET /api/v1/rounds/{id}": EVERYONE,
  "POST /api/v1/rounds/{id}/requests": EVERYONE,
  "POST /api/v1/rounds/{id}/requests/{requestId}/withdraw": EVERYONE,
  "POST /api/v1/rounds/{id}/allocate": MANAGER_ROLES,
  "GET /api/v1/rounds/{id}/replay": STAFF_ROLES,
};
const ROLE_ORDER: Role[] = ["ikm", "technician", "manager", "admin"];

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

  it("every page route file is in the table, and the table has no stale row", () => {
    expect(files.filter((f) => !(f in PAGES))).toEqual([]);
    expect(Object.keys(PAGES).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of files) {
    it(`${file}`, async () => {
      const [visitorExpected, ...roles] = PAGES[file];
      const url = urlOf(file.includes("$id") && file.startsWith("admin.") ? file.replace("$id", "1") : file);
      const visitor = await outcome(url, null);
      if (visitorExpected === "public") expect(visitor.kind).toBe("allowed");
      else if (visitorExpected === "404") expect(visitor.status).toBe(404);
      else if (visitorExpected === "redirect") expect(visitor.status >= 300 && visitor.status < 400, `${visitor.status}`).toBe(true);
      else expect(visitor.kind, "a visitor is sent to login").toBe("login");
      if (visitorExpected === "redirect" || visitorExpected === "public") return;
      for (const [i, role] of ROLE_ORDER.entries()) {
        const got = await outcome(url, role);
        if (roles[i] === "404") expect(got.status, role).toBe(404);
        else expect(got.kind, `${role} on ${url} (${got.status})`).toBe(roles[i] === "A" ? "allowed" : "denied");
      }
    });
  }
});

describe("API endpoints × roles", () => {
  it("every documented endpoint is in the table, and the table has no stale row", () => {
    const documented = ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.path}`);
    expect(documented.filter((k) => !(k in API))).toEqual([]);
    expect(Object.keys(API).filter((k) => !documented.includes(k))).toEqual([]);
  });

  for (const [key, allowed] of Object.entries(API)) {
    it(key, async () => {
      const [method, path] = key.split(" ");
      const url = path.replace(/\{\w+\}/g, "1");
      const init = (token?: string) => ({
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      const anon = await app.fetch(url, init());
      await anon.arrayBuffer();
      if (!allowed) {
        expect(anon.status).not.toBe(401);
        return;
      }
      expect(anon.status, "a request without a token").toBe(401);
      for (const role of ROLE_ORDER) {
        if (key === "DELETE /api/v1/session") continue; // would revoke the token the other tests use
        const res = await app.fetch(url, init(tokens[role]));
        await res.arrayBuffer();
        // Refused roles get 403, or 404 where an IKM must not learn that a record exists.
        if (allowed.includes(role)) expect([401, 403], `${role} may`).not.toContain(res.status);
        else expect([403, 404], `${role} may not`).toContain(res.status);
      }
    });
  }
});
