/**
 * The approval queue: future requests first, competing requests (same machine, same day) ranked
 * by fair priority with the reason in words, approve, and reject with a required reason.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW, TEST_NOW_ISO } from "../support/constants";
import { type Floor, api, floorSetup, machineByCode, notificationsOf, page, post, textOf, wib } from "./floor-helpers";

let f: Floor;
const DAY = 86_400_000;

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return `${h} jam ${m} menit`;
  if (h) return `${h} jam`;
  return minutes === 0 ? "0 jam" : `${m} menit`;
}

/** Minutes an IKM used machines of a type in the 30 days before now (completed usage). */
async function recentUse(ikmId: number, typeId: number): Promise<number> {
  const rows = await f.app.db
    .selectFrom("usage_records as u")
    .innerJoin("bookings", "bookings.id", "u.booking_id")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .select(["u.actual_start", "u.actual_end"])
    .where("bookings.ikm_id", "=", ikmId)
    .where("machines.type_id", "=", typeId)
    .where("bookings.status", "=", "completed")
    .where("u.actual_start", ">=", TEST_NOW - 30 * DAY)
    .where("u.actual_start", "<", TEST_NOW)
    .execute();
  return rows.reduce((n, r) => n + Math.round((Number(r.actual_end) - Number(r.actual_start)) / 60_000), 0);
}

/** The part of the queue page about one machine on one day. */
function groupText(html: string, machineId: number, date: string): string {
  const start = html.indexOf(`id="g-${machineId}:${date}"`);
  expect(start, `group ${machineId} ${date}`).toBeGreaterThan(-1);
  const end = html.indexOf("</section>", start);
  return textOf(html.slice(start, end));
}

let plt: Awaited<ReturnType<typeof machineByCode>>;
let day: string;
let busyIkm: { id: number; name: string; minutes: number; bookingId: number };
let idleIkm: { id: number; name: string; minutes: number; bookingId: number };

beforeAll(async () => {
  f = await floorSetup();
  plt = await machineByCode(f.app, "PLT-01");
  // Two IKMs with member logins: the one that used the plating line most in the last 30 days,
  // and the one that used it least.
  const ikms = await f.app.db
    .selectFrom("ikms")
    .innerJoin("users", "users.ikm_id", "ikms.id")
    .select(["ikms.id", "ikms.name", "users.email"])
    .where("ikms.active", "=", 1)
    .where("users.active", "=", 1)
    .where("ikms.restricted_until", "is", null)
    .where("users.email", "is not", null)
    .orderBy("ikms.id")
    .execute();
  const active = async (ikmId: number) =>
    (await f.app.db.selectFrom("bookings").select("id").where("ikm_id", "=", ikmId).where("start_at", ">", TEST_NOW).where("status", "in", ["pending", "confirmed"]).execute()).length;
  const withRoom = [];
  for (const i of ikms) if ((await active(i.id)) < 9) withRoom.push(i);
  const used = (await Promise.all(withRoom.map(async (i) => ({ ...i, minutes: await recentUse(i.id, plt.type_id) })))).sort((a, b) => a.minutes - b.minutes);
  const idle = used[0];
  const busy = used[used.length - 1];
  expect(busy.minutes).toBeGreaterThan(idle.minutes);
  const [busyToken, idleToken] = await Promise.all([f.app.apiLogin(busy.email ?? ""), f.app.apiLogin(idle.email ?? "")]);

  // A future day with no pending request on the plating line yet, where both fit: the IKM that
  // used the line asks first (09.00), the other asks later (09.05). Each books as itself.
  const pending = await f.app.db.selectFrom("bookings").select("start_at").where("machine_id", "=", plt.id).where("status", "=", "pending").execute();
  const freeHour = async (date: string) => {
    const avail = await api(f.app, f.tech, "GET", `/api/v1/machines/${plt.id}/availability?from=${encodeURIComponent(wib(date, "00:00"))}&to=${encodeURIComponent(wib(date, "23:59"))}`);
    return (avail.body.free as Array<{ start: string; end: string }>).filter((x) => Date.parse(x.end) - Date.parse(x.start) >= 3_600_000);
  };
  for (let d = 3; d <= 28 && !day; d++) {
    const date = `2026-12-${String(d).padStart(2, "0")}`;
    if (pending.some((p) => new Date(Number(p.start_at) + 7 * 3_600_000).toISOString().startsWith(date))) continue;
    const slots = await freeHour(date);
    if (!slots.length) continue;
    f.app.setNow(TEST_NOW_ISO);
    const first = await api(f.app, busyToken, "POST", "/api/v1/bookings", { machineId: plt.id, start: slots[0].start, end: new Date(Date.parse(slots[0].start) + 3_600_000).toISOString(), purpose: "Krom knalpot" });
    if (first.status !== 201) continue;
    const [next] = await freeHour(date);
    f.app.setNow("2026-12-01T09:05:00+07:00");
    const second = next
      ? await api(f.app, idleToken, "POST", "/api/v1/bookings", { machineId: plt.id, start: next.start, end: new Date(Date.parse(next.start) + 3_600_000).toISOString(), purpose: "Nikel baut" })
      : null;
    if (second?.status !== 201) {
      expect((await api(f.app, busyToken, "POST", `/api/v1/bookings/${first.body.booking.id}/cancel`, { reason: "uji" })).status).toBe(200);
      continue;
    }
    expect(first.body.booking.status).toBe("pending");
    expect(second.body.booking.status).toBe("pending");
    day = date;
    busyIkm = { id: busy.id, name: busy.name, minutes: busy.minutes, bookingId: first.body.booking.id };
    idleIkm = { id: idle.id, name: idle.name, minutes: idle.minutes, bookingId: second.body.booking.id };
  }
  expect(day).toBeDefined();
});
beforeEach(() => f.app.setNow(TEST_NOW_ISO));

describe("the approval queue", () => {
  it("puts future requests first and requests whose time has passed after them", async () => {
    const html = await (await page(f.app, f.techCookie, "/teknisi/persetujuan")).text();
    const flags = [...html.matchAll(/class="card floor-group( floor-group-past)?"/g)].map((m) => !!m[1]);
    expect(flags.length).toBeGreaterThan(2);
    expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    expect(flags[0]).toBe(false);
  });

  it("ranks the IKM that used the machine type least first, even though it asked later, and says why", async () => {
    const html = await (await page(f.app, f.techCookie, "/teknisi/persetujuan")).text();
    const text = groupText(html, plt.id, day);
    expect(text).toContain("2 permintaan bersaing");
    const idleAt = text.indexOf(idleIkm.name);
    const busyAt = text.indexOf(busyIkm.name);
    expect(idleAt).toBeGreaterThan(-1);
    expect(busyAt).toBeGreaterThan(idleAt);
    expect(text).toContain("Urutan 1 dari 2");
    expect(text).toContain(`IKM ini paling sedikit memakai jenis mesin ini 30 hari terakhir: ${duration(idleIkm.minutes)}.`);
    expect(text).toContain(`IKM ini sudah memakai jenis mesin ini ${duration(busyIkm.minutes)} dalam 30 hari terakhir, lebih banyak dari IKM di atasnya.`);
    expect(text.indexOf("Urutan 1 dari 2")).toBeLessThan(idleAt);
  });

  it("approves a request: confirmed, the IKM told", async () => {
    const res = await post(f.app, f.techCookie, "/teknisi/persetujuan", { intent: "approve", bookingId: idleIkm.bookingId });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/teknisi/persetujuan?ok=approved");
    const b = await f.app.db.selectFrom("bookings").select("status").where("id", "=", idleIkm.bookingId).executeTakeFirstOrThrow();
    expect(b.status).toBe("confirmed");
    const members = await f.app.db.selectFrom("users").select("id").where("ikm_id", "=", idleIkm.id).where("active", "=", 1).execute();
    expect((await notificationsOf(f.app, idleIkm.id, "booking_approved", idleIkm.bookingId)).length).toBe(members.length);
    const again = await post(f.app, f.techCookie, "/teknisi/persetujuan", { intent: "approve", bookingId: idleIkm.bookingId });
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain("Pemesanan ini tidak sedang menunggu persetujuan.");
  });

  it("rejects only with a reason, which the IKM is told", async () => {
    const none = await post(f.app, f.techCookie, "/teknisi/persetujuan", { intent: "reject", bookingId: busyIkm.bookingId, reason: "  " });
    expect(none.status).toBe(400);
    expect(textOf(await none.text())).toContain("Tuliskan alasannya.");
    expect((await f.app.db.selectFrom("bookings").select("status").where("id", "=", busyIkm.bookingId).executeTakeFirstOrThrow()).status).toBe("pending");

    const res = await post(f.app, f.techCookie, "/teknisi/persetujuan", { intent: "reject", bookingId: busyIkm.bookingId, reason: "Bak krom sedang dikuras" });
    expect(res.status).toBe(302);
    const b = await f.app.db.selectFrom("bookings").select(["status", "status_reason"]).where("id", "=", busyIkm.bookingId).executeTakeFirstOrThrow();
    expect(b).toEqual({ status: "rejected", status_reason: "Bak krom sedang dikuras" });
    const members = await f.app.db.selectFrom("users").select("id").where("ikm_id", "=", busyIkm.id).where("active", "=", 1).execute();
    const told = await notificationsOf(f.app, busyIkm.id, "booking_rejected", busyIkm.bookingId);
    expect(members.length).toBeGreaterThan(0);
    expect(told.length).toBe(members.length);
    expect(JSON.parse(told[0].params_json).reason).toBe("Bak krom sedang dikuras");
    const html = await (await page(f.app, f.techCookie, "/teknisi/persetujuan")).text();
    expect(html).not.toContain(`id="p-${busyIkm.bookingId}"`);
  });
});
