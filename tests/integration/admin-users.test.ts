/** Users: create (temporary password shown once), edit, reset, deactivate (sessions revoked), last-admin protection. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { ADMIN, apiCall, cookies, expectFormError, expectReadPermissions, expectWriteForbidden, pageText, postForm } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
});

const userForm = (over: Record<string, string> = {}) => ({
  intent: "save",
  name: "Sri Lestari",
  email: "Sri.Lestari@Contoh.id",
  phone: "0857 2200 1144",
  role: "ikm",
  ikmId: "4",
  language: "id",
  ...over,
});

/** The temporary password in a page (shown once, in the dashed box). */
function passwordIn(html: string): string {
  const m = /class="admin-secret">([a-z0-9-]+)</.exec(html);
  if (!m) throw new Error("no temporary password on the page");
  return m[1];
}

describe("user pages", () => {
  it("admin and manager read; only the admin may change accounts", async () => {
    for (const path of ["/admin/pengguna", "/admin/pengguna/baru", "/admin/pengguna/5", "/admin/pengguna?peran=ikm&q=knalpot"]) await expectReadPermissions(app, path, c);
    await expectWriteForbidden(app, "/admin/pengguna/baru", userForm({ email: "nope@contoh.id", phone: "" }), c);
    await expectWriteForbidden(app, "/admin/pengguna/5", { intent: "deactivate" }, c);
    await expectWriteForbidden(app, "/admin/pengguna/5", { intent: "resetPassword" }, c);
    expect(await app.db.selectFrom("users").select("id").where("email", "=", "nope@contoh.id").executeTakeFirst()).toBeUndefined();
  });

  it("creates a member: email lower-cased, phone +62…, a temporary password shown once that logs in", async () => {
    const res = await postForm(app, "/admin/pengguna/baru", c.admin, userForm());
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await pageText(res);
    expect(html).toContain("Akun Sri Lestari dibuat.");
    expect(html).toContain("hanya ditampilkan sekali");
    const password = passwordIn(html);
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const u = await app.db.selectFrom("users").selectAll().where("email", "=", "sri.lestari@contoh.id").executeTakeFirstOrThrow();
    expect(u).toMatchObject({ name: "Sri Lestari", phone: "+6285722001144", role: "ikm", ikm_id: 4, active: 1 });
    expect(u.password_hash).not.toContain(password);
    // Never shown again: the user's page does not carry it.
    expect(await pageText(await app.fetch(`/admin/pengguna/${u.id}`, { headers: { Cookie: c.admin } }))).not.toContain(password);
    // The audit trail never holds the password hash.
    const ev = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "user").where("entity_id", "=", String(u.id)).executeTakeFirstOrThrow();
    expect(ev.action).toBe("user.create");
    expect(ev.after_json).not.toContain("password_hash");
    // Both the email and the 08… phone log in.
    await app.login("sri.lestari@contoh.id", password);
    await app.login("085722001144", password);
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ["no name", { name: "" }, "Isi nama."],
    ["neither email nor phone", { email: "", phone: "" }, "Isi email atau nomor HP (salah satu wajib, untuk masuk)."],
    ["a bad email", { email: "sri@" }, "Email tidak valid, contoh: nama@contoh.id."],
    ["a bad phone", { phone: "12345" }, "Nomor HP tidak valid."],
    ["an unknown role", { role: "boss" }, "Pilih peran."],
    ["a member without an IKM", { ikmId: "" }, "Pilih IKM untuk Anggota IKM."],
    ["an IKM that does not exist", { ikmId: "99999" }, "Pilih IKM untuk Anggota IKM."],
    ["an unknown language", { language: "jv" }, "Pilih bahasa."],
  ];
  for (const [name, over, message] of invalid) {
    it(`refuses ${name} with its message`, async () => {
      const email = `x${Math.random().toString(36).slice(2, 8)}@contoh.id`;
      await expectFormError(await postForm(app, "/admin/pengguna/baru", c.admin, userForm({ email, phone: "", ...over })), 400, message);
      expect(await app.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()).toBeUndefined();
    });
  }

  it("an email or phone already used is a field error (create and edit)", async () => {
    await expectFormError(await postForm(app, "/admin/pengguna/baru", c.admin, userForm({ email: "IKM2@giliran.test", phone: "" })), 400, "Email ini sudah dipakai akun lain.");
    await expectFormError(await postForm(app, "/admin/pengguna/baru", c.admin, userForm({ email: "", phone: "0813 2700 1001" })), 400, "Nomor HP ini sudah dipakai akun lain.");
    await expectFormError(await postForm(app, "/admin/pengguna/6", c.admin, userForm({ name: "Rina Wulandari", email: "ikm1@giliran.test", phone: "", ikmId: "2" })), 400, "Email ini sudah dipakai akun lain.");
  });

  it("a technician needs no IKM; any IKM posted with a staff role is dropped", async () => {
    const res = await postForm(app, "/admin/pengguna/baru", c.admin, userForm({ name: "Joko Teknisi", email: "joko@contoh.id", phone: "", role: "technician", ikmId: "4" }));
    expect(res.status).toBe(200);
    expect(await app.db.selectFrom("users").select(["role", "ikm_id"]).where("email", "=", "joko@contoh.id").executeTakeFirstOrThrow()).toEqual({ role: "technician", ikm_id: null });
  });
});

describe("reset, deactivate, reactivate", () => {
  it("deactivation revokes every cookie session and API token at once; reactivation lets the user log in again", async () => {
    const cookieA = await app.login("ikm2@giliran.test");
    const cookieB = await app.login("ikm2@giliran.test");
    const token = await app.apiLogin("ikm2@giliran.test");
    const id = (await app.db.selectFrom("users").select("id").where("email", "=", "ikm2@giliran.test").executeTakeFirstOrThrow()).id;
    expect((await app.fetch("/ikm", { headers: { Cookie: cookieA } })).status).toBe(200);
    expect(await pageText(await app.fetch(`/admin/pengguna/${id}`, { headers: { Cookie: c.admin } }))).toMatch(/Sesi masuk yang aktif: [3-9]/);

    const res = await postForm(app, `/admin/pengguna/${id}`, c.admin, { intent: "deactivate" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/pengguna/${id}?dinonaktifkan=1`);
    const live = await app.db.selectFrom("sessions").select("id").where("user_id", "=", id).where("revoked_at", "is", null).execute();
    expect(live).toEqual([]);
    for (const cookie of [cookieA, cookieB]) {
      const page = await app.fetch("/ikm", { headers: { Cookie: cookie } });
      expect(page.status).toBe(302);
      expect(page.headers.get("Location")).toMatch(/^\/login/);
    }
    expect((await apiCall(app, "GET", "/api/v1/bookings", token)).status).toBe(401);
    const login = await app.fetch("/login", { method: "POST", body: new URLSearchParams({ login: "ikm2@giliran.test", password: "giliran-demo" }) });
    expect(login.status).toBe(401);
    const ev = await app.db.selectFrom("audit_events").selectAll().where("action", "=", "user.deactivate").where("entity_id", "=", String(id)).executeTakeFirstOrThrow();
    expect(ev.reason).toBe("sessions revoked");

    expect((await postForm(app, `/admin/pengguna/${id}`, c.admin, { intent: "activate" })).status).toBe(302);
    await app.login("ikm2@giliran.test");
    await expectFormError(await postForm(app, `/admin/pengguna/${id}`, c.admin, { intent: "activate" }), 409, "Akun ini sudah aktif.");
  });

  it("a password reset shows a new temporary password once, the old one stops working, sessions end", async () => {
    const id = (await app.db.selectFrom("users").select("id").where("email", "=", "teknisi2@giliran.test").executeTakeFirstOrThrow()).id;
    const old = await app.login("teknisi2@giliran.test");
    const res = await postForm(app, `/admin/pengguna/${id}`, c.admin, { intent: "resetPassword" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const password = passwordIn(await pageText(res));
    expect((await app.fetch("/teknisi", { headers: { Cookie: old } })).status).toBe(302);
    const refused = await app.fetch("/login", { method: "POST", body: new URLSearchParams({ login: "teknisi2@giliran.test", password: "giliran-demo" }), ip: "10.77.0.1" });
    expect(refused.status).toBe(401);
    await app.login("teknisi2@giliran.test", password);
    const ev = await app.db.selectFrom("audit_events").selectAll().where("action", "=", "user.reset_password").where("entity_id", "=", String(id)).executeTakeFirstOrThrow();
    expect(`${ev.before_json}${ev.after_json}`).not.toContain("scrypt");
  });
});

describe("the last active admin", () => {
  it("cannot be deactivated or demoted; once a second admin exists, the first can be", async () => {
    const admin = await app.db.selectFrom("users").selectAll().where("email", "=", ADMIN).executeTakeFirstOrThrow();
    const demote = userForm({ name: admin.name, email: ADMIN, phone: "", role: "manager", ikmId: "" });
    await expectFormError(await postForm(app, `/admin/pengguna/${admin.id}`, c.admin, demote), 400, "Ini admin aktif terakhir: tambahkan admin lain dulu sebelum mengubah peran atau menonaktifkannya.");
    await expectFormError(await postForm(app, `/admin/pengguna/${admin.id}`, c.admin, { intent: "deactivate" }), 400, "Ini admin aktif terakhir");
    expect(await app.db.selectFrom("users").select(["role", "active"]).where("id", "=", admin.id).executeTakeFirstOrThrow()).toEqual({ role: "admin", active: 1 });
    // Still an admin, still logged in.
    expect((await app.fetch("/admin", { headers: { Cookie: c.admin } })).status).toBe(200);

    // A second admin.
    const created = await postForm(app, "/admin/pengguna/baru", c.admin, userForm({ name: "Admin Cadangan", email: "admin2@contoh.id", phone: "", role: "admin", ikmId: "" }));
    const password = passwordIn(await pageText(created));
    const second = await app.login("admin2@contoh.id", password);
    // Now the first admin can be demoted (by the second), and the second is the last one.
    expect((await postForm(app, `/admin/pengguna/${admin.id}`, second, demote)).status).toBe(302);
    expect((await app.db.selectFrom("users").select("role").where("id", "=", admin.id).executeTakeFirstOrThrow()).role).toBe("manager");
    const secondId = (await app.db.selectFrom("users").select("id").where("email", "=", "admin2@contoh.id").executeTakeFirstOrThrow()).id;
    await expectFormError(await postForm(app, `/admin/pengguna/${secondId}`, second, { intent: "deactivate" }), 400, "Ini admin aktif terakhir");
    // Put the demo admin back.
    expect((await postForm(app, `/admin/pengguna/${admin.id}`, second, { ...demote, role: "admin" })).status).toBe(302);
  });
});
