/**
 * No-shows: a booking not checked in within the grace period is marked no_show, its slot frees at
 * once, and the third no-show within the policy window restricts the IKM (told, audited).
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW, TEST_NOW_ISO } from "../support/constants";
import { type Floor, TODAY, api, auditOf, book, floorSetup, machineByCode, notificationsOf, page, post, textOf, wib } from "./floor-helpers";

let f: Floor;
let ikm: { id: number; name: string; email: string | null };
let wldId: number;
const ids: number[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  f = await floorSetup();
  wldId = (await machineByCode(f.app, "WLD-02")).id;
  // An IKM with a member login, not restricted and without any no-show in the last 90 days.
  const candidates = await f.app.db
    .selectFrom("ikms")
    .innerJoin("users", "users.ikm_id", "ikms.id")
    .select(["ikms.id", "ikms.name", "users.email"])
    .where("ikms.restricted_until", "is", null)
    .where("users.email", "is not", null)
    .orderBy("ikms.id")
    .execute();
  for (const c of candidates) {
    const n = await f.app.db.selectFrom("bookings").select("id").where("ikm_id", "=", c.id).where("status", "=", "no_show").where("start_at", ">", TEST_NOW - 90 * DAY).execute();
    if (n.length === 0) {
      ikm = c;
      break;
    }
  }
  expect(ikm).toBeDefined();
  // Three half-hour bookings this morning, entered by staff as walk-ins (a past start is allowed for them).
  for (const [s, e] of [["07:30", "08:00"], ["08:00", "08:30"], ["08:30", "09:00"]]) {
    ids.push((await book(f, { machineId: wldId, ikmId: ikm.id, start: wib(TODAY, s), end: wib(TODAY, e), source: "walk_in", purpose: "Las bracket" })).id);
  }
});
beforeEach(() => f.app.setNow(TEST_NOW_ISO));

describe("marking a no-show", () => {
  it("is refused before the grace period has passed", async () => {
    const other = await book(f, { machineId: wldId, ikmId: ikm.id, start: wib(TODAY, "09:00"), end: wib(TODAY, "10:00") });
    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${other.id}`, { intent: "noshow" });
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain("Belum bisa ditandai tidak hadir: batas kedatangan 09.30 WIB.");
    const api409 = await api(f.app, f.tech, "POST", `/api/v1/bookings/${other.id}/no-show`, {});
    expect(api409.status).toBe(409);
    expect(api409.body.error.message).toBe("Belum bisa ditandai tidak hadir: batas kedatangan 09.30 WIB.");
    const b = await f.app.db.selectFrom("bookings").select("status").where("id", "=", other.id).executeTakeFirstOrThrow();
    expect(b.status).toBe("confirmed");
    // Out of the way of the restriction check below.
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${other.id}/cancel`, { reason: "uji" })).status).toBe(200);
  });

  it("frees the slot at once: the same time can be recorded for someone else", async () => {
    const res = await api(f.app, f.tech, "POST", `/api/v1/bookings/${ids[0]}/no-show`, {});
    expect(res.status).toBe(200);
    expect(res.body.booking.status).toBe("no_show");
    expect(res.body.ikmRestrictedUntil).toBeNull();
    expect((await auditOf(f.app, "booking", ids[0], "booking.no_show")).length).toBe(1);
    const busy = await api(f.app, f.tech, "GET", `/api/v1/machines/${wldId}/availability?from=${encodeURIComponent(wib(TODAY, "07:00"))}&to=${encodeURIComponent(wib(TODAY, "08:00"))}`);
    expect(busy.body.busy).toEqual([]);
    // Another IKM's logbook entry for exactly that half hour is accepted (before: OVERLAP).
    const other = await f.app.db.selectFrom("ikms").select("id").where("id", "!=", ikm.id).orderBy("id").executeTakeFirstOrThrow();
    const backfill = await post(f.app, f.techCookie, "/teknisi/catat", {
      intent: "backfill",
      machineId: wldId,
      ikmId: other.id,
      date: TODAY,
      start: "07:30",
      end: "08:00",
      operatorKind: "unit",
      operatorName: "",
      purpose: "Las cepat",
    });
    expect(backfill.status).toBe(302);
    expect((await api(f.app, f.tech, "POST", `/api/v1/bookings/${ids[0]}/no-show`, {})).status).toBe(409);
  });

  it("a second no-show does not restrict yet", async () => {
    const res = await api(f.app, f.tech, "POST", `/api/v1/bookings/${ids[1]}/no-show`, {});
    expect(res.status).toBe(200);
    expect(res.body.ikmRestrictedUntil).toBeNull();
    const row = await f.app.db.selectFrom("ikms").select("restricted_until").where("id", "=", ikm.id).executeTakeFirstOrThrow();
    expect(row.restricted_until).toBeNull();
  });

  it("the third within 60 days restricts the IKM for 30 days, tells it, and audits it", async () => {
    const board = textOf(await (await page(f.app, f.techCookie, "/teknisi")).text());
    expect(board).toContain("Belum datang, lewat batas (30 menit)");
    const screen = textOf(await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${ids[2]}`)).text());
    expect(screen).toContain("Ini ketidakhadiran ke-3 IKM ini dalam 60 hari terakhir.");
    expect(screen).toContain("IKM akan dibatasi (pemesanan perlu persetujuan) sampai Kamis, 31 Desember 2026.");

    const res = await post(f.app, f.techCookie, `/teknisi/pemesanan/${ids[2]}`, { intent: "noshow" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/teknisi/pemesanan/${ids[2]}?ok=noshowRestricted#hasil`);
    const expectedUntil = Date.parse(wib(TODAY, "08:30")) + 30 * DAY;
    const row = await f.app.db.selectFrom("ikms").selectAll().where("id", "=", ikm.id).executeTakeFirstOrThrow();
    expect(Number(row.restricted_until)).toBe(expectedUntil);
    expect(row.restriction_reason).toBe("Tidak hadir 3 kali dalam 60 hari");
    const told = await notificationsOf(f.app, ikm.id, "restricted");
    expect(told.length).toBeGreaterThan(0);
    expect(JSON.parse(told[0].params_json)).toMatchObject({ until: expectedUntil, count: 3 });
    const [event] = await auditOf(f.app, "ikm", ikm.id, "ikm.restrict");
    expect(JSON.parse(event.before_json ?? "{}").restricted_until).toBeNull();
    expect(JSON.parse(event.after_json ?? "{}").restricted_until).toBe(expectedUntil);
    const after = textOf(await (await page(f.app, f.techCookie, `/teknisi/pemesanan/${ids[2]}?ok=noshowRestricted`)).text());
    expect(after).toContain("IKM ini sekarang dibatasi dan sudah diberi tahu.");
  });

  it("the restricted IKM's next booking now waits for approval", async () => {
    const token = await f.app.apiLogin(ikm.email ?? "");
    const prs = await machineByCode(f.app, "PRS-02");
    const free = await api(f.app, token, "GET", `/api/v1/machines/${prs.id}/availability?from=${encodeURIComponent(wib("2026-12-03", "00:00"))}&to=${encodeURIComponent(wib("2026-12-10", "00:00"))}`);
    const slot = free.body.free.find((x: { start: string; end: string }) => Date.parse(x.end) - Date.parse(x.start) >= 3_600_000);
    const res = await api(f.app, token, "POST", "/api/v1/bookings", { machineId: prs.id, start: slot.start, end: new Date(Date.parse(slot.start) + 3_600_000).toISOString().replace("Z", "+00:00"), purpose: "Press" });
    expect(res.status).toBe(201);
    expect(res.body.booking.status).toBe("pending");
    expect(res.body.notices).toContain("IKM_RESTRICTED");
  });
});
