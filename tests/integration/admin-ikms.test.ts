/** IKMs: register, edit, deactivate (members can no longer book), and lifting a no-show restriction. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { IKM1, TECHNICIAN, apiCall, cookies, expectFormError, expectReadPermissions, expectWriteForbidden, freeSlot, pageText, postForm, wib } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
});

const ikmForm = (over: Record<string, string> = {}) => ({
  intent: "save",
  name: "Knalpot Mekar Jaya",
  ownerName: "Sutarno",
  nib: "9120 1234 5678 9",
  phone: "0812-2716-5500",
  address: "Desa Pesayangan RT 03/RW 02, Talang",
  sector: "Knalpot",
  ...over,
});

describe("IKM pages", () => {
  it("admin and manager read; only the admin may register or edit", async () => {
    for (const path of ["/admin/ikm", "/admin/ikm/baru", "/admin/ikm/1", "/admin/ikm?q=knalpot"]) await expectReadPermissions(app, path, c);
    await expectWriteForbidden(app, "/admin/ikm/baru", ikmForm({ nib: "1111111111111" }), c);
    await expectWriteForbidden(app, "/admin/ikm/1", ikmForm({ nib: "1111111111111" }), c);
    await expectWriteForbidden(app, "/admin/ikm/1", { intent: "deactivate" }, c);
    expect(await app.db.selectFrom("ikms").select("id").where("nib", "=", "1111111111111").executeTakeFirst()).toBeUndefined();
    expect((await app.db.selectFrom("ikms").select("active").where("id", "=", 1).executeTakeFirstOrThrow()).active).toBe(1);
  });

  it("registers an IKM: the NIB is 13 digits, the phone becomes +62…, the event is audited", async () => {
    const res = await postForm(app, "/admin/ikm/baru", c.admin, ikmForm());
    expect(res.status).toBe(302);
    const ikm = await app.db.selectFrom("ikms").selectAll().where("nib", "=", "9120123456789").executeTakeFirstOrThrow();
    expect(res.headers.get("Location")).toBe(`/admin/ikm/${ikm.id}?dibuat=1`);
    expect(ikm).toMatchObject({ name: "Knalpot Mekar Jaya", owner_name: "Sutarno", phone: "+6281227165500", active: 1, sector: "Knalpot" });
    const ev = await app.db.selectFrom("audit_events").select("action").where("entity", "=", "ikm").where("entity_id", "=", String(ikm.id)).executeTakeFirstOrThrow();
    expect(ev.action).toBe("ikm.create");
    const page = await pageText(await app.fetch(`/admin/ikm/${ikm.id}?dibuat=1`, { headers: { Cookie: c.admin } }));
    expect(page).toContain("IKM terdaftar.");
    expect(page).toContain('type="tel"');
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ["an empty name", { name: "" }, "Isi nama IKM."],
    ["an empty owner", { ownerName: " " }, "Isi nama pemilik."],
    ["a 12-digit NIB", { nib: "912012345678" }, "NIB harus tepat 13 angka."],
    ["a NIB with letters", { nib: "91201234567AB" }, "NIB harus tepat 13 angka."],
    ["a phone that is too short", { phone: "0812" }, "Nomor HP tidak valid."],
    ["a foreign phone", { phone: "+44 20 7946 0958" }, "Nomor HP tidak valid."],
    ["a too long address", { address: "x".repeat(301) }, "terlalu panjang"],
  ];
  for (const [name, over, message] of invalid) {
    it(`refuses ${name} with its message`, async () => {
      await expectFormError(await postForm(app, "/admin/ikm/baru", c.admin, ikmForm({ nib: "5550000000001", ...over })), 400, message);
      expect(await app.db.selectFrom("ikms").select("id").where("nib", "=", "5550000000001").executeTakeFirst()).toBeUndefined();
    });
  }

  it("a NIB already registered is a field error, on register and on edit", async () => {
    const taken = await app.db.selectFrom("ikms").select("nib").where("id", "=", 2).executeTakeFirstOrThrow();
    await expectFormError(await postForm(app, "/admin/ikm/baru", c.admin, ikmForm({ nib: taken.nib })), 400, "NIB ini sudah terdaftar untuk IKM lain.");
    await expectFormError(await postForm(app, "/admin/ikm/3", c.admin, ikmForm({ nib: taken.nib })), 400, "NIB ini sudah terdaftar untuk IKM lain.");
  });

  it("edits an IKM, keeping before and after in the audit log", async () => {
    const before = await app.db.selectFrom("ikms").selectAll().where("id", "=", 3).executeTakeFirstOrThrow();
    const res = await postForm(app, "/admin/ikm/3", c.admin, ikmForm({ name: before.name, ownerName: before.owner_name, nib: before.nib, phone: "+62 821 5746 9301", address: "Jl. Raya Pesayangan 12", sector: before.sector }));
    expect(res.status).toBe(302);
    const after = await app.db.selectFrom("ikms").selectAll().where("id", "=", 3).executeTakeFirstOrThrow();
    expect(after.phone).toBe("+6282157469301");
    const ev = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "ikm").where("entity_id", "=", "3").where("action", "=", "ikm.update").executeTakeFirstOrThrow();
    expect(JSON.parse(ev.before_json ?? "{}").phone).toBe(before.phone);
    expect(JSON.parse(ev.after_json ?? "{}").phone).toBe("+6282157469301");
  });
});

describe("deactivating an IKM", () => {
  it("its members can no longer book (page and API); staff cannot book for it; reactivating restores booking", async () => {
    const token = await app.apiLogin(IKM1);
    const tech = await app.apiLogin(TECHNICIAN);
    const ikmId = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", IKM1).executeTakeFirstOrThrow()).ikm_id as number;
    const machine = await app.db.selectFrom("machines").select("id").where("code", "=", "PRS-02").executeTakeFirstOrThrow();
    const slot = await freeSlot(app, token, machine.id, "2026-12-03", 60, TEST_NOW + 3 * 3600_000);
    const body = { machineId: machine.id, start: wib(slot.start), end: wib(slot.end), purpose: "Press tutup knalpot" };

    expect((await postForm(app, `/admin/ikm/${ikmId}`, c.admin, { intent: "deactivate" })).status).toBe(302);
    expect((await app.db.selectFrom("ikms").select("active").where("id", "=", ikmId).executeTakeFirstOrThrow()).active).toBe(0);
    const page = await pageText(await app.fetch(`/admin/ikm/${ikmId}?dinonaktifkan=1`, { headers: { Cookie: c.admin } }));
    expect(page).toContain("IKM ini nonaktif: anggotanya tidak dapat memesan.");

    const refused = await apiCall(app, "POST", "/api/v1/bookings", token, body);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("IKM Anda sedang dinonaktifkan, sehingga belum dapat memesan. Silakan hubungi UPTD.");
    const staff = await apiCall(app, "POST", "/api/v1/bookings", tech, { ...body, ikmId });
    expect(staff.status).toBe(400);
    const none = await app.db.selectFrom("bookings").select("id").where("machine_id", "=", machine.id).where("start_at", "=", slot.start).executeTakeFirst();
    expect(none).toBeUndefined();

    expect((await postForm(app, `/admin/ikm/${ikmId}`, c.admin, { intent: "activate" })).status).toBe(302);
    const booked = await apiCall(app, "POST", "/api/v1/bookings", token, body);
    expect(booked.status).toBe(201);
    const actions = await app.db.selectFrom("audit_events").select("action").where("entity", "=", "ikm").where("entity_id", "=", String(ikmId)).orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["ikm.deactivate", "ikm.activate"]);
  });
});

describe("lifting a no-show restriction", () => {
  it("manager lifts it with a reason: cleared, audited with the reason, the IKM notified; a technician may not", async () => {
    const restricted = await app.db.selectFrom("ikms").selectAll().where("restricted_until", ">", TEST_NOW).executeTakeFirstOrThrow();
    const page = await pageText(await app.fetch(`/admin/ikm/${restricted.id}`, { headers: { Cookie: c.manager } }));
    expect(page).toContain("IKM ini dibatasi sampai");
    expect(page).toContain("Cabut pembatasan");

    expect((await postForm(app, `/admin/ikm/${restricted.id}`, c.technician, { intent: "lift", reason: "x" })).status).toBe(403);
    expect((await postForm(app, `/admin/ikm/${restricted.id}`, c.ikm, { intent: "lift", reason: "x" })).status).toBe(403);
    await expectFormError(await postForm(app, `/admin/ikm/${restricted.id}`, c.manager, { intent: "lift", reason: "  " }), 400, "Tuliskan alasan mencabut pembatasan.");
    // The manager may lift, but not edit the IKM.
    expect((await postForm(app, `/admin/ikm/${restricted.id}`, c.manager, ikmForm())).status).toBe(403);

    const reason = "Ketidakhadiran karena banjir di Desa Kalimanah, sudah dikonfirmasi kepala desa";
    const res = await postForm(app, `/admin/ikm/${restricted.id}`, c.manager, { intent: "lift", reason });
    expect(res.status).toBe(302);
    const after = await app.db.selectFrom("ikms").selectAll().where("id", "=", restricted.id).executeTakeFirstOrThrow();
    expect(after.restricted_until).toBeNull();
    expect(after.restriction_reason).toBeNull();
    const ev = await app.db.selectFrom("audit_events").selectAll().where("action", "=", "ikm.restriction_lift").where("entity_id", "=", String(restricted.id)).executeTakeFirstOrThrow();
    expect(ev.reason).toBe(reason);
    expect(JSON.parse(ev.before_json ?? "{}").restricted_until).toBe(Number(restricted.restricted_until));
    const members = await app.db.selectFrom("users").select("id").where("ikm_id", "=", restricted.id).where("active", "=", 1).execute();
    const notes = await app.db.selectFrom("notifications").selectAll().where("kind", "=", "restriction_lifted").execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(JSON.parse(notes[0].params_json).reason).toBe(reason);

    // Not restricted any more: lifting again is a clear conflict, not a 500.
    await expectFormError(await postForm(app, `/admin/ikm/${restricted.id}`, c.manager, { intent: "lift", reason }), 409, "IKM ini tidak sedang dibatasi.");
  });
});
