/** Qualifications (who may operate which machine type until when) and the read-only audit log. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { cookies, expectFormError, expectReadPermissions, expectWriteForbidden, pageText, postForm } from "./admin-helpers";

let app: TestApp;
/** The page without its scripts (the loader data in them keeps the stored codes). */
const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "");
let c: Awaited<ReturnType<typeof cookies>>;
let cncType: number;
let memberId: number;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
  cncType = (await app.db.selectFrom("machine_types").select("id").where("code", "=", "CNC_MILL").executeTakeFirstOrThrow()).id;
  memberId = (await app.db.selectFrom("users").select("id").where("email", "=", "ikm2@giliran.test").executeTakeFirstOrThrow()).id;
});

describe("qualifications", () => {
  it("admin and manager read; only the admin records, ends or removes", async () => {
    await expectReadPermissions(app, "/admin/kualifikasi", c);
    await expectWriteForbidden(app, "/admin/kualifikasi", { intent: "add", userId: String(memberId), machineTypeId: String(cncType), validUntil: "2027-06-30", notes: "" }, c);
    await expectWriteForbidden(app, "/admin/kualifikasi", { intent: "expire", id: "1" }, c);
    await expectWriteForbidden(app, "/admin/kualifikasi", { intent: "remove", id: "1" }, c);
    expect(await app.db.selectFrom("qualifications").select("id").where("user_id", "=", memberId).where("machine_type_id", "=", cncType).execute()).toEqual([]);
  });

  it("records one valid through a date (to the next local midnight), listed as valid; expired ones are marked", async () => {
    const res = await postForm(app, "/admin/kualifikasi", c.admin, { intent: "add", userId: String(memberId), machineTypeId: String(cncType), validUntil: "2027-06-30", notes: "Pelatihan frais CNC angkatan 4" });
    expect(res.status).toBe(302);
    const q = await app.db.selectFrom("qualifications").selectAll().where("user_id", "=", memberId).where("machine_type_id", "=", cncType).executeTakeFirstOrThrow();
    expect(Number(q.valid_until)).toBe(Date.parse("2027-07-01T00:00:00+07:00"));
    const text = await pageText(await app.fetch("/admin/kualifikasi", { headers: { Cookie: c.manager } }));
    expect(text).toContain("Berlaku s.d. 30/06/2027");
    // The demo has an expired qualification: it is listed and marked, in words.
    expect(text).toContain("Kedaluwarsa");
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ["no person", { userId: "" }, "Pilih orang (akun aktif)."],
    ["an unknown person", { userId: "99999" }, "Pilih orang (akun aktif)."],
    ["no machine type", { machineTypeId: "" }, "Pilih jenis mesin."],
    ["an unknown machine type", { machineTypeId: "99999" }, "Pilih jenis mesin."],
    ["a date in the past", { validUntil: "2026-11-30" }, "Tanggal berlaku tidak boleh sebelum hari ini."],
    ["not a date", { validUntil: "besok" }, "harus berupa tanggal YYYY-MM-DD"],
  ];
  for (const [name, over, message] of invalid) {
    it(`refuses ${name} with its message`, async () => {
      const before = await app.db.selectFrom("qualifications").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      await expectFormError(await postForm(app, "/admin/kualifikasi", c.admin, { intent: "add", userId: String(memberId), machineTypeId: String(cncType), validUntil: "2027-01-31", notes: "", ...over }), 400, message);
      expect(await app.db.selectFrom("qualifications").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).toEqual(before);
    });
  }

  it("ends one now (it stays, expired) and removes another (kept in the audit log)", async () => {
    const q = await app.db.selectFrom("qualifications").selectAll().where("user_id", "=", memberId).where("machine_type_id", "=", cncType).executeTakeFirstOrThrow();
    expect((await postForm(app, "/admin/kualifikasi", c.admin, { intent: "expire", id: String(q.id) })).status).toBe(302);
    expect(Number((await app.db.selectFrom("qualifications").select("valid_until").where("id", "=", q.id).executeTakeFirstOrThrow()).valid_until)).toBe(TEST_NOW);
    await expectFormError(await postForm(app, "/admin/kualifikasi", c.admin, { intent: "expire", id: String(q.id) }), 409, "Kualifikasi ini sudah kedaluwarsa.");
    expect((await postForm(app, "/admin/kualifikasi", c.admin, { intent: "remove", id: String(q.id) })).status).toBe(302);
    expect(await app.db.selectFrom("qualifications").select("id").where("id", "=", q.id).executeTakeFirst()).toBeUndefined();
    const actions = await app.db.selectFrom("audit_events").select("action").where("entity", "=", "qualification").where("entity_id", "=", String(q.id)).orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["qualification.create", "qualification.expire", "qualification.delete"]);
    expect((await postForm(app, "/admin/kualifikasi", c.admin, { intent: "remove", id: String(q.id) })).status).toBe(404);
  });
});

describe("the audit log", () => {
  it("is read-only: admin and manager read it, others 403, a POST is refused", async () => {
    await expectReadPermissions(app, "/admin/audit", c);
    const post = await postForm(app, "/admin/audit", c.admin, { x: "1" });
    expect(post.status).toBe(405);
  });

  it("shows who changed which record, with the changed fields before and after, filterable by record", async () => {
    const ikm = await app.db.selectFrom("ikms").selectAll().where("id", "=", 5).executeTakeFirstOrThrow();
    const res = await postForm(app, "/admin/ikm/5", c.admin, { intent: "save", name: ikm.name, ownerName: "Hadi Santoso Wibowo", nib: ikm.nib, phone: ikm.phone, address: ikm.address, sector: ikm.sector });
    expect(res.status).toBe(302);
    const text = await pageText(await app.fetch("/admin/audit?entitas=ikm&id=5", { headers: { Cookie: c.manager } }));
    // In words (issue 28): the action, the record by its name, the field names.
    expect(text).toContain("Data IKM diubah");
    expect(visible(text)).not.toContain("ikm.update");
    expect(text).toContain(`IKM #5 · ${ikm.name}`);
    expect(text).toContain("Admin Giliran (Admin)");
    expect(text).toContain('<th scope="row">Nama pemilik</th>');
    expect(visible(text)).not.toContain("owner_name");
    expect(text).toContain(ikm.owner_name);
    expect(text).toContain("Hadi Santoso Wibowo");
    // Only the changed fields of an update (the NIB did not change, nor the bookkeeping time).
    expect(text).not.toContain('<th scope="row">NIB</th>');
    expect(text).not.toContain('<th scope="row">Diubah pada</th>');
    const other = await pageText(await app.fetch("/admin/audit?entitas=ikm&id=6", { headers: { Cookie: c.manager } }));
    expect(other).not.toContain("Hadi Santoso Wibowo");
  });

  it("names related records by code and name, never by a bare id, and translates known values (issue 28)", async () => {
    const token = await app.apiLogin("teknisi@giliran.test");
    const prs = await app.db.selectFrom("machines").select(["id", "code", "name"]).where("code", "=", "PRS-02").executeTakeFirstOrThrow();
    const ikm = await app.db.selectFrom("ikms").select(["id", "name"]).where("id", "=", 5).executeTakeFirstOrThrow();
    // A free hour on PRS-02 some days ahead, from its availability.
    const from = new Date(TEST_NOW + 5 * 86_400_000).toISOString();
    const to = new Date(TEST_NOW + 12 * 86_400_000).toISOString();
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const avail = (await (await app.fetch(`/api/v1/machines/${prs.id}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers: auth })).json()) as { free: Array<{ start: string; end: string }> };
    const slot = avail.free.find((x) => Date.parse(x.end) - Date.parse(x.start) >= 3_600_000) as { start: string };
    const res = await app.fetch("/api/v1/bookings", { method: "POST", headers: auth, body: JSON.stringify({ machineId: prs.id, ikmId: ikm.id, start: slot.start, end: new Date(Date.parse(slot.start) + 3_600_000).toISOString(), purpose: "Cetak flange", overrideReason: "uji jejak audit" }) });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    const id = (body as { booking: { id: number } }).booking.id;
    const text = await pageText(await app.fetch(`/admin/audit?entitas=booking&id=${id}`, { headers: { Cookie: c.admin } }));
    expect(text).toContain("Pemesanan dibuat");
    expect(text).toContain(`Pemesanan #${id} · ${prs.code} · ${prs.name} · ${ikm.name}`);
    expect(text).toContain(`<th scope="row">Mesin</th><td><strong>${prs.code} · ${prs.name}</strong>`);
    expect(text).toContain(`<th scope="row">IKM</th><td><strong>${ikm.name}</strong>`);
    expect(text).toContain('<th scope="row">Status</th><td>Terkonfirmasi</td>');
    for (const raw of ["machine_id", "ikm_id", "booked_by", "booking.create"]) expect(visible(text)).not.toContain(raw);
  });

  it("pages 50 events at a time, newest first, and filters by user and date range", async () => {
    const actor = (await app.db.selectFrom("users").select("id").where("email", "=", "teknisi2@giliran.test").executeTakeFirstOrThrow()).id;
    const base = Date.parse("2026-11-20T10:00:00+07:00");
    await app.db
      .insertInto("audit_events")
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          actor_user_id: actor,
          action: "test.event",
          entity: "paging",
          entity_id: String(i + 1),
          before_json: null,
          after_json: JSON.stringify({ n: i + 1 }),
          reason: null,
          request_id: null,
          created_at: base + i * 60_000,
        })),
      )
      .execute();
    const page1 = await pageText(await app.fetch(`/admin/audit?entitas=paging&oleh=${actor}`, { headers: { Cookie: c.admin } }));
    const ids1 = [...page1.matchAll(/paging #(\d+)</g)].map((m) => Number(m[1]));
    expect(ids1).toHaveLength(50);
    expect(ids1[0]).toBe(60);
    expect(ids1[49]).toBe(11);
    expect(page1).toContain("Lebih lama");
    const page2 = await pageText(await app.fetch(`/admin/audit?entitas=paging&oleh=${actor}&hal=2`, { headers: { Cookie: c.admin } }));
    expect([...page2.matchAll(/paging #(\d+)</g)].map((m) => Number(m[1]))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(page2).toContain("Lebih baru");
    expect(page2).not.toContain("Lebih lama");
    // A date range: all 60 are on 20 November; none on the 21st.
    expect(await pageText(await app.fetch("/admin/audit?entitas=paging&dari=2026-11-21&sampai=2026-11-30", { headers: { Cookie: c.admin } }))).toContain("Tidak ada kejadian yang cocok.");
    const day = await pageText(await app.fetch("/admin/audit?entitas=paging&dari=2026-11-20&sampai=2026-11-20&hal=2", { headers: { Cookie: c.admin } }));
    expect([...day.matchAll(/paging #(\d+)</g)]).toHaveLength(10);
    // Another user: none of them.
    expect(await pageText(await app.fetch("/admin/audit?entitas=paging&oleh=1", { headers: { Cookie: c.admin } }))).toContain("Tidak ada kejadian yang cocok.");
    // A bad filter is named, not a 500.
    const bad = await app.fetch("/admin/audit?dari=2026-02-30", { headers: { Cookie: c.admin } });
    expect(bad.status).toBe(200);
    expect(await pageText(bad)).toContain("harus berupa tanggal YYYY-MM-DD");
  });
});
