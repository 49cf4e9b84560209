/**
 * Machines, machine types, the rule-change impact check, and the machine API
 * (POST /api/v1/machines, GET/PATCH /api/v1/machines/:id), through the real handler.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { expectDocumented } from "../support/contract";
import { ADMIN, TECHNICIAN, apiCall, cookies, expectFormError, expectReadPermissions, expectWriteForbidden, pageText, postForm } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;
let pressType: number;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
  pressType = (await app.db.selectFrom("machine_types").select("id").where("code", "=", "PRESS").executeTakeFirstOrThrow()).id;
});

function machineForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    code: "prs-09",
    name: "Press Hidrolik 30 Ton",
    typeId: String(pressType),
    status: "active",
    location: "Bengkel B",
    description: "Press kecil untuk tutup knalpot.",
    slotMinutes: "",
    minMinutes: "",
    maxMinutes: "240",
    bufferMinutes: "",
    noticeMinutes: "",
    horizonDays: "",
    weeklyQuotaHours: "12",
    maxActiveBookings: "",
    billingIncrementMinutes: "",
    operatorMode: "self",
    allocationMode: "first_come",
    hourlyRate: "Rp 65.000",
    tariffFrom: "2026-12-01",
    ...over,
  };
}

describe("machine pages: permissions", () => {
  it("admin and manager read every machine page; technician and IKM member get 403", async () => {
    for (const path of ["/admin", "/admin/mesin", "/admin/mesin/baru", "/admin/mesin/1"]) await expectReadPermissions(app, path, c);
  });

  it("the manager sees the forms without a submit button", async () => {
    const res = await app.fetch("/admin/mesin/1", { headers: { Cookie: c.manager } });
    const text = await pageText(res);
    expect(text).toContain("hanya admin yang dapat mengubahnya");
    expect(text).not.toContain("Simpan tarif");
    expect(text).toMatch(/<fieldset[^>]*disabled/);
  });

  it("only an admin may post: manager, technician and IKM member get 403 and nothing is written", async () => {
    const before = await app.db.selectFrom("machines").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    await expectWriteForbidden(app, "/admin/mesin/baru", machineForm({ code: "NOPE-01" }), c);
    await expectWriteForbidden(app, "/admin/mesin/1", { intent: "save", ...machineForm({ code: "PRS-01", name: "x" }) }, c);
    await expectWriteForbidden(app, "/admin/mesin", { intent: "addType", code: "NOPE", name: "Nope" }, c);
    const after = await app.db.selectFrom("machines").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await app.db.selectFrom("machine_types").select("id").where("code", "=", "NOPE").execute()).length).toBe(0);
  });
});

describe("creating a machine", () => {
  it("a valid form creates the machine, its first tariff and an audit event", async () => {
    const res = await postForm(app, "/admin/mesin/baru", c.admin, machineForm());
    expect(res.status).toBe(302);
    const m = await app.db.selectFrom("machines").selectAll().where("code", "=", "PRS-09").executeTakeFirstOrThrow();
    expect(res.headers.get("Location")).toBe(`/admin/mesin/${m.id}?dibuat=1`);
    expect(m).toMatchObject({ name: "Press Hidrolik 30 Ton", type_id: pressType, status: "active", max_minutes: 240, weekly_quota_minutes: 720, slot_minutes: null, min_minutes: null });
    const tariffs = await app.db.selectFrom("machine_tariffs").selectAll().where("machine_id", "=", m.id).execute();
    expect(tariffs).toHaveLength(1);
    expect(Number(tariffs[0].hourly_rate)).toBe(65000);
    // Local midnight of 1 December 2026 in WIB.
    expect(Number(tariffs[0].effective_from)).toBe(Date.parse("2026-12-01T00:00:00+07:00"));
    const ev = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "machine").where("entity_id", "=", String(m.id)).executeTakeFirstOrThrow();
    expect(ev.action).toBe("machine.create");
    expect(JSON.parse(ev.after_json ?? "{}").code).toBe("PRS-09");

    const page = await app.fetch(`/admin/mesin/${m.id}?dibuat=1`, { headers: { Cookie: c.admin } });
    const text = await pageText(page);
    expect(text).toContain("Mesin baru tersimpan.");
    expect(text).toContain("Kosongkan untuk memakai default: 30 menit");
    expect(text).toContain("Rp65.000");
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ["empty code", { code: "" }, "Isi kode mesin."],
    ["code with spaces", { code: "CNC 04!" }, "Kode hanya boleh huruf, angka, - dan _, paling banyak 20 karakter."],
    ["empty name", { name: "  " }, "Isi nama mesin."],
    ["no type", { typeId: "" }, "Pilih jenis mesin."],
    ["unknown type", { typeId: "9999" }, "Pilih jenis mesin."],
    ["bad status", { status: "broken" }, "Pilih status: aktif, dalam perawatan atau dipensiunkan."],
    ["slot that does not divide a day", { slotMinutes: "7" }, "Slot waktu harus 5–240 menit dan membagi habis 24 jam"],
    ["minimum as text", { minMinutes: "setengah jam" }, "Durasi minimum harus bilangan bulat 5–1440 menit."],
    ["maximum too long", { maxMinutes: "9999" }, "Durasi maksimum harus bilangan bulat 5–2880 menit."],
    ["negative buffer", { bufferMinutes: "-5" }, "Jeda harus bilangan bulat 0–480 menit."],
    ["notice beyond a week", { noticeMinutes: "20000" }, "Isi bilangan bulat 0–10080 menit"],
    ["horizon zero", { horizonDays: "0" }, "Isi bilangan bulat 1–365 hari."],
    ["quota as text", { weeklyQuotaHours: "banyak" }, "Kuota harus antara 0,5 dan 168 jam per minggu."],
    ["max active zero", { maxActiveBookings: "0" }, "Isi bilangan bulat 1–500."],
    ["billing increment fractional", { billingIncrementMinutes: "7.5" }, "Kelipatan penagihan harus bilangan bulat 1–240 menit."],
    ["rate as text", { hourlyRate: "mahal" }, "Isi tarif dalam rupiah, bilangan bulat 0–100.000.000."],
    ["tariff date not a date", { tariffFrom: "2026-02-30" }, "harus berupa tanggal YYYY-MM-DD"],
    ["minimum above maximum", { minMinutes: "300", maxMinutes: "120" }, "Durasi maksimum (120 menit) tidak boleh lebih pendek dari durasi minimum (300 menit)."],
    ["minimum shorter than the slot", { slotMinutes: "60", minMinutes: "30" }, "Durasi minimum (30 menit) tidak boleh lebih pendek dari slot waktu (60 menit)."],
    ["bad operator mode", { operatorMode: "robot" }, "Pilih cara pengoperasian."],
    ["bad allocation mode", { allocationMode: "lottery" }, "Pilih cara pembagian."],
    [
      "machine hours: end before start",
      { customHours: "on", "hours.1.0.start": "12:00", "hours.1.0.end": "08:00" },
      "Jam selesai harus setelah jam mulai.",
    ],
    [
      "machine hours: overlapping periods",
      { customHours: "on", "hours.2.0.start": "08:00", "hours.2.0.end": "12:00", "hours.2.1.start": "11:00", "hours.2.1.end": "14:00" },
      "Periode buka tidak boleh bertumpuk.",
    ],
    ["machine hours: not a time", { customHours: "on", "hours.3.0.start": "8 pagi", "hours.3.0.end": "12:00" }, "Jam tidak valid; gunakan format 07:30."],
  ];
  for (const [name, over, message] of invalid) {
    it(`refuses ${name} with its message, writing nothing`, async () => {
      const code = `BAD-${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
      const res = await postForm(app, "/admin/mesin/baru", c.admin, machineForm({ code, ...over }));
      const text = await expectFormError(res, 400, message);
      expect(text).toMatch(/aria-invalid="true"/);
      expect(await app.db.selectFrom("machines").select("id").where("code", "=", code).executeTakeFirst()).toBeUndefined();
    });
  }

  it("a machine code already in use is a field error, not a 500", async () => {
    const res = await postForm(app, "/admin/mesin/baru", c.admin, machineForm({ code: "cnc-01" }));
    await expectFormError(res, 400, "Kode mesin ini sudah dipakai mesin lain.");
  });

  it("per-machine opening hours are stored as a narrowing, blank rows ignored", async () => {
    const hours: Record<string, string> = { customHours: "on" };
    for (const d of ["1", "2", "3", "4", "5"]) Object.assign(hours, { [`hours.${d}.0.start`]: "08:00", [`hours.${d}.0.end`]: "12:00" });
    Object.assign(hours, { "hours.6.closed": "on", "hours.7.closed": "on", "hours.6.0.start": "08:00", "hours.6.0.end": "10:00" });
    const res = await postForm(app, "/admin/mesin/baru", c.admin, machineForm({ code: "PRS-10", ...hours }));
    expect(res.status).toBe(302);
    const m = await app.db.selectFrom("machines").select("hours_json").where("code", "=", "PRS-10").executeTakeFirstOrThrow();
    expect(JSON.parse(m.hours_json ?? "null")).toEqual({
      1: [{ start: "08:00", end: "12:00" }],
      2: [{ start: "08:00", end: "12:00" }],
      3: [{ start: "08:00", end: "12:00" }],
      4: [{ start: "08:00", end: "12:00" }],
      5: [{ start: "08:00", end: "12:00" }],
      6: [],
      7: [],
    });
  });
});

describe("machine types", () => {
  it("adds a type; a taken code and an empty name are field errors", async () => {
    const ok = await postForm(app, "/admin/mesin", c.admin, { intent: "addType", code: "laser", name: "Pemotong Laser Serat", description: "" });
    expect(ok.status).toBe(200);
    expect(await pageText(ok)).toContain('Jenis mesin "Pemotong Laser Serat" tersimpan.');
    expect(await app.db.selectFrom("machine_types").select("name").where("code", "=", "LASER").executeTakeFirst()).toEqual({ name: "Pemotong Laser Serat" });
    await expectFormError(await postForm(app, "/admin/mesin", c.admin, { intent: "addType", code: "PRESS", name: "Dobel" }), 400, "Kode jenis ini sudah dipakai.");
    await expectFormError(await postForm(app, "/admin/mesin", c.admin, { intent: "addType", code: "XYZ", name: "" }), 400, "Isi nama jenis mesin.");
    await expectFormError(await postForm(app, "/admin/mesin", c.admin, { intent: "addType", code: "a b", name: "Spasi" }), 400, "Kode jenis hanya boleh huruf");
  });
});

/** Future slot-holding bookings of a machine and their durations in minutes. */
async function futureBookings(machineId: number) {
  const rows = await app.db
    .selectFrom("bookings")
    .select(["id", "start_at", "end_at"])
    .where("machine_id", "=", machineId)
    .where("start_at", ">", TEST_NOW)
    .where("status", "in", ["pending", "confirmed", "checked_in"])
    .execute();
  return rows.map((r) => ({ id: r.id, minutes: (Number(r.end_at) - Number(r.start_at)) / 60000 }));
}

describe("changing a rule shows the future bookings it would break, before saving", () => {
  it("counts exactly the bookings the new maximum makes too long; saves only on confirm; then flags them", async () => {
    const m = await app.db.selectFrom("machines").selectAll().where("code", "=", "BND-01").executeTakeFirstOrThrow();
    const future = await futureBookings(m.id);
    const tooLong = future.filter((b) => b.minutes > 60);
    expect(future.length).toBeGreaterThan(0);
    expect(tooLong.length).toBeGreaterThan(0);

    // Only the name changes: nothing breaks, saved at once.
    const page = await app.fetch(`/admin/mesin/${m.id}`, { headers: { Cookie: c.admin } });
    expect(await pageText(page)).toContain("Semua pemesanan mendatang sesuai dengan aturan mesin saat ini.");
    const base = machineForm({ code: m.code, name: m.name, typeId: String(m.type_id), maxMinutes: "", weeklyQuotaHours: "", hourlyRate: "", tariffFrom: "" });
    const rename = await postForm(app, `/admin/mesin/${m.id}`, c.admin, { intent: "save", ...base, name: "Tekuk Plat Hidrolik 3 meter" });
    expect(rename.status).toBe(302);
    expect(rename.headers.get("Location")).toBe(`/admin/mesin/${m.id}?disimpan=1`);

    // Maximum 60 minutes: the preview lists every longer booking, and nothing is written yet.
    const form = { intent: "save", ...base, name: "Tekuk Plat Hidrolik 3 meter", maxMinutes: "60" };
    const preview = await postForm(app, `/admin/mesin/${m.id}`, c.admin, form);
    expect(preview.status).toBe(200);
    const text = await pageText(preview);
    expect(text).toContain(`Perubahan ini membuat ${tooLong.length} pemesanan mendatang tidak sesuai aturan.`);
    for (const b of tooLong) expect(text).toContain(`(#${b.id})`);
    expect(text).toContain("Durasi terlalu panjang: maksimal 1 jam untuk mesin ini.");
    expect((await app.db.selectFrom("machines").select("max_minutes").where("id", "=", m.id).executeTakeFirstOrThrow()).max_minutes).toBeNull();

    // "Save anyway" carries the token of exactly this change.
    const token = /name="confirm" value="([0-9a-f]+)"/.exec(text)?.[1];
    expect(token).toBeTruthy();
    const wrong = await postForm(app, `/admin/mesin/${m.id}`, c.admin, { ...form, maxMinutes: "30", confirm: token as string });
    expect(wrong.status).toBe(200); // a different change needs its own confirmation
    expect((await app.db.selectFrom("machines").select("max_minutes").where("id", "=", m.id).executeTakeFirstOrThrow()).max_minutes).toBeNull();
    const saved = await postForm(app, `/admin/mesin/${m.id}`, c.admin, { ...form, confirm: token as string });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/admin/mesin/${m.id}?disimpan=1&terdampak=${tooLong.length}`);
    expect((await app.db.selectFrom("machines").select("max_minutes").where("id", "=", m.id).executeTakeFirstOrThrow()).max_minutes).toBe(60);

    // The bookings stay, and the machine page flags them (computed, nothing stored).
    expect(await futureBookings(m.id)).toEqual(future);
    const after = await pageText(await app.fetch(`/admin/mesin/${m.id}`, { headers: { Cookie: c.manager } }));
    expect(after).toContain(`${tooLong.length} pemesanan mendatang tidak lagi sesuai aturan baru.`);
    const ev = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "machine").where("entity_id", "=", String(m.id)).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(ev.before_json ?? "{}").max_minutes).toBeNull();
    expect(JSON.parse(ev.after_json ?? "{}").max_minutes).toBe(60);
    expect(ev.reason).toContain(`berdampak pada ${tooLong.length} pemesanan mendatang`);
  });

  it("retiring a machine with future bookings lists all of them (the machine becomes unavailable)", async () => {
    const m = await app.db.selectFrom("machines").selectAll().where("code", "=", "SBL-01").executeTakeFirstOrThrow();
    const future = await futureBookings(m.id);
    const base = machineForm({ code: m.code, name: m.name, typeId: String(m.type_id), maxMinutes: "", weeklyQuotaHours: "", hourlyRate: "", tariffFrom: "" });
    const preview = await postForm(app, `/admin/mesin/${m.id}`, c.admin, { intent: "save", ...base, status: "retired" });
    const text = await pageText(preview);
    expect(text).toContain(`Perubahan ini membuat ${future.length} pemesanan mendatang tidak sesuai aturan.`);
    expect(text).toContain("Mesin sedang tidak tersedia untuk dipesan.");
  });
});

/** An API call whose status and body must be as the OpenAPI document says. */
async function documented(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await apiCall(app, method, path, token, body);
  return { status: res.status, body: await expectDocumented(method, path, res) };
}

describe("the machine API", () => {
  it("POST /api/v1/machines: admin creates (201), others 403, bad input 400 with every field, a taken code 400 on code", async () => {
    const admin = await app.apiLogin(ADMIN);
    const tech = await app.apiLogin(TECHNICIAN);
    const body = { code: "WLD-09", name: "Las Listrik 200 A", typeId: pressType, hourlyRate: 25000, tariffFrom: "2026-12-02", maxMinutes: 180, requiresApproval: true, operatorMode: "both" };
    expect((await documented("POST", "/api/v1/machines", tech, body)).status).toBe(403);
    const res = await apiCall(app, "POST", "/api/v1/machines", admin, body);
    expect(res.status).toBe(201);
    const { machine } = (await expectDocumented("POST", "/api/v1/machines", res)) as { machine: Record<string, unknown> };
    expect(machine).toMatchObject({ code: "WLD-09", maxMinutes: 180, requiresApproval: true, operatorMode: "both", settings: { maxMinutes: 180, slotMinutes: null } });
    expect(res.headers.get("Location")).toBe(`/api/v1/machines/${machine.id}`);

    const bad = await documented("POST", "/api/v1/machines", admin, { code: "", name: "", typeId: "x", slotMinutes: 7, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(["code", "name", "typeId", "slotMinutes", "extra"]));

    const dup = await documented("POST", "/api/v1/machines", admin, { ...body, code: "wld-09" });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields).toEqual([{ field: "code", message: "Kode mesin ini sudah dipakai mesin lain." }]);
  });

  it("GET /api/v1/machines/:id for any user; 404 for an unknown id", async () => {
    const ikm = await app.apiLogin("ikm2@giliran.test");
    const res = await documented("GET", "/api/v1/machines/1", ikm);
    expect(res.status).toBe(200);
    expect(res.body.machine.code).toBe("PRS-01");
    expect((await documented("GET", "/api/v1/machines/99999", ikm)).status).toBe(404);
    expect((await documented("GET", "/api/v1/machines/abc", ikm)).status).toBe(400);
  });

  it("PATCH /api/v1/machines/:id: 409 listing the bookings a rule change breaks; confirmAffected saves; manager 403", async () => {
    const admin = await app.apiLogin(ADMIN);
    const manager = await app.apiLogin("manajer@giliran.test");
    const m = await app.db.selectFrom("machines").selectAll().where("code", "=", "CUT-01").executeTakeFirstOrThrow();
    expect((await documented("PATCH", `/api/v1/machines/${m.id}`, manager, { name: "x" })).status).toBe(403);
    const future = await futureBookings(m.id);
    const longer = future.filter((b) => b.minutes > 30);
    expect(longer.length).toBeGreaterThan(0);

    const refused = await documented("PATCH", `/api/v1/machines/${m.id}`, admin, { maxMinutes: 30 });
    expect(refused.status).toBe(409);
    const body = refused.body as { error: { code: string; details: { bookings: Array<{ id: number; violations: Array<{ code: string }> }> } } };
    expect(body.error.code).toBe("rules_affect_bookings");
    expect(body.error.details.bookings.map((b) => b.id).sort()).toEqual(longer.map((b) => b.id).sort());
    expect(body.error.details.bookings.every((b) => b.violations.every((v) => v.code === "TOO_LONG"))).toBe(true);
    expect((await app.db.selectFrom("machines").select("max_minutes").where("id", "=", m.id).executeTakeFirstOrThrow()).max_minutes).toBe(m.max_minutes);

    const ok = await documented("PATCH", `/api/v1/machines/${m.id}`, admin, { maxMinutes: 30, confirmAffected: true });
    expect(ok.status).toBe(200);
    const saved = ok.body as { machine: { maxMinutes: number; settings: { maxMinutes: number } }; affectedBookings: unknown[] };
    expect(saved.machine.maxMinutes).toBe(30);
    expect(saved.affectedBookings).toHaveLength(longer.length);

    // null resets a rule to the facility default; a harmless change needs no confirmation.
    const reset = await documented("PATCH", `/api/v1/machines/${m.id}`, admin, { maxMinutes: null, description: "Plasma CNC 1,5 × 3 m" });
    expect(reset.status).toBe(200);
    expect(reset.body.machine.settings.maxMinutes).toBeNull();
    expect((await documented("PATCH", `/api/v1/machines/${m.id}`, admin, { code: "PRS-01" })).status).toBe(400);
    expect((await documented("PATCH", "/api/v1/machines/99999", admin, { name: "x" })).status).toBe(404);
  });
});
