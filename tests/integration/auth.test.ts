import { describe, expect, it } from "vitest";
import { loadApp } from "../support/app";

const form = (o: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(o) });

describe("login and the role guards", () => {
  it("each demo role logs in and is sent to its own home page", async () => {
    const app = await loadApp();
    const expected: Record<string, string> = {
      "admin@giliran.test": "/admin",
      "manajer@giliran.test": "/manajer",
      "teknisi@giliran.test": "/teknisi",
      "ikm1@giliran.test": "/ikm",
      "ikm2@giliran.test": "/ikm",
    };
    for (const [login, home] of Object.entries(expected)) {
      const res = await app.fetch("/login", form({ login, password: "giliran-demo" }));
      expect(res.status, login).toBe(302);
      expect(res.headers.get("Location")).toBe(home);
      const cookie = res.headers.get("Set-Cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const page = await app.fetch(home, { headers: { Cookie: cookie.split(";")[0] } });
      expect(page.status, `${login} ${home}`).toBe(200);
    }
  });

  it("ikm1 and ikm2 belong to different IKMs", async () => {
    const app = await loadApp();
    const rows = await app.db.selectFrom("users").select(["email", "ikm_id"]).where("email", "in", ["ikm1@giliran.test", "ikm2@giliran.test"]).execute();
    expect(rows).toHaveLength(2);
    expect(rows[0].ikm_id).not.toBeNull();
    expect(rows[0].ikm_id).not.toBe(rows[1].ikm_id);
  });

  it("a visitor is sent to login with the page to come back to", async () => {
    const app = await loadApp();
    const res = await app.fetch("/teknisi");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fteknisi");
  });

  it("an IKM member gets 403 on technician, manager and admin pages", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm1@giliran.test");
    for (const path of ["/teknisi", "/manajer", "/admin"]) {
      const res = await app.fetch(path, { headers: { Cookie: cookie } });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain("Tidak diizinkan");
    }
  });

  it("a technician cannot open the manager's or admin's pages", async () => {
    const app = await loadApp();
    const cookie = await app.login("teknisi@giliran.test");
    expect((await app.fetch("/manajer", { headers: { Cookie: cookie } })).status).toBe(403);
    expect((await app.fetch("/admin", { headers: { Cookie: cookie } })).status).toBe(403);
  });

  it("a redirectTo to another site is ignored", async () => {
    const app = await loadApp();
    for (const redirectTo of ["//evil.example/x", "https://evil.example", "/\\evil.example"]) {
      const res = await app.fetch("/login", form({ login: "ikm2@giliran.test", password: "giliran-demo", redirectTo }));
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/ikm");
    }
  });

  it("logout revokes the session", async () => {
    const app = await loadApp();
    const cookie = await app.login("manajer@giliran.test");
    expect((await app.fetch("/manajer", { headers: { Cookie: cookie } })).status).toBe(200);
    const out = await app.fetch("/logout", { method: "POST", headers: { Cookie: cookie } });
    expect(out.status).toBe(302);
    expect((await app.fetch("/manajer", { headers: { Cookie: cookie } })).status).toBe(302);
    const events = await app.db.selectFrom("audit_events").select("action").where("action", "in", ["login", "logout"]).execute();
    expect(events.some((e) => e.action === "logout")).toBe(true);
  });
});

describe("bad login input gets a clear message, never a 500", () => {
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ["empty fields", { login: "", password: "" }, 400, "Silakan isi email atau nomor HP."],
    ["empty password", { login: "ikm1@giliran.test", password: "" }, 400, "Silakan isi kata sandi."],
    ["a 10 kB login", { login: "a".repeat(10_000), password: "x" }, 400, "Isian terlalu panjang."],
    ["a 10 kB password", { login: "ikm1@giliran.test", password: "p".repeat(10_000) }, 400, "Isian terlalu panjang."],
    ["unicode", { login: "Ŝëñôr😀@例え.jp", password: "ꙮꙮꙮ" }, 401, "Email/nomor HP atau kata sandi salah."],
    ["SQL-ish text", { login: "' OR 1=1; --", password: "' OR '1'='1" }, 401, "Email/nomor HP atau kata sandi salah."],
    ["HTML", { login: "<script>alert(1)</script>", password: "x" }, 401, "Email/nomor HP atau kata sandi salah."],
  ];
  for (const [index, [name, body, status, message]] of cases.entries()) {
    it(name, async () => {
      const app = await loadApp();
      // An address of its own per case (not a random one: a failure must replay the same way).
      const res = await app.fetch("/login", { ...form(body), ip: `10.9.${index + 1}.1` });
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).not.toContain("<script>alert(1)</script>");
      expect(html).not.toMatch(/at \w+ \(.*:\d+:\d+\)/);
    });
  }

  it("a missing body field is treated as empty", async () => {
    const app = await loadApp();
    const res = await app.fetch("/login", { method: "POST", body: new URLSearchParams({}) });
    expect(res.status).toBe(400);
  });
});

describe("login rate limiting", () => {
  // KNOWN WRONG, kept until the login issue ("login without lock-outs") lands: DESIGN.md now says
  // wrong passwords NEVER lock an account. After 5 failures on one account, a password login from
  // an address it has not succeeded from must answer 409 {error: {code: "code_required"}} (a
  // one-time code logs the owner in); only the failing address is slowed (429 + Retry-After).
  // That issue turns this test into that rule.
  it("locks an account after 5 failures with 429 and a clear message", async () => {
    const app = await loadApp();
    for (let i = 0; i < 5; i++) {
      const res = await app.fetch("/login", { ...form({ login: "ikm2@giliran.test", password: "wrong" }), ip: `10.1.1.${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await app.fetch("/login", { ...form({ login: "ikm2@giliran.test", password: "giliran-demo" }), ip: "10.1.1.99" });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Terlalu banyak percobaan masuk");
    expect(locked.headers.get("Retry-After")).toBeTruthy();
  });

  it("limits one address trying many accounts", async () => {
    const app = await loadApp();
    for (let i = 0; i < 30; i++) {
      await app.fetch("/login", { ...form({ login: `nobody${i}@x.test`, password: "x" }), ip: "10.2.2.2" });
    }
    const res = await app.fetch("/login", { ...form({ login: "manajer@giliran.test", password: "giliran-demo" }), ip: "10.2.2.2" });
    expect(res.status).toBe(429);
  });
});

describe("health, headers, CSRF and errors", () => {
  it("GET /healthz is 200 when the database reads and writes", async () => {
    const app = await loadApp();
    const res = await app.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", time: "2026-12-01T02:00:00.000Z" });
  });

  it("pages carry the security headers", async () => {
    const app = await loadApp();
    const res = await app.fetch("/login");
    expect(res.headers.get("Content-Security-Policy")).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("Content-Security-Policy")).toMatch(/script-src 'self' 'nonce-/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("a form post from another site is refused", async () => {
    const app = await loadApp();
    const res = await app.fetch("/login", {
      method: "POST",
      body: new URLSearchParams({ login: "ikm1@giliran.test", password: "giliran-demo" }),
      headers: { Origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });

  it("an unknown page is a friendly 404", async () => {
    const app = await loadApp();
    const res = await app.fetch("/tidak-ada-halaman");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Halaman tidak ditemukan");
  });

  it("the language switch is remembered on the user", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm1@giliran.test");
    const res = await app.fetch("/bahasa", { method: "POST", body: new URLSearchParams({ lang: "en" }), headers: { Cookie: cookie } });
    expect(res.status).toBe(302);
    const home = await app.fetch("/ikm", { headers: { Cookie: cookie } });
    const html = await home.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain("Upcoming bookings");
  });
});
