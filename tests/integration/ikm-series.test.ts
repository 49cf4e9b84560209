/**
 * Weekly series through /pesan: decided date by date (some free, some refused with every
 * reason), booked in one action (a booking_series row plus one booking per fitting date, each
 * through requestBooking), quotas counting the earlier dates of the same series, and cancelled
 * from a date on.
 */
import { describe, expect, it } from "vitest";
import { loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { at, bookingFields, confirmFields, freeSlot, get, ikmOf, location, post, text, wibDate, writeCounts } from "./ikm-helpers";

/**
 * A start time (10.00–14.00, after the horizon's 09.00 cut) at which the machine is free on
 * each of the given dates, with an hour's margin: read from the data, not assumed.
 */
async function seriesSlot(app: Awaited<ReturnType<typeof loadApp>>, codes: string[], dates: string[]) {
  for (const code of codes) {
    const m = await app.db.selectFrom("machines").select(["id", "buffer_minutes"]).where("code", "=", code).executeTakeFirstOrThrow();
    const margin = ((m.buffer_minutes ?? 0) + 30) * 60_000;
    for (const start of ["09:30", "10:00", "10:30", "13:00", "13:30", "14:00"]) {
      const end = `${String(Number(start.slice(0, 2)) + 1).padStart(2, "0")}${start.slice(2)}`;
      let free = true;
      for (const d of dates) {
        const clash = await app.db
          .selectFrom("bookings")
          .select("id")
          .where("machine_id", "=", m.id)
          .where("status", "in", ["pending", "confirmed", "checked_in"])
          .where("start_at", "<", at(d, end) + margin)
          .where("hold_end_at", ">", at(d, start) - margin)
          .executeTakeFirst();
        if (clash) free = false;
      }
      if (free) return { machineId: m.id, code, date: dates[0], start, end };
    }
  }
  throw new Error(`no common free time on ${codes.join(", ")}`);
}

// Thursdays from 3 December 2026: 3, 10 and 17 are working days; 24 December is a closure day
// (cuti bersama); 31 December after 09.00 and 7 January are beyond the 30-day horizon.
const THURSDAYS = ["2026-12-03", "2026-12-10", "2026-12-17"];

describe("weekly series", () => {
  it("shows per date which are free and which are refused and why, writing nothing", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const slot = await seriesSlot(app, ["BND-01", "WLD-02", "PRS-02", "SBL-01"], THURSDAYS);
    const closure = await app.db.selectFrom("closure_days").select("name").where("date", "=", "2026-12-24").executeTakeFirst();
    expect(closure).toBeTruthy();
    const before = await writeCounts(app);
    const res = await app.fetch("/pesan", post(bookingFields(slot, { weeks: "6" }), cookie));
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain("Jadwal berulang: 6 tanggal");
    expect(page).toContain("3 dari 6 tanggal bisa dipesan.");
    expect(page).toContain("Kamis, 24 Desember 2026");
    expect(page).toContain("UPTD libur pada Kamis, 24 Desember 2026.");
    expect(page).toContain("Pemesanan paling jauh 30 hari ke depan.");
    expect(page).toContain("Tidak bisa");
    expect(await writeCounts(app)).toEqual(before);
  });

  it("books the fitting dates in one action, records the refused ones, and cancels from a date on", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const slot = await seriesSlot(app, ["CUT-01", "WLD-01", "BND-01", "PRS-01"], THURSDAYS);
    const free = THURSDAYS;
    const before = await writeCounts(app);
    const to = location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { weeks: "6", purpose: "Potong pola knalpot" }), cookie)));
    expect(to).toMatch(/^\/pemesanan\/seri\/\d+\?baru=1$/);
    const seriesId = Number(to.split("/")[3].split("?")[0]);
    const series = await app.db.selectFrom("booking_series").selectAll().where("id", "=", seriesId).executeTakeFirstOrThrow();
    expect(series).toMatchObject({ ikm_id: me.ikmId, machine_id: slot.machineId, weeks: 6, duration_minutes: 60, first_start: at(slot.date, slot.start) });
    const booked = await app.db.selectFrom("bookings").selectAll().where("series_id", "=", seriesId).orderBy("start_at").execute();
    expect(booked.map((b) => wibDate(Number(b.start_at)))).toEqual(free);
    for (const b of booked) expect(b).toMatchObject({ status: "confirmed", ikm_id: me.ikmId, purpose: "Potong pola knalpot" });
    const after = await writeCounts(app);
    expect(after.bookings - before.bookings).toBe(free.length);
    expect(after.attempts - before.attempts).toBe(6 - free.length); // the refused dates are recorded as unmet demand
    const refused = await app.db.selectFrom("booking_attempts").select(["codes", "start_at"]).orderBy("id", "desc").limit(6 - free.length).execute();
    expect(refused.map((r) => r.codes).join(",")).toContain("CLOSED_DAY");
    expect(refused.map((r) => r.codes).join(",")).toContain("TOO_FAR");

    const page = text(await (await app.fetch(to, get(cookie))).text());
    expect(page).toContain(`${free.length} tanggal berhasil dipesan`);
    expect(page).toContain("pengingat sehari sebelumnya");

    // Cancel from the second booked date on: a confirm step listing them, then each is cancelled.
    {
      const from = wibDate(Number(booked[1].start_at));
      expect(from).toBe("2026-12-10");
      const step = await app.fetch(`/pemesanan/seri/${seriesId}`, post({ from }, cookie));
      expect(step.status).toBe(200);
      expect(text(await step.text())).toContain(`${booked.length - 1} pemesanan mulai`);
      expect((await app.db.selectFrom("bookings").select("status").where("series_id", "=", seriesId).execute()).every((b) => b.status === "confirmed")).toBe(true);
      const done = location(await app.fetch(`/pemesanan/seri/${seriesId}`, post({ from, confirm: "1" }, cookie)));
      expect(done).toBe(`/pemesanan/seri/${seriesId}?dibatalkan=${booked.length - 1}`);
      const now = await app.db.selectFrom("bookings").select(["status", "late_cancel"]).where("series_id", "=", seriesId).orderBy("start_at").execute();
      expect(now[0].status).toBe("confirmed");
      expect(now.slice(1).every((b) => b.status === "cancelled" && b.late_cancel === 0)).toBe(true);
    }
  });

  // Only the active-bookings quota can be reached by a weekly series' own dates: each date is in
  // an ISO week of its own, so the weekly-hours quota (QUOTA_HOURS) never sees two of them.
  it("the active-bookings quota (QUOTA_ACTIVE) counts the earlier dates of the same series", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm1@giliran.test");
    const me = await ikmOf(app, "ikm1@giliran.test");
    const active = await app.db
      .selectFrom("bookings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ikm_id", "=", me.ikmId)
      .where("start_at", ">", TEST_NOW)
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .executeTakeFirstOrThrow();
    let slot: Awaited<ReturnType<typeof seriesSlot>> | null = null;
    for (const weekly of [["2026-12-08", "2026-12-15", "2026-12-22"], ["2026-12-09", "2026-12-16", "2026-12-23"], ["2026-12-07", "2026-12-14", "2026-12-21"], THURSDAYS]) {
      slot = await seriesSlot(app, ["PRS-02", "WLD-02", "BND-01", "WLD-01"], weekly).catch(() => null);
      if (slot) break;
    }
    if (!slot) throw new Error("no weekly free time for the quota test");
    // Room for exactly one more active booking on this machine: the first date fits, the next ones
    // are refused because the first one counts.
    await app.db.updateTable("machines").set({ max_active_bookings: Number(active.n) + 1 }).where("id", "=", slot.machineId).execute();
    const res = await app.fetch("/pesan", post(bookingFields(slot, { weeks: "3" }), cookie));
    const page = text(await res.text());
    expect(page).toContain("1 dari 3 tanggal bisa dipesan.");
    expect(page).toContain(`IKM Anda sudah memiliki ${Number(active.n) + 1} pemesanan aktif (maksimal ${Number(active.n) + 1}).`);
    const to = location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { weeks: "3" }), cookie)));
    const seriesId = Number(to.split("/")[3].split("?")[0]);
    const booked = await app.db.selectFrom("bookings").select("start_at").where("series_id", "=", seriesId).execute();
    expect(booked.map((b) => wibDate(Number(b.start_at)))).toEqual([slot.date]);
    await app.db.updateTable("machines").set({ max_active_bookings: null }).where("id", "=", slot.machineId).execute();
  });

  it("nothing is written when no date fits, and another IKM's series is a 404", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const before = await writeCounts(app);
    // Saturdays: the unit is closed every time.
    const slot = { machineId: (await freeSlot(app, "WLD-01", 60, 2)).machineId, date: "2026-12-05", start: "08:00", end: "09:00" };
    const res = await app.fetch("/pesan", post(await confirmFields(app, cookie, slot, { weeks: "2" }), cookie));
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("0 dari 2 tanggal bisa dipesan.");
    expect((await writeCounts(app)).series).toBe(before.series);
    expect((await writeCounts(app)).bookings).toBe(before.bookings);

    // ikm2's series from the test above is not ikm1's to see or change.
    const me = await ikmOf(app, "ikm2@giliran.test");
    const s = await app.db.selectFrom("booking_series").select("id").where("ikm_id", "=", me.ikmId).executeTakeFirstOrThrow();
    const visitor = await app.login("ikm1@giliran.test");
    const res2 = await app.fetch(`/pemesanan/seri/${s.id}`, get(visitor));
    expect(res2.status).toBe(404);
    expect((await app.fetch(`/pemesanan/seri/${s.id}`, post({ from: "2026-12-01", confirm: "1" }, visitor))).status).toBe(404);
    expect((await app.db.selectFrom("bookings").select("status").where("series_id", "=", s.id).orderBy("start_at").executeTakeFirstOrThrow()).status).toBe("confirmed");
  });
});
