/** The facility settings form: name, zone, opening hours with breaks, operators, every default. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { cookies, expectFormError, expectReadPermissions, expectWriteForbidden, pageText, postForm } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
});

/** The form as the page posts it, with the civil-service week and the demo defaults. */
function facilityForm(over: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = {
    name: "UPTD Logam Purbalingga",
    timeZone: "Asia/Jakarta",
    operatorsOnDuty: "2",
    hourlyRate: "100.000",
    slotMinutes: "30",
    minMinutes: "30",
    maxMinutes: "480",
    bufferMinutes: "0",
    noticeMinutes: "120",
    horizonDays: "30",
    weeklyQuotaHours: "16",
    maxActiveBookings: "10",
    billingIncrementMinutes: "30",
    graceMinutes: "30",
    noshowCount: "3",
    noshowWindowDays: "60",
    restrictDays: "30",
    waitlistOfferMinutes: "120",
    allocationCutoffWeekday: "4",
    allocationCutoffTime: "12:00",
    "hours.6.closed": "on",
    "hours.7.closed": "on",
  };
  for (const d of ["1", "2", "3", "4"]) Object.assign(f, { [`hours.${d}.0.start`]: "07:30", [`hours.${d}.0.end`]: "12:00", [`hours.${d}.1.start`]: "13:00", [`hours.${d}.1.end`]: "16:00" });
  Object.assign(f, { "hours.5.0.start": "07:30", "hours.5.0.end": "11:30", "hours.5.1.start": "13:00", "hours.5.1.end": "16:30" });
  return { ...f, ...over };
}

describe("facility settings", () => {
  it("admin and manager read it; only the admin may save", async () => {
    await expectReadPermissions(app, "/admin/fasilitas", c);
    await expectWriteForbidden(app, "/admin/fasilitas", facilityForm({ name: "Diretas" }), c);
    const f = await app.db.selectFrom("facility").select("name").executeTakeFirstOrThrow();
    expect(f.name).toBe("UPTD Logam Purbalingga");
    const page = await pageText(await app.fetch("/admin/fasilitas", { headers: { Cookie: c.manager } }));
    expect(page).toContain("hanya admin yang dapat mengubahnya");
    expect(page).not.toContain('type="submit" class="button primary"');
  });

  it("a valid form saves every setting, opening hours with breaks and a Saturday, and is audited", async () => {
    const res = await postForm(
      app,
      "/admin/fasilitas",
      c.admin,
      facilityForm({
        name: "UPTD Logam Purbalingga (Bengkel Bersama)",
        operatorsOnDuty: "3",
        weeklyQuotaHours: "12,5",
        hourlyRate: "Rp 90.000",
        graceMinutes: "20",
        "hours.6.closed": "",
        "hours.6.0.start": "08:00",
        "hours.6.0.end": "12:00",
        // Three periods on Monday, entered out of order: stored sorted.
        "hours.1.0.start": "13:00",
        "hours.1.0.end": "15:00",
        "hours.1.1.start": "07:30",
        "hours.1.1.end": "10:00",
        "hours.1.2.start": "10:30",
        "hours.1.2.end": "12:00",
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/fasilitas?disimpan=1");
    const f = await app.db.selectFrom("facility").selectAll().executeTakeFirstOrThrow();
    expect(f).toMatchObject({ name: "UPTD Logam Purbalingga (Bengkel Bersama)", operators_on_duty: 3, weekly_quota_minutes: 750, hourly_rate: 90000, grace_minutes: 20 });
    const hours = JSON.parse(f.hours_json);
    expect(hours["1"]).toEqual([
      { start: "07:30", end: "10:00" },
      { start: "10:30", end: "12:00" },
      { start: "13:00", end: "15:00" },
    ]);
    expect(hours["6"]).toEqual([{ start: "08:00", end: "12:00" }]);
    expect(hours["7"]).toEqual([]);
    const ev = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "facility").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(ev.action).toBe("facility.update");
    expect(JSON.parse(ev.before_json ?? "{}").operators_on_duty).toBe(2);
    expect(JSON.parse(ev.after_json ?? "{}").operators_on_duty).toBe(3);
    // The engine reads the new hours: the machine page's default hint follows the new quota.
    const page = await pageText(await app.fetch("/admin/fasilitas?disimpan=1", { headers: { Cookie: c.admin } }));
    expect(page).toContain("Perubahan tersimpan.");
    // Put the demo week back for the other tests.
    expect((await postForm(app, "/admin/fasilitas", c.admin, facilityForm())).status).toBe(302);
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ["an empty name", { name: "" }, "Isi nama fasilitas."],
    ["a zone outside Indonesia", { timeZone: "Europe/Paris" }, "Pilih zona waktu WIB, WITA atau WIT."],
    ["negative operators", { operatorsOnDuty: "-1" }, "Isi bilangan bulat 0–100."],
    ["a rate as text", { hourlyRate: "seratus ribu" }, "Isi tarif dalam rupiah, bilangan bulat 0–100.000.000."],
    ["an empty slot", { slotMinutes: "" }, "Slot waktu harus 5–240 menit"],
    ["a minimum above the maximum", { minMinutes: "120", maxMinutes: "60" }, "Durasi maksimum (60 menit) tidak boleh lebih pendek dari durasi minimum (120 menit)."],
    ["a maximum plus buffer over two days", { maxMinutes: "2880", bufferMinutes: "60" }, "Durasi maksimum ditambah jeda tidak boleh lebih dari 48 jam."],
    ["a quota of zero", { weeklyQuotaHours: "0" }, "Kuota harus antara 0,5 dan 168 jam per minggu."],
    ["a grace period of 5 hours", { graceMinutes: "300" }, "Isi bilangan bulat 0–240 menit."],
    ["no-show count zero", { noshowCount: "0" }, "Isi bilangan bulat 1–50."],
    ["no-show window of 400 days", { noshowWindowDays: "400" }, "Isi bilangan bulat 1–365 hari."],
    ["restriction of 0 days", { restrictDays: "0" }, "Isi bilangan bulat 1–365 hari."],
    ["waitlist offer of 1 minute", { waitlistOfferMinutes: "1" }, "Isi bilangan bulat 5–2880 menit."],
    ["cut-off weekday 8", { allocationCutoffWeekday: "8" }, "Pilih hari."],
    ["cut-off time 25:00", { allocationCutoffTime: "25:00" }, "Jam tidak valid; gunakan format 07:30."],
    ["a break that overlaps", { "hours.2.1.start": "11:00" }, "Periode buka tidak boleh bertumpuk."],
    ["a period ending before it starts", { "hours.3.0.end": "07:00" }, "Jam selesai harus setelah jam mulai."],
    ["a period without its end", { "hours.4.1.end": "" }, "Jam tidak valid; gunakan format 07:30."],
  ];
  for (const [name, over, message] of invalid) {
    it(`refuses ${name} with its message`, async () => {
      const before = await app.db.selectFrom("facility").selectAll().executeTakeFirstOrThrow();
      await expectFormError(await postForm(app, "/admin/fasilitas", c.admin, facilityForm(over)), 400, message);
      expect(await app.db.selectFrom("facility").selectAll().executeTakeFirstOrThrow()).toEqual(before);
    });
  }

  it("refuses a default that would break a machine's own rules, naming the machine", async () => {
    // CNC-01 sets its own minimum of 60 minutes and takes the maximum from the facility.
    await expectFormError(await postForm(app, "/admin/fasilitas", c.admin, facilityForm({ maxMinutes: "45" })), 400, "Nilai ini tidak cocok dengan aturan mesin CNC-01");
  });
});

describe("the unit's contact: no dead end on the login page", () => {
  const loginPage = async () => (await app.fetch("/login")).text();

  it("the demo unit's number is on the login page: a forgotten password and no account yet both lead to WhatsApp and a call", async () => {
    const html = await loginPage();
    const text = await pageText(new Response(html));
    expect(text).toContain("Lupa kata sandi?");
    expect(text).toContain("Kirim WhatsApp ke UPTD di 0812\u00a00000\u00a01234.");
    expect(text).toContain("Belum punya akun?");
    expect(text).toContain("Hubungi UPTD di 0812\u00a00000\u00a01234 untuk didaftarkan sebagai anggota IKM.");
    expect(html).toContain(`href="https://wa.me/6281200001234?text=${encodeURIComponent("Halo UPTD, saya lupa kata sandi Giliran. Nama: … IKM: … Email/nomor HP akun: …")}"`);
    expect(html).toContain('href="tel:+6281200001234"');
  });

  it("the admin sets the number (any Indonesian way of writing it), a wrong one is refused, and clearing it leaves the way to the staff", async () => {
    await expectFormError(await postForm(app, "/admin/fasilitas", c.admin, facilityForm({ contactPhone: "12345" })), 400, "Nomor HP tidak valid.");
    expect((await app.db.selectFrom("facility").select("contact_phone").executeTakeFirstOrThrow()).contact_phone).toBe("+6281200001234");
    expect((await postForm(app, "/admin/fasilitas", c.admin, facilityForm({ contactPhone: "0813 1111 2222" }))).status).toBe(302);
    expect((await app.db.selectFrom("facility").select("contact_phone").executeTakeFirstOrThrow()).contact_phone).toBe("+6281311112222");
    expect(await pageText(await app.fetch("/admin/fasilitas", { headers: { Cookie: c.admin } }))).toContain("Nomor WhatsApp/telepon UPTD");
    expect(await loginPage()).toContain("https://wa.me/6281311112222?text=");
    // A form without the field (an older page) keeps the number.
    expect((await postForm(app, "/admin/fasilitas", c.admin, facilityForm())).status).toBe(302);
    expect((await app.db.selectFrom("facility").select("contact_phone").executeTakeFirstOrThrow()).contact_phone).toBe("+6281311112222");
    expect((await postForm(app, "/admin/fasilitas", c.admin, facilityForm({ contactPhone: "" }))).status).toBe(302);
    const text = await pageText(new Response(await loginPage()));
    expect(text).toContain("Datangi atau hubungi petugas UPTD.");
    expect(text).toContain("Hubungi petugas UPTD untuk didaftarkan sebagai anggota IKM.");
    expect(await loginPage()).not.toContain("wa.me");
    expect((await postForm(app, "/admin/fasilitas", c.admin, facilityForm({ contactPhone: "+62 812-0000-1234" }))).status).toBe(302);
  });
});
