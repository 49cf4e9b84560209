/**
 * Check-in and check-out through the real pages and API: the fee computed from the real usage
 * (rounded up to the billing increment, at least one increment, the tariff in force at the
 * actual start, breaks not billed), a fault opening a breakdown, and corrections that keep the
 * old values in the audit trail.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW_ISO } from "../support/constants";
import { type Floor, TODAY, api, auditOf, book, floorSetup, heldSlot, ikmWithMember, machineByCode, page, post, qualifiedIkm, textOf, wib } from "./floor-helpers";

let f: Floor;
const at = (time: string) => Date.parse(wib(TODAY, time));

beforeAll(async () => {
  f = await floorSetup();
});
beforeEach(() => f.app.setNow(TEST_NOW_ISO));

async function usageOf(bookingId: number) {
  return f.app.db.selectFrom("usage_records").selectAll().where("booking_id", "=", bookingId).executeTakeFirstOrThrow();
}

describe("check-in and check-out through the pages (no JavaScript)", () => {
  let id: number;

  it("one tap on the today board checks a booking in at the current time", async () => {
    const cnc = await machineByCode(f.app, "CNC-03");
    const ikm = await qualifiedIkm(f.app, cnc, at("13:00"));
    id = (await book(f, { machineId: cnc.id, ikmId: ikm.id, start: wib(TODAY, "13:00"), end: wib(TODAY, "15:00"), purpose: "Frais dudukan knalpot" })).id;
    // A number written the local way is normalized to 62… for the call and WhatsApp links.
    await f.app.db.updateTable("ikms").set({ phone: "0812-2004-0110" }).where("id", "=", ikm.id).execute();
    const board = await (await page(f.app, f.techCookie, "/teknisi")).text();
    expect(textOf(board)).toContain("Frais dudukan knalpot");
    const card = board.slice(board.indexOf(`id="b-${id}"`));
    expect(card).toContain('href="tel:+6281220040110"');
    const wa = /href="(https:\/\/wa\.me\/[^"]+)"/.exec(card)?.[1].replace(/&amp;/g, "&") ?? "";
    expect(wa.startsWith("https://wa.me/6281220040110?text=")).toBe(true);
    const message = decodeURIComponent(wa.split("?text=")[1]);
    expect(message).toContain(`Halo ${ikm.name}, ini UPTD Logam Purbalingga.`);
    expect(message).toContain("pemesanan mesin CNC-03 (Frais CNC Vertikal) hari ini, Selasa, 1 Desember 2026, pukul 13.00–15.00 WIB");
    expect(message).toContain('"Frais dudukan knalpot"');

    f.app.setNow(wib(TODAY, "13:00"));
    const res = await post(f.app, f.techCookie, "/teknisi?index", { intent: "checkin", bookingId: id });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/teknisi?ok=checkin&b=${id}#hasil`);
    const b = await f.app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    expect(b.status).toBe("checked_in");
    const u = await usageOf(id);
    expect(Number(u.actual_start)).toBe(at("13:00"));
    expect(u.actual_end).toBeNull();
    expect(u.operator_kind).toBe("ikm");
    const after = textOf(await (await page(f.app, f.techCookie, `/teknisi?ok=checkin&b=${id}`)).text());
    expect(after).toContain(`Mulai pakai dicatat: ${ikm.name} di CNC-03, pukul 13.00.`);
    expect((await auditOf(f.app, "booking", id, "booking.check_in")).length).toBe(1);
  });

  it("the check-out screen shows the fee before saving, and the no-JS preview step recomputes it", async () => {
    f.app.setNow(wib(TODAY, "14:30"));
    const screen = textOf(await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${id}`)).text());
    // 13.00–14.30: 90 minutes at Rp125.000/hour.
    expect(screen).toContain("Rp187.500");
    expect(screen).toContain("Dipakai 1 jam 30 menit, ditagih 1 jam 30 menit");
    const preview = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { intent: "preview", end: "14.20" });
    expect(preview.status).toBe(200);
    const text = textOf(await preview.text());
    // 80 minutes, rounded up to 90.
    expect(text).toContain("Dipakai 1 jam 20 menit, ditagih 1 jam 30 menit (dibulatkan ke atas per 30 menit) × Rp125.000/jam");
    expect((await usageOf(id)).actual_end).toBeNull();
  });

  it("saving with a fee the screen did not show is refused and shows the new fee instead", async () => {
    f.app.setNow(wib(TODAY, "14:45"));
    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { intent: "checkout", end: "14:40", shownFee: 187500, outputQuantity: "12", outputUnit: "pcs" });
    expect(res.status).toBe(409);
    const text = textOf(await res.text());
    expect(text).toContain("Retribusi dihitung ulang");
    expect(text).toContain("Rp250.000");
    expect((await usageOf(id)).actual_end).toBeNull();
  });

  it("a refused check-out names what to fix at the top and shows the fee of the end entered, not of now (issue 28)", async () => {
    f.app.setNow(wib(TODAY, "14:45"));
    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { intent: "checkout", end: "14:20", shownFee: 187500, outputQuantity: "dua belas", outputUnit: "pcs" });
    expect(res.status).toBe(400);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("Belum disimpan. Periksa isian berikut: Hasil produksi : isi angka 0 atau lebih, mis. 12,5");
    expect(html.indexOf("floor-error-summary")).toBeLessThan(html.indexOf('id="selesai"'));
    // 13.00–14.20 as entered (80 minutes, billed 90), not 13.00–14.45 as now (Rp250.000).
    expect(text).toContain("Dipakai 1 jam 20 menit, ditagih 1 jam 30 menit");
    expect(text).toContain("Rp187.500");
    expect(text).not.toContain("Rp250.000");
    expect((await usageOf(id)).actual_end).toBeNull();
  });

  it("check-out saves the usage with the fee rounded up to the increment, and the API shows it", async () => {
    f.app.setNow(wib(TODAY, "14:45"));
    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, {
      intent: "checkout",
      end: "14:20",
      shownFee: 187500,
      outputQuantity: "12,5",
      outputUnit: "kg",
      consumables: "Mata frais 1 buah",
      condition: "ok",
      notes: "",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/teknisi/pemesanan/${id}?ok=checkout#hasil`);
    const u = await usageOf(id);
    expect(Number(u.actual_end)).toBe(at("14:20"));
    expect(u.billable_minutes).toBe(90);
    expect(Number(u.hourly_rate)).toBe(125000);
    expect(Number(u.fee)).toBe(187500);
    expect(u.output_quantity).toBe(12.5);
    expect(u.output_unit).toBe("kg");
    expect(u.condition).toBe("ok");
    expect(u.confirmed_by).not.toBeNull();
    const json = await api(f.app, f.tech, "GET", `/api/v1/bookings/${id}`);
    expect(json.body.booking.status).toBe("completed");
    expect(json.body.booking.usage).toMatchObject({ billableMinutes: 90, fee: 187500, outputQuantity: 12.5, outputUnit: "kg" });
    const board = textOf(await (await page(f.app, f.techCookie, "/teknisi")).text());
    expect(board).toContain("Dipakai 13.00–14.20 · retribusi Rp187.500");
  });

  it("a correction recomputes the fee with the ORIGINAL tariff and keeps the old values in the audit trail", async () => {
    f.app.setNow(wib(TODAY, "15:00"));
    const cnc = await machineByCode(f.app, "CNC-03");
    // A new tariff that would have applied at 13.00 had it existed then: the correction must ignore it.
    await f.app.db.insertInto("machine_tariffs").values({ machine_id: cnc.id, hourly_rate: 400000, effective_from: at("10:00"), created_by: null, created_at: at("14:30") }).execute();
    const missing = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { intent: "correct", start: "13:00", end: "14:50", operatorKind: "ikm", operatorName: "Tarsono", reason: "" });
    expect(missing.status).toBe(400);
    expect(textOf(await missing.text())).toContain("tuliskan alasannya");

    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, {
      intent: "correct",
      start: "13:00",
      end: "14:50",
      operatorKind: "ikm",
      operatorName: "Tarsono",
      outputQuantity: "14",
      outputUnit: "kg",
      consumables: "Mata frais 1 buah",
      condition: "ok",
      notes: "",
      reason: "Salah tulis jam selesai di logbook",
    });
    expect(res.status).toBe(302);
    const u = await usageOf(id);
    expect(Number(u.actual_end)).toBe(at("14:50"));
    expect(u.billable_minutes).toBe(120);
    expect(Number(u.hourly_rate)).toBe(125000);
    expect(Number(u.fee)).toBe(250000);
    const [event] = await auditOf(f.app, "usage_record", u.id, "usage.correct");
    expect(event.reason).toBe("Salah tulis jam selesai di logbook");
    const before = JSON.parse(event.before_json ?? "{}");
    const after = JSON.parse(event.after_json ?? "{}");
    expect(before).toMatchObject({ actual_end: at("14:20"), fee: 187500, billable_minutes: 90, output_quantity: 12.5, operator_name: expect.any(String) });
    expect(after).toMatchObject({ actual_end: at("14:50"), fee: 250000, billable_minutes: 120, output_quantity: 14, operator_name: "Tarsono" });
    expect(event.actor_user_id).not.toBeNull();
    const screen = textOf(await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${id}`)).text());
    expect(screen).toContain("Salah tulis jam selesai di logbook");
    expect(screen).toMatch(/Retribusi\s*:\s*Rp187\.500 → Rp250\.000/);
    expect(screen).toMatch(/Hasil produksi\s*:\s*12,5 → 14/);
  });
});

describe("fees through the real check-out (API)", () => {
  it("a session shorter than one increment is billed one increment", async () => {
    const wld = await machineByCode(f.app, "WLD-02");
    const ikm = await ikmWithMember(f.app);
    const { id } = await book(f, { machineId: wld.id, ikmId: ikm.id, start: wib(TODAY, "13:00"), end: wib(TODAY, "14:00") });
    f.app.setNow(wib(TODAY, "13:00"));
    const inRes = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, { operatorKind: "unit" });
    expect(inRes.status).toBe(200);
    expect(inRes.body.booking.status).toBe("checked_in");
    expect(inRes.body.booking.usage.actualStart).toBe(new Date(at("13:00")).toISOString());
    expect(inRes.body.booking.usage.operatorName).toBe("Operator UPTD");
    f.app.setNow(wib(TODAY, "13:10"));
    const out = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { outputQuantity: 3, outputUnit: "set" });
    expect(out.status).toBe(200);
    expect(out.body.booking.status).toBe("completed");
    expect(out.body.booking.usage).toMatchObject({ billableMinutes: 30, hourlyRate: 30000, fee: 15000, outputQuantity: 3, outputUnit: "set" });
    expect(out.body.breakdown).toBeNull();
  });

  it("uses the tariff in force at the actual start, not the one when booked nor a later one", async () => {
    const sbl = await machineByCode(f.app, "SBL-01");
    const ikm = await ikmWithMember(f.app);
    const booked = await api(f.app, f.tech, "POST", "/api/v1/bookings", { machineId: sbl.id, ikmId: ikm.id, start: wib(TODAY, "13:00"), end: wib(TODAY, "15:00"), overrideReason: "uji" });
    expect(booked.status).toBe(201);
    expect(booked.body.feeEstimate).toBe(80000); // 2 h at the Rp40.000 tariff in force when booked
    const id = booked.body.booking.id;
    // Newer tariffs, recorded after the booking: one in force from 12.00, one from 13.30.
    await f.app.db
      .insertInto("machine_tariffs")
      .values([
        { machine_id: sbl.id, hourly_rate: 60000, effective_from: at("12:00"), created_by: null, created_at: at("09:30") },
        { machine_id: sbl.id, hourly_rate: 90000, effective_from: at("13:30"), created_by: null, created_at: at("09:30") },
      ])
      .execute();
    f.app.setNow(wib(TODAY, "13:05"));
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, { at: wib(TODAY, "13:00"), operatorName: "Wahyu", operatorKind: "ikm" })).status).toBe(200);
    f.app.setNow(wib(TODAY, "14:30"));
    const out = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { at: wib(TODAY, "14:00") });
    expect(out.status).toBe(200);
    expect(out.body.booking.usage).toMatchObject({ billableMinutes: 60, hourlyRate: 60000, fee: 60000, operatorName: "Wahyu" });
  });

  it("does not bill the break of a session that runs across it", async () => {
    const cut = await machineByCode(f.app, "CUT-01");
    const ikm = await ikmWithMember(f.app);
    const { id } = await book(f, { machineId: cut.id, ikmId: ikm.id, start: wib(TODAY, "11:00"), end: wib(TODAY, "12:00") });
    f.app.setNow(wib(TODAY, "11:00"));
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, {})).status).toBe(200);
    f.app.setNow(wib(TODAY, "13:45"));
    const out = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { at: wib(TODAY, "13:30") });
    expect(out.status).toBe(200);
    // 11.00–13.30 is 150 minutes, minus the 12.00–13.00 break: 90 minutes at Rp120.000/hour.
    expect(out.body.booking.usage).toMatchObject({ billableMinutes: 90, hourlyRate: 120000, fee: 180000 });
  });

  it("refuses impossible times and states with a clear error", async () => {
    const wld = await machineByCode(f.app, "WLD-02");
    const ikm = await ikmWithMember(f.app);
    const { id } = await book(f, { machineId: wld.id, ikmId: ikm.id, start: wib(TODAY, "15:00"), end: wib(TODAY, "16:00") });
    f.app.setNow(wib(TODAY, "15:00"));
    const future = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, { at: wib(TODAY, "15:30") });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toBe("Jam mulai tidak boleh lebih dari sekarang.");
    const noOffset = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, { at: "2026-12-01T15:00:00" });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.error.details.fields[0].field).toBe("at");
    const notIn = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, {});
    expect(notIn.status).toBe(409);
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, {})).status).toBe(200);
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, {})).status).toBe(409);
    const tooEarly = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { at: wib(TODAY, "14:59") });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.message).toContain("Jam selesai harus setelah jam mulai 15.00");
    const faultWithoutNotes = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { fault: true });
    expect(faultWithoutNotes.status).toBe(400);
    expect(faultWithoutNotes.body.error.details.fields[0]).toEqual({ field: "notes", message: "jelaskan kerusakannya di catatan" });
    const badUnit = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { intent: "checkout", end: "15:20", outputQuantity: "banyak", outputUnit: "ton" });
    expect(badUnit.status).toBe(400);
    const text = textOf(await badUnit.text());
    expect(text).toContain("isi angka 0 atau lebih");
    const pending = await f.app.db.selectFrom("bookings").select("id").where("status", "=", "pending").orderBy("start_at", "desc").executeTakeFirstOrThrow();
    const p = await api(f.app, f.tech, "POST", `/api/v1/bookings/${pending.id}/check-in`, {});
    expect(p.status).toBe(409);
    expect(p.body.error.message).toBe("Pemesanan ini belum disetujui.");
  });
});

describe("a fault at check-out", () => {
  it("opens a breakdown of the machine and lists the later bookings it affects", async () => {
    const prs = await machineByCode(f.app, "PRS-02");
    const ikm = await ikmWithMember(f.app);
    const { id } = await book(f, { machineId: prs.id, ikmId: ikm.id, start: wib(TODAY, "13:00"), end: wib(TODAY, "14:00") });
    f.app.setNow(wib(TODAY, "13:00"));
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-in`, {})).status).toBe(200);
    f.app.setNow(wib(TODAY, "13:45"));
    const out = await api(f.app, f.tech, "POST", `/api/v1/bookings/${id}/check-out`, { fault: true, notes: "Seal silinder bocor, oli menetes" });
    expect(out.status).toBe(200);
    expect(out.body.booking.usage.condition).toBe("fault");
    const w = out.body.breakdown.window;
    expect(w).toMatchObject({ machineId: prs.id, kind: "breakdown", end: null, reason: "Seal silinder bocor, oli menetes", start: new Date(at("13:45")).toISOString() });
    const later = await f.app.db
      .selectFrom("bookings")
      .select("id")
      .where("machine_id", "=", prs.id)
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .where("end_at", ">", at("13:45"))
      .orderBy("start_at")
      .execute();
    expect(later.length).toBeGreaterThan(0);
    expect(out.body.breakdown.affected.map((b: { id: number }) => b.id)).toEqual(later.map((b) => b.id));

    const screen = await page(f.app, f.techCookie, `/teknisi/pemesanan/${id}?ok=checkout&rusak=${w.id}`);
    const html = await screen.text();
    expect(textOf(html)).toContain("Kerusakan dicatat");
    expect(textOf(html)).toContain(`${later.length} pemesanan berikutnya di mesin ini terdampak`);
    expect(html).toContain(`href="/teknisi/perawatan/${w.id}"`);
    const board = textOf(await (await page(f.app, f.techCookie, "/teknisi")).text());
    expect(board).toContain("Rusak sejak 13.45: Seal silinder bocor, oli menetes");

    // A later booking of the broken machine cannot be checked in, and no new booking lands on it.
    const next = await f.app.db.selectFrom("bookings").selectAll().where("id", "=", later[0].id).executeTakeFirstOrThrow();
    f.app.setNow(new Date(Number(next.start_at)).toISOString());
    const refused = await api(f.app, f.tech, "POST", `/api/v1/bookings/${next.id}/check-in`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("Mesin sedang rusak");
    // A new booking tomorrow morning, even by staff, is refused for the open breakdown.
    const count = async () => Number((await f.app.db.selectFrom("bookings").select((eb) => eb.fn.countAll().as("n")).where("machine_id", "=", prs.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    const fresh = await api(f.app, f.tech, "POST", "/api/v1/bookings", {
      machineId: prs.id,
      ikmId: next.ikm_id,
      start: wib("2026-12-02", "08:00"),
      end: wib("2026-12-02", "09:00"),
      purpose: "Press bracket",
    });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(409);
    expect(fresh.body.error.details.violations.map((v: { code: string }) => v.code)).toContain("MAINTENANCE");
    expect(await count()).toBe(before);
  });
});

describe("tomorrow's booking on the floor card (issue 28)", () => {
  it("offers no 'Mulai pakai' before its day, says when it opens, and its WhatsApp text says 'besok'", async () => {
    const tomorrow = await f.app.db
      .selectFrom("bookings")
      .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
      .select(["bookings.id", "bookings.start_at"])
      .where("bookings.status", "=", "confirmed")
      .where("bookings.start_at", ">=", Date.parse(wib("2026-12-02", "00:00")))
      .where("bookings.start_at", "<", Date.parse(wib("2026-12-03", "00:00")))
      .where("ikms.phone", "is not", null)
      .orderBy("bookings.start_at")
      .executeTakeFirstOrThrow();
    const html = await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${tomorrow.id}`)).text();
    const screen = textOf(html);
    expect(screen).toContain("Mulai pakai bisa dicatat pada hari pemesanan, Rabu, 2 Desember 2026.");
    expect(html).not.toContain('name="go"');
    const wa = /href="(https:\/\/wa\.me\/[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, "&") ?? "";
    expect(decodeURIComponent(wa.split("?text=")[1] ?? "")).toContain("besok, Rabu, 2 Desember 2026, pukul");
    // A hand-made post is refused too, and nothing is written.
    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${tomorrow.id}`, { intent: "checkin", at: "09:00", operatorKind: "ikm", operatorName: "Uji" });
    expect(res.status).toBe(400);
    const refusedText = textOf(await res.text());
    expect(refusedText).toContain("Jam mulai tidak boleh lebih dari sekarang.");
    expect((await f.app.db.selectFrom("bookings").select("status").where("id", "=", tomorrow.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    // On its day the card offers it, and the WhatsApp text says "hari ini".
    f.app.setNow(wib("2026-12-02", "07:00"));
    const onTheDay = await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${tomorrow.id}`)).text();
    expect(onTheDay).toContain('name="go"');
    expect(decodeURIComponent(/href="https:\/\/wa\.me\/[^"?]+\?text=([^"]+)"/.exec(onTheDay)?.[1].replace(/&amp;/g, "&") ?? "")).toContain("hari ini, Rabu, 2 Desember 2026");
  });
});

describe("a check-in long before the booking's start is asked about first (issue 28)", () => {
  it("on the today board: a 13.00 booking at 09.20 asks 'Mulai 3 jam 40 menit lebih awal?' and writes nothing until confirmed", async () => {
    const m = await machineByCode(f.app, "CNC-03");
    const ikm = await qualifiedIkm(f.app, m, at("13:00"));
    const { id } = await heldSlot(f, { machineId: m.id, ikmId: ikm.id, start: wib(TODAY, "13:00"), end: wib(TODAY, "14:00") });
    f.app.setNow(wib(TODAY, "09:20"));
    const asked = await post(f.app, f.techCookie, "/teknisi?index", { intent: "checkin", bookingId: id });
    expect(asked.status).toBe(200);
    const html = await asked.text();
    expect(textOf(html)).toContain("Mulai 3 jam 40 menit lebih awal? Pemesanan ini mulai pukul 13.00 WIB.");
    expect(html).toContain('name="early" value="1"');
    expect((await f.app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    const done = await post(f.app, f.techCookie, "/teknisi?index", { intent: "checkin", bookingId: id, early: "1" });
    expect(done.headers.get("Location")).toBe(`/teknisi?ok=checkin&b=${id}#hasil`);
    expect(Number((await usageOf(id)).actual_start)).toBe(at("09:20"));
    expect(await (await page(f.app, f.techCookie, `/teknisi?ok=checkin&b=${id}`)).text()).toContain('id="hasil"');
  });

  it("on the booking's card too, for the start entered; within half an hour of the start nothing is asked", async () => {
    const m = await machineByCode(f.app, "CNC-03");
    const ikm = await qualifiedIkm(f.app, m, at("15:00"));
    const { id } = await heldSlot(f, { machineId: m.id, ikmId: ikm.id, start: wib(TODAY, "15:00"), end: wib(TODAY, "16:00") });
    f.app.setNow(wib(TODAY, "14:40"));
    const fields = { intent: "checkin", operatorKind: "ikm", operatorName: "Pak Darto" };
    const asked = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { ...fields, at: "13:00" });
    expect(textOf(await asked.text())).toContain("Mulai 2 jam lebih awal?");
    expect((await f.app.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    const near = await post(f.app, f.techCookie, `/teknisi/pemesanan/${id}`, { ...fields, at: "14:40" });
    expect(near.headers.get("Location")).toBe(`/teknisi/pemesanan/${id}?ok=checkin#hasil`);
    expect(Number((await usageOf(id)).actual_start)).toBe(at("14:40"));
  });
});
