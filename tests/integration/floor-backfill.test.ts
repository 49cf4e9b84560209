/**
 * The paper logbook and walk-ins: both go through the booking engine (staff exempt from
 * IN_PAST/TOO_SOON; OVERLAP never overridable), a backfill immediately gets its completed usage
 * with the fee, and both stay flagged with their source.
 */
import { sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testEngine } from "../support/db";
import { TEST_NOW_ISO } from "../support/constants";
import { type Floor, TODAY, YESTERDAY, api, auditOf, floorSetup, heldSlot, ikmWithMember, machineByCode, page, post, textOf, wib } from "./floor-helpers";

let f: Floor;
const MIN = 60_000;

beforeAll(async () => {
  f = await floorSetup();
});
beforeEach(() => f.app.setNow(TEST_NOW_ISO));

/** Bookings that used or hold the machine on a day (completed ones included). */
async function usedOn(machineId: number, date: string) {
  return f.app.db
    .selectFrom("bookings")
    .selectAll()
    .where("machine_id", "=", machineId)
    .where("status", "in", ["pending", "confirmed", "checked_in", "completed"])
    .where("start_at", ">=", Date.parse(wib(date, "00:00")))
    .where("start_at", "<", Date.parse(wib(date, "23:59")))
    .orderBy("start_at")
    .execute();
}

/** The first two free hours of a machine on a day, inside the morning opening hours. */
async function freeTwoHours(machineId: number, date: string): Promise<number | null> {
  const used = await usedOn(machineId, date);
  for (let t = Date.parse(wib(date, "07:30")); t + 120 * MIN <= Date.parse(wib(date, "12:00")); t += 30 * MIN) {
    if (!used.some((b) => Number(b.start_at) < t + 120 * MIN && Number(b.end_at) > t)) return t;
  }
  return null;
}

const hhmm = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(11, 16);

describe("backfill from the paper logbook", () => {
  it("records past usage as a completed booking with its usage and fee, flagged as from the logbook", async () => {
    const ikm = await ikmWithMember(f.app);
    let machine: Awaited<ReturnType<typeof machineByCode>> | undefined;
    let gap: number | null = null;
    for (const code of ["BND-01", "PRS-02", "WLD-02", "SBL-01", "PRS-01", "WLD-01"]) {
      machine = await machineByCode(f.app, code);
      gap = await freeTwoHours(machine.id, YESTERDAY);
      if (gap !== null) break;
    }
    expect(gap).not.toBeNull();
    const start = gap! + 10 * MIN;
    const end = gap! + 95 * MIN; // 85 minutes: billed 90
    const res = await post(f.app, f.techCookie, "/teknisi/catat", {
      intent: "backfill",
      machineId: machine!.id,
      ikmId: ikm.id,
      date: YESTERDAY,
      start: hhmm(start).replace(":", "."),
      end: hhmm(end),
      purpose: "Tekuk bracket (logbook hal. 14)",
      operatorKind: "ikm",
      operatorName: "Slamet",
      outputQuantity: "40",
      outputUnit: "pcs",
      consumables: "",
      condition: "ok",
      notes: "Disalin dari logbook",
    });
    expect(res.status).toBe(302);
    const id = Number(/\/teknisi\/pemesanan\/(\d+)\?ok=backfill/.exec(res.headers.get("Location") ?? "")?.[1]);
    const b = await f.app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: "completed", source: "backfill", machine_id: machine!.id, ikm_id: ikm.id, start_at: gap!, end_at: gap! + 120 * MIN });
    const u = await f.app.db.selectFrom("usage_records").selectAll().where("booking_id", "=", id).executeTakeFirstOrThrow();
    const rate = await f.app.db.selectFrom("machine_tariffs").select("hourly_rate").where("machine_id", "=", machine!.id).where("effective_from", "<=", start).orderBy("effective_from", "desc").executeTakeFirstOrThrow();
    expect({ start: Number(u.actual_start), end: Number(u.actual_end), billable: u.billable_minutes, rate: Number(u.hourly_rate), fee: Number(u.fee), operator: u.operator_name, qty: u.output_quantity }).toEqual({
      start,
      end,
      billable: 90,
      rate: Number(rate.hourly_rate),
      fee: Math.round((Number(rate.hourly_rate) * 90) / 60),
      operator: "Slamet",
      qty: 40,
    });
    expect((await auditOf(f.app, "booking", id, "usage.backfill")).length).toBe(1);
    const json = await api(f.app, f.tech, "GET", `/api/v1/bookings/${id}`);
    expect(json.body.booking).toMatchObject({ source: "backfill", status: "completed", usage: { billableMinutes: 90 } });
    const screen = textOf(await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${id}?ok=backfill`)).text());
    expect(screen).toContain("Pemakaian dari logbook disimpan.");
    expect(screen).toContain("Dari logbook");
  });

  it("is refused when it would overlap a completed booking of the machine (OVERLAP), writing nothing", async () => {
    const bnd = await machineByCode(f.app, "BND-01");
    const [done] = (await usedOn(bnd.id, YESTERDAY)).filter((b) => b.status === "completed");
    expect(done).toBeDefined();
    const other = await ikmWithMember(f.app, [done.ikm_id]);
    const count = (await f.app.db.selectFrom("bookings").select("id").execute()).length;
    const res = await post(f.app, f.techCookie, "/teknisi/catat", {
      intent: "backfill",
      machineId: bnd.id,
      ikmId: other.id,
      date: YESTERDAY,
      start: hhmm(Number(done.start_at)),
      end: hhmm(Number(done.start_at) + 60 * MIN),
      operatorKind: "unit",
    });
    expect(res.status).toBe(409);
    const text = textOf(await res.text());
    expect(text).toContain("Belum bisa dicatat:");
    expect(text).toContain(`Mesin sudah dipesan ${hhmm(Number(done.start_at)).replace(":", ".")}–${hhmm(Number(done.end_at)).replace(":", ".")} WIB.`);
    expect((await f.app.db.selectFrom("bookings").select("id").execute()).length).toBe(count);
  });

  it("is refused by the engine when it would overlap a booking that holds the slot (OVERLAP)", async () => {
    // A walk-in this morning still holds its slot (not checked out).
    const wld1 = await machineByCode(f.app, "WLD-01");
    const holder = await ikmWithMember(f.app);
    const today = await heldSlot(f, { machineId: wld1.id, ikmId: holder.id, start: wib(TODAY, "07:30"), end: wib(TODAY, "08:30"), source: "walk_in" });
    const other = await ikmWithMember(f.app, [today.ikm_id]);
    const res = await post(f.app, f.techCookie, "/teknisi/catat", {
      intent: "backfill",
      machineId: today.machine_id,
      ikmId: other.id,
      date: TODAY,
      start: hhmm(Number(today.start_at)),
      end: hhmm(Number(today.start_at) + 30 * MIN),
      operatorKind: "unit",
    });
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain("Mesin sudah dipesan");
    const attempts = await f.app.db.selectFrom("booking_attempts").selectAll().where("ikm_id", "=", other.id).where("machine_id", "=", today.machine_id).where("start_at", "=", Number(today.start_at)).execute();
    expect(attempts.some((a) => a.codes.split(",").includes("OVERLAP"))).toBe(true);
  });

  it("names each bad field in Indonesian", async () => {
    const res = await post(f.app, f.techCookie, "/teknisi/catat", { intent: "backfill", machineId: "", ikmId: 1, date: "2026-13-40", start: "25.00", end: "09:00", operatorKind: "ikm", operatorName: "", outputQuantity: "5" });
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    for (const message of ["harus berupa bilangan bulat positif", "harus berupa tanggal YYYY-MM-DD", "isi jam dengan format 08.30", "tulis nama operator", "pilih satuan hasil produksi"]) expect(text).toContain(message);
    const wld = await machineByCode(f.app, "WLD-02");
    const future = await post(f.app, f.techCookie, "/teknisi/catat", { intent: "backfill", machineId: wld.id, ikmId: 1, date: TODAY, start: "08:30", end: "09:30", operatorKind: "unit" });
    expect(future.status).toBe(400);
    expect(textOf(await future.text())).toContain("Jam selesai tidak boleh lebih dari sekarang.");
  });
  it("writes the booking and its usage in one transaction: when the usage cannot be written, no booking is left", async () => {
    const ikm = await ikmWithMember(f.app);
    let machine: Awaited<ReturnType<typeof machineByCode>> | undefined;
    let gap: number | null = null;
    for (const code of ["WLD-01", "SBL-01", "PRS-01", "WLD-02", "PRS-02", "BND-01"]) {
      machine = await machineByCode(f.app, code);
      gap = await freeTwoHours(machine.id, YESTERDAY);
      if (gap !== null) break;
    }
    expect(gap).not.toBeNull();
    // The database refuses this one usage record, as a full disk or a broken constraint would.
    const marker = "uji-gagal-tulis";
    if (testEngine() === "postgres") {
      await sql`create function refuse_usage() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`.execute(f.app.db);
      await sql.raw(`create trigger refuse_usage before insert on usage_records for each row when (new.notes = '${marker}') execute function refuse_usage()`).execute(f.app.db);
    } else {
      await sql.raw(`create trigger refuse_usage before insert on usage_records when new.notes = '${marker}' begin select raise(abort, 'refused by test'); end`).execute(f.app.db);
    }
    try {
      const before = (await usedOn(machine!.id, YESTERDAY)).length;
      const res = await post(f.app, f.techCookie, "/teknisi/catat", {
        intent: "backfill",
        machineId: machine!.id,
        ikmId: ikm.id,
        date: YESTERDAY,
        start: hhmm(gap!),
        end: hhmm(gap! + 60 * MIN),
        purpose: "Tidak boleh tertinggal",
        operatorKind: "unit",
        notes: marker,
      });
      expect(res.status).not.toBe(302);
      expect((await usedOn(machine!.id, YESTERDAY)).length).toBe(before);
      expect(await f.app.db.selectFrom("bookings").select("id").where("purpose", "=", "Tidak boleh tertinggal").execute()).toEqual([]);
    } finally {
      await sql`drop trigger refuse_usage${sql.raw(testEngine() === "postgres" ? " on usage_records" : "")}`.execute(f.app.db);
      if (testEngine() === "postgres") await sql`drop function refuse_usage()`.execute(f.app.db);
    }
  });
});

describe("walk-ins", () => {
  it("start now on the slot grid and are checked in at once, flagged as walk-in on the board", async () => {
    f.app.setNow(wib(TODAY, "09:10"));
    const wld = await machineByCode(f.app, "WLD-02");
    const ikm = await ikmWithMember(f.app);
    const res = await post(f.app, f.techCookie, "/teknisi/catat", { intent: "walkin", machineId: wld.id, ikmId: ikm.id, minutes: 90, purpose: "Las knalpot pelanggan", operatorKind: "unit", operatorName: "" });
    expect(res.status).toBe(302);
    const id = Number(/\/teknisi\/pemesanan\/(\d+)\?ok=walkin/.exec(res.headers.get("Location") ?? "")?.[1]);
    const b = await f.app.db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: "checked_in", source: "walk_in", start_at: Date.parse(wib(TODAY, "09:00")), end_at: Date.parse(wib(TODAY, "10:30")) });
    const u = await f.app.db.selectFrom("usage_records").selectAll().where("booking_id", "=", id).executeTakeFirstOrThrow();
    expect({ start: Number(u.actual_start), operator: u.operator_name, kind: u.operator_kind }).toEqual({ start: Date.parse(wib(TODAY, "09:10")), operator: "Operator UPTD", kind: "unit" });
    const board = textOf(await (await page(f.app, f.techCookie, "/teknisi")).text());
    expect(board).toContain("Las knalpot pelanggan");
    expect(board).toContain("Datang langsung");
  });

  it("is refused with the reasons and free alternatives when the machine is taken", async () => {
    const bnd = await machineByCode(f.app, "BND-01");
    const holder = await ikmWithMember(f.app);
    const busy = await heldSlot(f, { machineId: bnd.id, ikmId: holder.id, start: wib(TODAY, "09:00"), end: wib(TODAY, "11:00") });
    f.app.setNow(wib(TODAY, "09:10"));
    const other = await ikmWithMember(f.app, [busy.ikm_id]);
    const res = await post(f.app, f.techCookie, "/teknisi/catat", { intent: "walkin", machineId: busy.machine_id, ikmId: other.id, minutes: 60, operatorKind: "ikm", operatorName: "Darto" });
    expect(res.status).toBe(409);
    const text = textOf(await res.text());
    expect(text).toContain("Mesin sudah dipesan");
    expect(text).toContain("Waktu lain yang masih kosong:");
  });
});
