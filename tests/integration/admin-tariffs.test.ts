/**
 * Tariff history: a fee charged before a tariff change keeps its rate; a check-out after the new
 * tariff's date uses the new rate. Bookings are checked in and out through the floor API, with
 * the clock moved to each session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tariffAt } from "~/models/scheduling.server";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW_ISO } from "../support/constants";
import { TECHNICIAN, apiCall, cookies, expectFormError, freeSlot, pageText, postForm, wib } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;
let machineId: number;
let ikmId: number;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
  machineId = (await app.db.selectFrom("machines").select("id").where("code", "=", "WLD-01").executeTakeFirstOrThrow()).id;
  ikmId = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", "ikm1@giliran.test").executeTakeFirstOrThrow()).ikm_id as number;
});

afterAll(() => app.setNow(TEST_NOW_ISO));

const usageRows = () =>
  app.db
    .selectFrom("usage_records")
    .innerJoin("bookings", "bookings.id", "usage_records.booking_id")
    .select(["usage_records.id", "usage_records.hourly_rate", "usage_records.fee", "usage_records.billable_minutes"])
    .where("bookings.machine_id", "=", machineId)
    .orderBy("usage_records.id")
    .execute();

/** Book a slot as staff for ikm1, then check it in and out through the API at its own times. */
async function useSlot(token: string, slot: { start: number; end: number }) {
  const booked = await apiCall(app, "POST", "/api/v1/bookings", token, { machineId, ikmId, start: wib(slot.start), end: wib(slot.end), purpose: "Las dudukan knalpot" });
  expect(booked.status).toBe(201);
  const id = ((await booked.json()) as { booking: { id: number } }).booking.id;
  app.setNow(wib(slot.start + 5 * 60_000));
  const tech = await app.apiLogin(TECHNICIAN);
  expect((await apiCall(app, "POST", `/api/v1/bookings/${id}/check-in`, tech, {})).status).toBe(200);
  app.setNow(wib(slot.end));
  const out = await apiCall(app, "POST", `/api/v1/bookings/${id}/check-out`, tech, { outputQuantity: 20, outputUnit: "pcs" });
  expect(out.status).toBe(200);
  const { booking } = (await out.json()) as { booking: { usage: { hourlyRate: number; fee: number; billableMinutes: number } } };
  return { id, usage: booking.usage };
}

/** The first free span on any of these days (after 08.00 of the first). */
async function firstFree(token: string, days: string[], minutes: number) {
  for (const day of days) {
    try {
      return await freeSlot(app, token, machineId, day, minutes, Date.parse(`${days[0]}T08:00:00+07:00`));
    } catch {
      // busy that day: try the next
    }
  }
  throw new Error("no free slot on any day");
}

describe("tariff history", () => {
  it("a fee charged before a new tariff stays; a check-out after its date uses the new rate", async () => {
    const tech = await app.apiLogin(TECHNICIAN);
    const facility = await app.db.selectFrom("facility").selectAll().executeTakeFirstOrThrow();
    const oldRate = await tariffAt(app.db, machineId, Date.parse(TEST_NOW_ISO), facility);
    expect(oldRate).toBe(35000);

    // Wednesday 2 December: a one-hour session at the old rate.
    const before = await useSlot(tech, await firstFree(tech, ["2026-12-02"], 60));
    expect(before.usage).toMatchObject({ hourlyRate: 35000, billableMinutes: 60, fee: 35000 });
    const history = await usageRows();

    // The admin adds a new tariff from Thursday 3 December (the clock is on the 2nd).
    const res = await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "addTariff", hourlyRate: "Rp45.000", effectiveFrom: "2026-12-03" });
    expect(res.status).toBe(302);
    const thursday = Date.parse("2026-12-03T00:00:00+07:00");
    const tariffs = await app.db.selectFrom("machine_tariffs").selectAll().where("machine_id", "=", machineId).orderBy("effective_from").execute();
    expect(tariffs.map((t) => [Number(t.hourly_rate), Number(t.effective_from)])).toEqual([
      [35000, Date.parse("2026-01-01T00:00:00+07:00")],
      [45000, thursday],
    ]);

    // History is untouched: every stored fee and rate on this machine is as it was.
    expect(await usageRows()).toEqual(history);
    // The tariff in force at each instant.
    expect(await tariffAt(app.db, machineId, thursday - 1, facility)).toBe(35000);
    expect(await tariffAt(app.db, machineId, thursday, facility)).toBe(45000);

    // Thursday: a session after the new tariff's date is charged at the new rate.
    app.setNow("2026-12-03T07:00:00+07:00");
    const tech2 = await app.apiLogin(TECHNICIAN);
    const after = await useSlot(tech2, await firstFree(tech2, ["2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09"], 90));
    expect(after.usage).toMatchObject({ hourlyRate: 45000, billableMinutes: 90, fee: 67500 });
    // ...and the earlier fee still reads the same.
    const first = await app.db.selectFrom("usage_records").selectAll().where("booking_id", "=", before.id).executeTakeFirstOrThrow();
    expect([Number(first.hourly_rate), Number(first.fee)]).toEqual([35000, 35000]);

    // The machine page lists the history, the current one marked.
    const page = await pageText(await app.fetch(`/admin/mesin/${machineId}`, { headers: { Cookie: c.manager } }));
    expect(page).toContain("Rp45.000");
    expect(page).toContain("Berlaku sekarang");
    expect(page).toContain("Riwayat");
  });

  it("refuses a tariff dated before today, a bad rate; removes only a tariff not yet in force", async () => {
    app.setNow("2026-12-03T12:00:00+07:00");
    await expectFormError(
      await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "addTariff", hourlyRate: "50000", effectiveFrom: "2026-12-02" }),
      400,
      "Tanggal berlaku tidak boleh sebelum hari ini, agar retribusi yang sudah tercatat tidak berubah.",
    );
    await expectFormError(await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "addTariff", hourlyRate: "50,5", effectiveFrom: "2026-12-10" }), 400, "Isi tarif dalam rupiah");
    await expectFormError(await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "addTariff", hourlyRate: "", effectiveFrom: "2026-12-10" }), 400, "Isi tarif dalam rupiah");
    expect((await postForm(app, `/admin/mesin/${machineId}`, c.manager, { intent: "addTariff", hourlyRate: "50000", effectiveFrom: "2026-12-10" })).status).toBe(403);

    expect((await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "addTariff", hourlyRate: "50.000", effectiveFrom: "2027-01-01" })).status).toBe(302);
    const future = await app.db.selectFrom("machine_tariffs").selectAll().where("machine_id", "=", machineId).where("hourly_rate", "=", 50000).executeTakeFirstOrThrow();
    const page = await pageText(await app.fetch(`/admin/mesin/${machineId}`, { headers: { Cookie: c.admin } }));
    expect(page).toContain("Akan berlaku");
    expect((await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "removeTariff", tariffId: String(future.id) })).status).toBe(302);
    expect(await app.db.selectFrom("machine_tariffs").select("id").where("id", "=", future.id).executeTakeFirst()).toBeUndefined();

    const current = await app.db.selectFrom("machine_tariffs").selectAll().where("machine_id", "=", machineId).where("hourly_rate", "=", 45000).executeTakeFirstOrThrow();
    await expectFormError(await postForm(app, `/admin/mesin/${machineId}`, c.admin, { intent: "removeTariff", tariffId: String(current.id) }), 409, "Tarif ini sudah berlaku dan menjadi riwayat; tidak dapat dihapus.");
    const actions = await app.db.selectFrom("audit_events").select("action").where("entity", "=", "machine_tariff").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["tariff.create", "tariff.create", "tariff.delete"]);
  });
});
