/**
 * The machine board and machine pages: free time links to the prefilled booking form, the
 * "free between" filter, breakdowns and closure days shown; and privacy — an IKM never sees
 * another IKM's name or booking id on the board, a machine page, the booking form or the feed,
 * while staff see the names.
 */
import { describe, expect, it } from "vitest";
import { loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { DAY, at, bookingFields, freeSlot, get, ikmOf, othersBooking, post, text, wibDate, wibTime } from "./ikm-helpers";

describe("the board", () => {
  it("shows every active machine grouped by type with tappable free time prefilling the form", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const date = wibDate(TEST_NOW + 1 * DAY);
    const res = await app.fetch(`/jadwal?date=${date}`, get(cookie));
    expect(res.status).toBe(200);
    const html = await res.text();
    const machines = await app.db.selectFrom("machines").innerJoin("machine_types", "machine_types.id", "machines.type_id").select(["machines.code", "machine_types.name"]).where("machines.status", "!=", "retired").execute();
    for (const m of machines) {
      expect(html).toContain(`>${m.code}</strong>`);
      expect(html).toContain(m.name);
    }
    expect(text(html)).toContain("Rabu, 2 Desember 2026");
    // A free piece links to the form with the machine, date and times.
    const slot = await freeSlot(app, "PRS-02", 60, 1);
    expect(slot.date).toBe(date);
    expect(html).toContain(`href="/pesan?machineId=${slot.machineId}&amp;date=${date}&amp;start=${slot.start.replace(":", "%3A")}`);
    // The prefilled form has already checked the time: the one-tap book button is there.
    const form = text(await (await app.fetch(`/pesan?${new URLSearchParams(bookingFields(slot))}`, get(cookie))).text());
    expect(form).toContain("Waktu ini kosong.");
    expect(form).toContain("Pesan sekarang");
    // Week view: days as columns, each with its free hours in words.
    const week = text(await (await app.fetch(`/jadwal?date=${date}&view=week`, get(cookie))).text());
    expect(week).toContain("Minggu mulai Sen, 30 Nov");
    expect(week).toMatch(/(\d+ j( \d+ m)?|\d+ m) kosong/); // hours as hours and minutes, as on every page
    expect(week).toContain("Sudah lewat");
  });

  it("the free-between filter keeps only machines with a free stretch covering it", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 120, 2);
    const res = await app.fetch(`/jadwal?date=${slot.date}&from=${slot.start}&to=${slot.end}`, get(cookie));
    const html = await res.text();
    expect(text(html)).toMatch(/\d+ mesin kosong/);
    expect(html).toContain(`/pesan?machineId=${slot.machineId}&amp;date=${slot.date}&amp;start=${slot.start.replace(":", "%3A")}&amp;end=${slot.end.replace(":", "%3A")}`);
    // A machine booked over that time is not listed.
    const busy = await app.db
      .selectFrom("bookings")
      .innerJoin("machines", "machines.id", "bookings.machine_id")
      .select(["machines.code"])
      .where("bookings.status", "in", ["pending", "confirmed"])
      .where("bookings.start_at", "<", at(slot.date, slot.end))
      .where("bookings.end_at", ">", at(slot.date, slot.start))
      .execute();
    expect(busy.length, "some machine is busy at that time, so the filter has something to hide").toBeGreaterThan(0);
    for (const b of busy) expect(html).not.toContain(`>${b.code}</strong>`);
    // Bad filter values are ignored, never a 500.
    expect((await app.fetch("/jadwal?date=2026-99-99&from=zz&to=08:00&view=bogus", get(cookie))).status).toBe(200);
  });

  it("shows an open breakdown on its machine row and a closure day on the board", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const m = await app.db.selectFrom("machines").select("id").where("code", "=", "WLD-02").executeTakeFirstOrThrow();
    const tech = await app.db.selectFrom("users").select("id").where("email", "=", "teknisi@giliran.test").executeTakeFirstOrThrow();
    await app.db
      .insertInto("maintenance_windows")
      .values({ machine_id: m.id, start_at: TEST_NOW - 3_600_000, end_at: null, kind: "breakdown", reason: "Kabel torch putus", created_by: tech.id, resolved_at: null, created_at: TEST_NOW })
      .execute();
    const html = await (await app.fetch(`/jadwal?date=${wibDate(TEST_NOW + DAY)}`, get(cookie))).text();
    expect(text(html)).toContain("Rusak sejak");
    expect(text(html)).toContain("Kabel torch putus");
    expect(html).toContain("seg seg-breakdown");
    const machinePage = text(await (await app.fetch(`/mesin/${m.id}`, get(cookie))).text());
    expect(machinePage).toContain("Kabel torch putus");
    const closed = text(await (await app.fetch("/jadwal?date=2026-12-25", get(cookie))).text());
    expect(closed).toContain("UPTD libur: Hari Raya Natal");
  });

  it("the machine page explains the rules in words and shows the week", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const plt = await app.db.selectFrom("machines").select("id").where("code", "=", "PLT-01").executeTakeFirstOrThrow();
    const page = text(await (await app.fetch(`/mesin/${plt.id}?date=2026-12-08`, get(cookie))).text());
    expect(page).toContain("Lini Elektroplating Nikel-Krom");
    expect(page).toMatch(/Retribusi Rp[\d.]+ per jam/);
    expect(page).toContain("Lama pemakaian 1 jam sampai 4 jam.");
    expect(page).toContain("Jeda 30 menit antar pemesanan");
    expect(page).toContain("Perlu persetujuan teknisi");
    expect(page).toContain("Dioperasikan oleh operator UPTD.");
    expect(page).toContain("Minggu mulai Sen, 7 Des");
    expect((await app.fetch("/mesin/99999", get(cookie))).status).toBe(404);
    expect((await app.fetch("/mesin/abc", get(cookie))).status).toBe(404);
  });
});

describe("the board on a phone (issue 27)", () => {
  it("the swipe hint comes before the machines, not after the last one", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const html = await (await app.fetch(`/jadwal?date=${wibDate(TEST_NOW + 1 * DAY)}`, get(cookie))).text();
    const hint = html.indexOf("Geser jadwal ke kiri untuk melihat jam berikutnya.");
    expect(hint).toBeGreaterThan(0);
    expect(hint).toBeLessThan(html.indexOf('class="board-grid"'));
  });
});

describe("a machine that needs a certificate (issue 27)", () => {
  it("its page says so before any tap and how to get certified: the unit's WhatsApp and number, and booking with the unit's operator", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const cnc = await app.db.selectFrom("machines").select(["id", "operator_mode"]).where("code", "=", "CNC-01").executeTakeFirstOrThrow();
    const html = await (await app.fetch(`/mesin/${cnc.id}`, get(cookie))).text();
    const page = text(html);
    expect(page).toContain("Perlu sertifikat");
    expect(page).toContain("Untuk mendapat sertifikat operator, hubungi UPTD di 0812 0000 1234");
    expect(html).toContain("https://wa.me/6281200001234?text=");
    // CNC-01 is run by the IKM itself (operator mode "self"): no booking with the unit's operator to offer.
    expect(cnc.operator_mode).toBe("self");
    expect(page).not.toContain("Minta dibantu operator UPTD");
    // A machine that the unit's operator may also run ("both"): the note offers that way too.
    await app.db.updateTable("machines").set({ operator_mode: "both" }).where("id", "=", cnc.id).execute();
    try {
      expect(text(await (await app.fetch(`/mesin/${cnc.id}`, get(cookie))).text())).toContain('centang "Minta dibantu operator UPTD" di formulir pemesanan.');
    } finally {
      await app.db.updateTable("machines").set({ operator_mode: "self" }).where("id", "=", cnc.id).execute();
    }
    const prs = await app.db.selectFrom("machines").select("id").where("code", "=", "PRS-02").executeTakeFirstOrThrow();
    expect(text(await (await app.fetch(`/mesin/${prs.id}`, get(cookie))).text())).not.toContain("Untuk mendapat sertifikat operator");
  });
});

describe("an IKM never sees another IKM", () => {
  it("board, machine page, booking form, live check and feed show other bookings only as booked", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId);
    const date = wibDate(Number(taken.start_at));
    const names = (await app.db.selectFrom("ikms").select("name").where("id", "!=", me.ikmId).execute()).map((r) => r.name);
    const otherIds = (
      await app.db
        .selectFrom("bookings")
        .select("id")
        .where("ikm_id", "!=", me.ikmId)
        .where("start_at", ">=", at(date, "00:00") - 7 * DAY)
        .where("start_at", "<", at(date, "00:00") + 8 * DAY)
        .execute()
    ).map((r) => r.id);
    const pages = [
      `/jadwal?date=${date}`,
      `/jadwal?date=${date}&view=week`,
      `/mesin/${taken.machine_id}?date=${date}`,
      `/pesan?${new URLSearchParams({ machineId: String(taken.machine_id), date, start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.end_at)) })}`,
      `/pesan/cek?${new URLSearchParams({ machineId: String(taken.machine_id), date, start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.end_at)) })}`,
    ];
    for (const path of pages) {
      const res = await app.fetch(path, get(cookie));
      expect(res.status, path).toBe(200);
      const body = await res.text();
      for (const name of names) expect(body, `${path} shows ${name}`).not.toContain(name);
      for (const id of otherIds) expect(body, `${path} links booking ${id}`).not.toContain(`/pemesanan/${id}"`);
    }
    const board = text(await (await app.fetch(`/jadwal?date=${date}`, get(cookie))).text());
    expect(board).toContain("Terpesan");
    // The refusal of that exact time names the time, never the IKM.
    const refusal = await app.fetch("/pesan", post(bookingFields({ machineId: taken.machine_id, date, start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.end_at)) }), cookie));
    const body = await refusal.text();
    expect(text(body)).toContain("Mesin sudah dipesan");
    for (const name of names) expect(body).not.toContain(name);
  });

  it("own bookings are marked as the reader's own and link to their details", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const own = await app.db.selectFrom("bookings").select(["id", "start_at"]).where("ikm_id", "=", me.ikmId).where("status", "=", "confirmed").where("start_at", ">", TEST_NOW).orderBy("start_at").executeTakeFirstOrThrow();
    const html = await (await app.fetch(`/jadwal?date=${wibDate(Number(own.start_at))}`, get(cookie))).text();
    expect(html).toContain("seg seg-own");
    expect(html).toContain(`href="/pemesanan/${own.id}"`);
    expect(text(html)).toContain("Pemesanan Anda");
  });

  it("staff see the IKM's name on the board, and a booking opens on its floor card (contact, check-in), not the IKM's page", async () => {
    const app = await loadApp();
    const cookie = await app.login("teknisi@giliran.test");
    const ikm2 = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, ikm2.ikmId);
    const html = await (await app.fetch(`/jadwal?date=${wibDate(Number(taken.start_at))}`, get(cookie))).text();
    expect(html).toContain(taken.ikm_name);
    expect(html).toContain(`href="/teknisi/pemesanan/${taken.id}"`);
    expect(html).not.toContain(`href="/pemesanan/${taken.id}"`);
  });
});
