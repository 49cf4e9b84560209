/**
 * The IKM booking pages end to end through the real handler: the live check and the check step
 * write nothing; a confirmed post books; a refusal lists every reason with alternatives that book
 * in one tap; cancel (late or not) and move (accepted or refused) from /pemesanan/:id.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import {
  DAY,
  HOUR,
  alternativeForms,
  at,
  bookingFields,
  confirmFields,
  freeSlot,
  get,
  ikmOf,
  location,
  othersBooking,
  post,
  staleConfirmFields,
  text,
  wibDate,
  wibTime,
  writeCounts,
} from "./ikm-helpers";

describe("the live check and the check step write nothing", () => {
  it("GET /pesan/cek decides without writing (free and occupied)", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 2);
    const before = await writeCounts(app);
    const ok = await app.fetch(`/pesan/cek?${new URLSearchParams(bookingFields(slot))}`, get(cookie));
    expect(ok.status).toBe(200);
    const okBody = (await ok.json()) as { check: { ok: boolean; feeEstimate: number; status: string } };
    expect(okBody.check.ok).toBe(true);
    expect(okBody.check.status).toBe("confirmed");
    expect(okBody.check.feeEstimate).toBe(50_000);

    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId);
    const busySlot = { machineId: taken.machine_id, date: wibDate(Number(taken.start_at)), start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.start_at) + HOUR) };
    const refused = await app.fetch(`/pesan/cek?${new URLSearchParams(bookingFields(busySlot))}`, get(cookie));
    const body = (await refused.json()) as { check: { ok: boolean; reasons: string[]; codes: string[]; alternatives: unknown[] } };
    expect(body.check.ok).toBe(false);
    expect(body.check.codes).toContain("OVERLAP");
    expect(body.check.reasons.join(" ")).toContain("Mesin sudah dipesan");
    expect(body.check.alternatives.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain(taken.ikm_name);

    // The no-JavaScript check step: a post without confirmation shows the confirmation page.
    const step = await app.fetch("/pesan", post(bookingFields(slot), cookie));
    expect(step.status).toBe(200);
    const page = text(await step.text());
    expect(page).toContain("Periksa sebelum memesan");
    expect(page).toContain("Perkiraan retribusi: Rp50.000");
    expect(page).toContain("Langsung terkonfirmasi");
    expect(page).toContain("Ya, pesan sekarang");
    expect(await writeCounts(app)).toEqual(before);
  });

  it("a confirmation for other values than those posted shows the check again instead of booking", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "BND-01", 60, 3);
    const before = await writeCounts(app);
    const stale = { ...(await confirmFields(app, cookie, slot)), end: wibTime(at(slot.date, slot.start) + 30 * 60_000) };
    const res = await app.fetch("/pesan", post(stale, cookie));
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Periksa sebelum memesan");
    expect(await writeCounts(app)).toEqual(before);
  });
});

describe("booking", () => {
  it("a confirmed post books: success page with status, fee, how to cancel, reminder, link to my bookings", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-01", 90, 2);
    const res = await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { purpose: "Press bodi knalpot 40 buah" }), cookie));
    const to = location(res);
    expect(to).toMatch(/^\/pemesanan\/\d+\?baru=1$/);
    const id = Number(to.split("/")[2].split("?")[0]);
    const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ ikm_id: me.ikmId, machine_id: slot.machineId, status: "confirmed", source: "web", purpose: "Press bodi knalpot 40 buah" });
    expect(Number(b.start_at)).toBe(at(slot.date, slot.start));
    expect(Number(b.end_at)).toBe(at(slot.date, slot.end));
    const n = await app.db.selectFrom("notifications").select("kind").where("booking_id", "=", id).where("user_id", "=", me.userId).execute();
    expect(n.map((x) => x.kind)).toEqual(["booking_confirmed"]);

    const page = text(await (await app.fetch(to, get(cookie))).text());
    expect(page).toContain("Pemesanan terkonfirmasi");
    expect(page).toContain("Terkonfirmasi");
    expect(page).toContain("Perkiraan retribusi Rp112.500"); // 1.5 h × Rp75.000
    expect(page).toContain("pengingat sehari sebelumnya");
    expect(page).toContain("ketuk Batalkan");
    expect(await (await app.fetch(to, get(cookie))).text()).toContain('href="/pemesanan"');
  });

  it("a machine that needs approval books as waiting for approval and says so", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PLT-01", 60, 4);
    const to = location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie)));
    const id = Number(to.split("/")[2].split("?")[0]);
    expect((await app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("pending");
    const page = text(await (await app.fetch(to, get(cookie))).text());
    expect(page).toContain("Pemesanan terkirim, menunggu persetujuan");
    expect(page).toContain("Menunggu persetujuan");
    expect(page).toContain("Perlu persetujuan teknisi");
  });

  it("a refusal lists every reason, records the attempt, and offers alternatives that book in one tap", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId, TEST_NOW + 2 * DAY);
    // Off the 30-minute grid, shorter than the 30-minute minimum, and over another IKM's booking.
    const start = Number(taken.start_at) + 15 * 60_000;
    const slot = { machineId: taken.machine_id, date: wibDate(start), start: wibTime(start), end: wibTime(start + 10 * 60_000) };
    // Posted as a stale form would be (the page offers no book button for a refused time).
    const fields = staleConfirmFields(slot);
    const attemptsBefore = (await writeCounts(app)).attempts;
    const res = await app.fetch("/pesan", post(fields, cookie));
    expect(res.status).toBe(409);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain("Waktu ini tidak bisa dipesan");
    expect(page).toContain("Jam mulai dan selesai harus kelipatan 30 menit");
    expect(page).toContain("Durasi terlalu pendek");
    expect(page).toContain("Mesin sudah dipesan");
    expect(html).not.toContain(taken.ikm_name);
    const attempt = await app.db.selectFrom("booking_attempts").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect((await writeCounts(app)).attempts).toBe(attemptsBefore + 1);
    expect(attempt.codes.split(",")).toEqual(expect.arrayContaining(["MISALIGNED", "TOO_SHORT", "OVERLAP"]));

    const alts = alternativeForms(html);
    expect(alts.length).toBeGreaterThan(0);
    expect(alts.length).toBeLessThanOrEqual(5);
    for (const a of alts) expect(a).toMatchObject({ confirm: "1" });
    const booked = await app.fetch("/pesan", post(alts[0], cookie));
    const to = location(booked);
    const id = Number(to.split("/")[2].split("?")[0]);
    const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(b.ikm_id).toBe(me.ikmId);
    expect(b.machine_id).toBe(Number(alts[0].machineId));
    expect(Number(b.start_at)).toBe(at(alts[0].date, alts[0].start));
  });

  it("bad input gets a clear message naming the field, never a 500", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const res = await app.fetch("/pesan", post({ machineId: "abc", date: "2026-13-45", start: "25:00", end: "x", weeks: "99" }, cookie));
    expect(res.status).toBe(400);
    const page = text(await res.text());
    expect(page).toContain("Mesin: silakan pilih mesin dari daftar.");
    expect(page).toContain("Tanggal: silakan pilih tanggal yang benar.");
    expect(page).toContain("Jam mulai: silakan pilih jam dari daftar.");
    expect(page).toContain("Jam selesai: silakan pilih jam dari daftar.");
    expect(page).toContain("Ulangi: pilih 1 sampai 12 minggu.");
    const unknown = await app.fetch("/pesan", post({ machineId: "99999", date: "2026-12-08", start: "08:00", end: "09:00" }, cookie));
    expect(unknown.status).toBe(400);
    expect(text(await unknown.text())).toContain("Mesin: silakan pilih mesin dari daftar.");
    const backwards = await app.fetch("/pesan", post({ machineId: "1", date: "2026-12-08", start: "10:00", end: "09:00" }, cookie));
    expect(backwards.status).toBe(400);
    expect(text(await backwards.text())).toContain("Jam selesai harus setelah jam mulai.");
  });

  it("staff book for an IKM they choose, may override a soft rule with a reason; without an IKM they are told to choose", async () => {
    const app = await loadApp();
    const cookie = await app.login("teknisi@giliran.test");
    const ikm3 = await ikmOf(app, "ikm3@giliran.test");
    const slot = await freeSlot(app, "WLD-01", 60, 5);
    const missing = await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie));
    expect(missing.status).toBe(400);
    expect(text(await missing.text())).toContain("Pilih IKM yang dipesankan.");
    // The demo's third IKM already holds its 10 active bookings: a soft rule.
    const active = await app.db
      .selectFrom("bookings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ikm_id", "=", ikm3.ikmId)
      .where("start_at", ">", TEST_NOW)
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .executeTakeFirstOrThrow();
    expect(Number(active.n)).toBeGreaterThanOrEqual(10);
    const refused = await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { ikmId: String(ikm3.ikmId) }), cookie));
    expect(refused.status).toBe(409);
    const refusedPage = text(await refused.text());
    expect(refusedPage).toContain("pemesanan aktif (maksimal 10)");
    expect(refusedPage).toContain("Alasan pengecualian aturan");
    const to = location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { ikmId: String(ikm3.ikmId), overrideReason: "Pesanan mendesak Dinas" }), cookie)));
    const id = Number(to.split("/")[2].split("?")[0]);
    const b = await app.db.selectFrom("bookings").select(["ikm_id", "override_reason", "status"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(b).toEqual({ ikm_id: ikm3.ikmId, override_reason: "Pesanan mendesak Dinas", status: "confirmed" });
    // Staff see the IKM's name on the booking; they have no "my bookings" and are sent home.
    expect(text(await (await app.fetch(to, get(cookie))).text())).toContain(ikm3.ikmName);
    expect(location(await app.fetch("/pemesanan", get(cookie)))).toBe("/teknisi");
  });
});

describe("cancel", () => {
  it("more than 24 h ahead: a confirm step, then cancelled and not counted late", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "WLD-02", 60, 4);
    const id = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie))).split("/")[2].split("?")[0]);
    // Without the confirmation, nothing happens: the confirm step is shown.
    expect(location(await app.fetch(`/pemesanan/${id}`, post({ intent: "cancel" }, cookie)))).toBe(`/pemesanan/${id}?batal=1#batal`);
    expect((await app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    const step = text(await (await app.fetch(`/pemesanan/${id}?batal=1`, get(cookie))).text());
    expect(step).toContain("tidak dihitung terlambat");
    expect(step).toContain("Ya, batalkan");
    expect(location(await app.fetch(`/pemesanan/${id}`, post({ intent: "cancel", confirm: "1", reason: "Pesanan pelanggan batal" }, cookie)))).toBe(`/pemesanan?dibatalkan=${id}`);
    const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: "cancelled", late_cancel: 0, status_reason: "Pesanan pelanggan batal" });
    const list = text(await (await app.fetch(`/pemesanan?dibatalkan=${id}`, get(cookie))).text());
    expect(list).toContain("Pemesanan dibatalkan.");
  });

  it("less than 24 h ahead: the warning says it counts as late, and late_cancel is set", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    // Today, 09.00 now: 13.00 is beyond the 2-hour notice and within 24 hours.
    const today = wibDate(TEST_NOW);
    const candidates = ["PRS-02", "BND-01", "WLD-02", "CUT-01", "WLD-01", "PRS-01"];
    let id = 0;
    for (const code of candidates) {
      const m = await app.db.selectFrom("machines").select("id").where("code", "=", code).executeTakeFirstOrThrow();
      const res = await app.fetch("/pesan", post(await confirmFields(app, cookie, { machineId: m.id, date: today, start: "14:00", end: "15:00" }), cookie));
      if (res.status === 302) {
        id = Number(location(res).split("/")[2].split("?")[0]);
        break;
      }
    }
    expect(id).toBeGreaterThan(0);
    // A minute later: past the 30 seconds in which a booking just made is undone, not cancelled.
    app.setNow(new Date(TEST_NOW + 60_000).toISOString());
    try {
      const step = text(await (await app.fetch(`/pemesanan/${id}?batal=1`, get(cookie))).text());
      expect(step).toContain("Pembatalan ini dicatat sebagai pembatalan terlambat");
      const mine = text(await (await app.fetch("/pemesanan", get(cookie))).text());
      expect(mine).toContain("Kurang dari 24 jam lagi");
      location(await app.fetch(`/pemesanan/${id}`, post({ intent: "cancel", confirm: "1" }, cookie)));
      const b = await app.db.selectFrom("bookings").select(["status", "late_cancel"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(b).toEqual({ status: "cancelled", late_cancel: 1 });
    } finally {
      app.setNow(new Date(TEST_NOW).toISOString());
    }
  });

  it("another IKM's booking is a 404 to view, cancel or move, and stays as it was", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId);
    expect((await app.fetch(`/pemesanan/${taken.id}`, get(cookie))).status).toBe(404);
    const cancel = await app.fetch(`/pemesanan/${taken.id}`, post({ intent: "cancel", confirm: "1" }, cookie));
    expect(cancel.status).toBe(404);
    expect(await cancel.text()).not.toContain(taken.ikm_name);
    expect((await app.fetch(`/pemesanan/${taken.id}`, post({ intent: "move", date: "2026-12-09", start: "08:00", end: "09:00" }, cookie))).status).toBe(404);
    expect((await app.db.selectFrom("bookings").select("status").where("id", "=", taken.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    expect((await app.fetch("/pemesanan/99999999", get(cookie))).status).toBe(404);
    expect((await app.fetch("/pemesanan/abc", get(cookie))).status).toBe(404);
  });
});

describe("move", () => {
  it("to a free time: moved; to an occupied time: every reason and alternatives, unchanged; then one tap on an alternative moves it", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 6);
    const id = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie))).split("/")[2].split("?")[0]);
    const target = await freeSlot(app, "PRS-02", 60, 8);
    expect(location(await app.fetch(`/pemesanan/${id}`, post({ intent: "move", machineId: String(slot.machineId), date: target.date, start: target.start, end: target.end }, cookie)))).toBe(
      `/pemesanan/${id}?dipindah=1`,
    );
    let b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(b.start_at)).toBe(at(target.date, target.start));
    expect(text(await (await app.fetch(`/pemesanan/${id}?dipindah=1`, get(cookie))).text())).toContain("Jadwal berhasil dipindah.");
    const moved = await app.db.selectFrom("notifications").select("kind").where("booking_id", "=", id).where("kind", "=", "booking_moved").execute();
    expect(moved.length).toBeGreaterThan(0);

    // Onto another IKM's booking on the same machine.
    const taken = await app.db
      .selectFrom("bookings")
      .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
      .select(["bookings.start_at", "ikms.name"])
      .where("bookings.machine_id", "=", slot.machineId)
      .where("bookings.ikm_id", "!=", me.ikmId)
      .where("bookings.status", "=", "confirmed")
      .where("bookings.start_at", ">", TEST_NOW + DAY)
      .orderBy("bookings.start_at")
      .executeTakeFirstOrThrow();
    const s = Number(taken.start_at);
    const refused = await app.fetch(`/pemesanan/${id}`, post({ intent: "move", date: wibDate(s), start: wibTime(s), end: wibTime(s + HOUR) }, cookie));
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(text(html)).toContain("Waktu baru tidak bisa dipakai");
    expect(text(html)).toContain("Mesin sudah dipesan");
    expect(html).not.toContain(taken.name);
    b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(b.start_at)).toBe(at(target.date, target.start));

    const alts = alternativeForms(html);
    expect(alts.length).toBeGreaterThan(0);
    const tap = await app.fetch(`/pemesanan/${id}`, post({ ...alts[0], intent: "move" }, cookie));
    expect(location(tap)).toBe(`/pemesanan/${id}?dipindah=1`);
    b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(b.start_at)).toBe(at(alts[0].date, alts[0].start));
    expect(b.machine_id).toBe(Number(alts[0].machineId));
  });
});

describe("words that lead somewhere (issue 27)", () => {
  it("an empty date names the field only: no word about a closed day", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 2);
    const res = await app.fetch("/pesan", post({ ...bookingFields(slot), date: "", intent: "check" }, cookie));
    expect(res.status).toBe(400);
    const page = text(await res.text());
    expect(page).toContain("Tanggal: silakan pilih tanggal.");
    expect(page).not.toContain("tanggal yang benar");
    expect(page).not.toContain("UPTD tutup pada hari");
  });

  it("a closed weekday is 'that day', not 'today'", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 2);
    let sunday = at(slot.date, "12:00");
    while (new Date(sunday).getUTCDay() !== 0) sunday += DAY;
    const res = await app.fetch("/pesan", post({ ...bookingFields(slot), date: wibDate(sunday), intent: "check" }, cookie));
    const page = text(await res.text());
    expect(page).toContain("UPTD tutup pada hari itu. Silakan pilih tanggal lain.");
    expect(page).not.toContain("UPTD tutup pada hari ini");
  });

  it("the job description comes before the button that books (what is filled in is seen before the tap)", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const html = await (await app.fetch("/pesan", get(cookie))).text();
    expect(html.indexOf('name="purpose"')).toBeGreaterThan(0);
    expect(html.indexOf('name="purpose"')).toBeLessThan(html.indexOf('class="submit-bar"'));
  });

  it("alternatives read day by day, machine by machine, each machine's slots by time", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId, TEST_NOW + 2 * DAY);
    const slot = { machineId: taken.machine_id, date: wibDate(Number(taken.start_at)), start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.end_at)) };
    const res = await app.fetch("/pesan", post(staleConfirmFields(slot), cookie));
    expect(res.status).toBe(409);
    const alts = alternativeForms(await res.text());
    expect(alts.length).toBeGreaterThan(1);
    const codes = new Map((await app.db.selectFrom("machines").select(["id", "code"]).execute()).map((m) => [String(m.id), m.code]));
    const shown = alts.map((a) => [a.date, codes.get(a.machineId) ?? "", a.start].join(" "));
    expect(shown).toEqual([...shown].sort());
  });
});

describe("a booking just made can be undone for 30 seconds (issue 27)", () => {
  afterEach(async () => (await loadApp()).setNow(new Date(TEST_NOW).toISOString()));

  /** ikm2 books an hour tomorrow at TEST_NOW (a cancellation later than the undo would be late). */
  async function bookedNow() {
    const app = await loadApp();
    app.setNow(new Date(TEST_NOW).toISOString());
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 1);
    const booked = await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie));
    return { app, cookie, id: Number(location(booked).split("/")[2].split("?")[0]) };
  }

  it("the confirmation shows 'Batalkan' with its seconds; tapped in time it cancels without the late mark and is audited as an undo", async () => {
    const { app, cookie, id } = await bookedNow();
    const page = text(await (await app.fetch(`/pemesanan/${id}?baru=1`, get(cookie))).text());
    expect(page).toContain("Salah pilih? Batalkan dalam 30 detik — tidak dihitung sebagai pembatalan terlambat.");
    app.setNow(new Date(TEST_NOW + 20_000).toISOString());
    const undone = await app.fetch(`/pemesanan/${id}`, post({ intent: "cancel", confirm: "1", undo: "1" }, cookie));
    expect(undone.status).toBe(302);
    const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect({ status: b.status, late: b.late_cancel }).toEqual({ status: "cancelled", late: 0 });
    const events = await app.db.selectFrom("audit_events").select("action").where("entity", "=", "booking").where("entity_id", "=", String(id)).execute();
    expect(events.map((e) => e.action)).toContain("booking.undo");
  });

  it("after 30 seconds the button is gone, and a late tap asks for the usual confirmation instead of cancelling", async () => {
    const { app, cookie, id } = await bookedNow();
    app.setNow(new Date(TEST_NOW + 31_000).toISOString());
    expect(text(await (await app.fetch(`/pemesanan/${id}?baru=1`, get(cookie))).text())).not.toContain("Salah pilih?");
    const late = await app.fetch(`/pemesanan/${id}`, post({ intent: "cancel", confirm: "1", undo: "1" }, cookie));
    expect(late.status).toBe(302);
    expect(location(late)).toBe(`/pemesanan/${id}?batal=1#batal`);
    expect((await app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).not.toBe("cancelled");
  });
});

describe("a machine that needs a certificate, booked by an IKM without one (issue 27)", () => {
  it("the refusal offers the same time run by the unit's operator, which books in one tap as an assisted booking", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const cnc = await app.db.selectFrom("machines").select(["id", "operator_mode", "requires_qualification"]).where("code", "=", "CNC-01").executeTakeFirstOrThrow();
    expect(cnc.requires_qualification).toBe(1);
    await app.db.updateTable("machines").set({ operator_mode: "both" }).where("id", "=", cnc.id).execute();
    try {
      const slot = await freeSlot(app, "CNC-01", 60, 3);
      const res = await app.fetch("/pesan", post(bookingFields(slot), cookie));
      const html = await res.text();
      expect(text(html)).toContain("IKM Anda belum memiliki sertifikat yang berlaku");
      expect(text(html)).toContain("Dioperasikan operator UPTD");
      const alts = alternativeForms(html);
      const sameTime = alts.find((a) => a.machineId === String(cnc.id) && a.date === slot.date && a.start === slot.start);
      expect(sameTime).toMatchObject({ assisted: "1", end: slot.end, confirm: "1" });
      // Every alternative on this machine is run by the operator (the IKM may not run it itself).
      for (const a of alts.filter((x) => x.machineId === String(cnc.id))) expect(a.assisted).toBe("1");
      const to = location(await app.fetch("/pesan", post(sameTime as Record<string, string>, cookie)));
      const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", Number(to.split("/")[2].split("?")[0])).executeTakeFirstOrThrow();
      expect(b).toMatchObject({ ikm_id: me.ikmId, machine_id: cnc.id, assisted: 1, start_at: at(slot.date, slot.start) });
    } finally {
      await app.db.updateTable("machines").set({ operator_mode: cnc.operator_mode }).where("id", "=", cnc.id).execute();
    }
  });

  it("a machine its members must run themselves offers no operator, but the same time on a machine of its type that needs no certificate", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const cnc1 = await app.db.selectFrom("machines").select(["id", "operator_mode"]).where("code", "=", "CNC-01").executeTakeFirstOrThrow();
    const cnc2 = await app.db.selectFrom("machines").select(["id", "requires_qualification"]).where("code", "=", "CNC-02").executeTakeFirstOrThrow();
    expect(cnc1.operator_mode).toBe("self");
    await app.db.updateTable("machines").set({ requires_qualification: 0 }).where("id", "=", cnc2.id).execute();
    try {
      // A time both lathes have free.
      let slot = await freeSlot(app, "CNC-01", 60, 3);
      for (let day = 3; day < 20; day++) {
        slot = await freeSlot(app, "CNC-01", 60, day);
        const other = await freeSlot(app, "CNC-02", 60, day);
        if (other.date === slot.date && other.start === slot.start) break;
      }
      const alts = alternativeForms(await (await app.fetch("/pesan", post(bookingFields(slot), cookie))).text());
      expect(alts.find((a) => a.machineId === String(cnc2.id) && a.date === slot.date && a.start === slot.start)).toBeDefined();
      expect(alts.every((a) => a.assisted === undefined && a.machineId === String(cnc2.id))).toBe(true);
    } finally {
      await app.db.updateTable("machines").set({ requires_qualification: cnc2.requires_qualification }).where("id", "=", cnc2.id).execute();
    }
  });
});

describe("a tapped free time lets the member choose how long (issue 27)", () => {
  type Check = { check: { ok: boolean; codes: string[]; freeUntil: string | null } };
  it("the form prefilled from the board offers lengths in one tap, each bookable, up to where the free time ends", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 2);
    const cek = async (end: string) => (await (await app.fetch(`/pesan/cek?${new URLSearchParams(bookingFields({ ...slot, end }))}`, get(cookie))).json()) as Check;
    const until = (await cek(slot.end)).check.freeUntil as string;
    expect(until > slot.end).toBe(true);
    // The form as the board's tap opens it: one hour, and the lengths to choose from.
    const html = await (await app.fetch(`/pesan?${new URLSearchParams({ machineId: String(slot.machineId), date: slot.date, start: slot.start, end: slot.end })}`, get(cookie))).text();
    expect(text(html)).toContain(`Kosong sampai ${until.replace(":", ".")}. Berapa lama?`);
    const chips = [...html.matchAll(/<a [^>]*class="chip[^"]*"[^>]*>/g)].map((m) => m[0]);
    const ends = chips.map((a) => /end=(\d\d)%3A(\d\d)/.exec(a)?.slice(1, 3).join(":") ?? "no end");
    expect(ends.length).toBeGreaterThanOrEqual(2);
    expect(ends).toContain(slot.end);
    expect(ends.at(-1)).toBe(until);
    for (const end of ends) expect((await cek(end)).check, `${slot.start}–${end}`).toMatchObject({ ok: true, freeUntil: until });
    // Half an hour past where the free time ends is refused: the choices stop where they must.
    const past = new Date(Date.parse(`2000-01-01T${until}:00Z`) + 30 * 60_000).toISOString().slice(11, 16);
    expect((await cek(past)).check.ok).toBe(false);
  });

  it("no lengths to choose where the start itself is not free", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const taken = await othersBooking(app, me.ikmId);
    const busy = { machineId: taken.machine_id, date: wibDate(Number(taken.start_at)), start: wibTime(Number(taken.start_at)), end: wibTime(Number(taken.start_at) + HOUR) };
    const body = (await (await app.fetch(`/pesan/cek?${new URLSearchParams(bookingFields(busy))}`, get(cookie))).json()) as Check;
    expect(body.check.freeUntil).toBeNull();
    expect(await (await app.fetch(`/pesan?${new URLSearchParams({ machineId: String(busy.machineId), date: busy.date, start: busy.start, end: busy.end })}`, get(cookie))).text()).not.toContain("Berapa lama?");
  });
});
