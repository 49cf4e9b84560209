/**
 * The approval queue: future requests first, competing requests (same machine, same day) ranked
 * by fair priority with the reason in words, approve, and reject with a required reason.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW, TEST_NOW_ISO } from "../support/constants";
import { type Floor, api, auditOf, floorSetup, machineByCode, notificationsOf, page, post, textOf, wib } from "./floor-helpers";

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

describe("a long queue on a phone (issue 28)", () => {
  const pendingRows = () =>
    f.app.db
      .selectFrom("bookings")
      .innerJoin("machines", "machines.id", "bookings.machine_id")
      .select(["bookings.id", "bookings.start_at", "bookings.machine_id", "machines.type_id"])
      .where("bookings.status", "=", "pending")
      .orderBy("bookings.start_at")
      .execute();
  const dateOf = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
  const groupKeys = (html: string) => [...html.matchAll(/id="g-(\d+):(\d{4}-\d\d-\d\d)"/g)].map((m) => ({ machineId: Number(m[1]), date: m[2] }));

  it("filters by day and by machine type, and says how many wait in all", async () => {
    const rows = await pendingRows();
    expect(rows.length).toBeGreaterThan(5);
    const all = await (await page(f.app, f.techCookie, "/teknisi/persetujuan")).text();
    expect(textOf(all)).toContain(`Semua tanggal (${rows.length})`);
    const date = dateOf(Number(rows[0].start_at));
    const onDay = groupKeys(await (await page(f.app, f.techCookie, `/teknisi/persetujuan?tanggal=${date}`)).text());
    expect(onDay.length).toBeGreaterThan(0);
    expect(onDay.every((g) => g.date === date)).toBe(true);
    expect(onDay.length).toBe(new Set(rows.filter((r) => dateOf(Number(r.start_at)) === date).map((r) => r.machine_id)).size);
    const typeId = rows[0].type_id;
    const ofType = groupKeys(await (await page(f.app, f.techCookie, `/teknisi/persetujuan?jenis=${typeId}`)).text());
    const typeMachines = new Set(rows.filter((r) => r.type_id === typeId).map((r) => r.machine_id));
    expect(ofType.length).toBeGreaterThan(0);
    expect(ofType.every((g) => typeMachines.has(g.machineId))).toBe(true);
    // A value that is not a date or a type shows the whole queue, never an error.
    expect(groupKeys(await (await page(f.app, f.techCookie, "/teknisi/persetujuan?tanggal=kemarin&jenis=x")).text()).length).toBe(groupKeys(all).length);
  });

  it("each request has 'Setujui', 'Rincian' and 'Tolak' as buttons", async () => {
    const [first] = await pendingRows();
    const html = await (await page(f.app, f.techCookie, "/teknisi/persetujuan")).text();
    const item = html.slice(html.indexOf(`id="p-${first.id}"`), html.indexOf("</li>", html.indexOf(`id="p-${first.id}"`)));
    expect(item).toMatch(/<button type="submit" class="button primary"[^>]*>✓ (<!-- -->)?Setujui<\/button>/);
    expect(item).toMatch(new RegExp(`<a class="button"[^>]* href="/teknisi/pemesanan/${first.id}">Rincian</a>`));
    expect(item).toContain('<summary class="button">Tolak…</summary>');
  });

  it("approves a day's requests in one action, each on its own: one decided meanwhile is reported, the others approved", async () => {
    const rows = (await pendingRows()).filter((r) => Number(r.start_at) > Date.parse(TEST_NOW_ISO));
    const byDay = new Map<string, number[]>();
    for (const r of rows) byDay.set(dateOf(Number(r.start_at)), [...(byDay.get(dateOf(Number(r.start_at))) ?? []), r.id]);
    const [date, ids] = [...byDay.entries()].find(([, list]) => list.length >= 3) ?? ["", []];
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const html = await (await page(f.app, f.techCookie, `/teknisi/persetujuan?tanggal=${date}`)).text();
    expect(textOf(html)).toContain(`Setujui semua (${ids.length})`);
    // Another technician rejects one of them while this one looks at the page.
    expect((await post(f.app, f.techCookie, "/teknisi/persetujuan", { intent: "reject", bookingId: ids[1], reason: "Mesin dipakai pelatihan" })).status).toBe(302);
    const body = new URLSearchParams([["intent", "approveMany"], ...ids.map((id) => ["bookingId", String(id)])]);
    const res = await f.app.fetch("/teknisi/persetujuan", { method: "POST", headers: { Cookie: f.techCookie }, body });
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toContain(`${ids.length - 1} dari ${ids.length} permintaan disetujui.`);
    expect(text).toContain("Pemesanan ini tidak sedang menunggu persetujuan.");
    const after = await f.app.db.selectFrom("bookings").select(["id", "status"]).where("id", "in", ids).execute();
    for (const b of after) expect(b.status, `booking ${b.id}`).toBe(b.id === ids[1] ? "rejected" : "confirmed");
    for (const id of ids.filter((x) => x !== ids[1])) expect((await auditOf(f.app, "booking", id, "booking.approve")).length).toBe(1);
  });
});
