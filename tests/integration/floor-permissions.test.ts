/** Who may use the technician's console: staff yes (technician, manager, admin), an IKM member never. */
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_NOW_ISO } from "../support/constants";
import { type Floor, TODAY, api, floorSetup, page, post, wib } from "./floor-helpers";

let f: Floor;
let ikm1: string;
let ikm1Cookie: string;
let ownId: number;
let otherId: number;
let windowId: number;

const PAGES = ["/teknisi", "/teknisi/persetujuan", "/teknisi/perawatan", "/teknisi/catat"];

beforeAll(async () => {
  f = await floorSetup();
  [ikm1, ikm1Cookie] = await Promise.all([f.app.apiLogin("ikm1@giliran.test"), f.app.login("ikm1@giliran.test")]);
  const user = await f.app.db.selectFrom("users").select("ikm_id").where("email", "=", "ikm1@giliran.test").executeTakeFirstOrThrow();
  const mine = await f.app.db.selectFrom("bookings").select("id").where("ikm_id", "=", user.ikm_id).where("status", "=", "confirmed").orderBy("start_at").executeTakeFirstOrThrow();
  const other = await f.app.db.selectFrom("bookings").select("id").where("ikm_id", "!=", user.ikm_id!).where("status", "=", "confirmed").orderBy("start_at").executeTakeFirstOrThrow();
  ownId = mine.id;
  otherId = other.id;
  const w = await f.app.db.selectFrom("maintenance_windows").select("id").orderBy("id").executeTakeFirstOrThrow();
  windowId = w.id;
});

describe("an IKM member can use none of the console", () => {
  it("gets 403 on every console page, including a booking's floor screen and a maintenance window", async () => {
    f.app.setNow(TEST_NOW_ISO);
    for (const path of [...PAGES, `/teknisi/pemesanan/${ownId}`, `/teknisi/pemesanan/${otherId}`, `/teknisi/perawatan/${windowId}`]) {
      const res = await page(f.app, ikm1Cookie, path);
      expect(res.status, path).toBe(403);
    }
  });

  it("gets 403 on every console form post, and nothing changes", async () => {
    const before = await f.app.db.selectFrom("bookings").select(["id", "status"]).where("id", "=", ownId).executeTakeFirstOrThrow();
    const posts: Array<[string, Record<string, string | number>]> = [
      ["/teknisi?index", { intent: "checkin", bookingId: ownId }],
      [`/teknisi/pemesanan/${ownId}`, { intent: "checkin" }],
      [`/teknisi/pemesanan/${ownId}`, { intent: "noshow" }],
      ["/teknisi/persetujuan", { intent: "approve", bookingId: ownId }],
      ["/teknisi/persetujuan", { intent: "reject", bookingId: ownId, reason: "x" }],
      ["/teknisi/perawatan?index", { intent: "preview", machineId: 1, kind: "breakdown", start: `${TODAY}T09:00`, reason: "x" }],
      [`/teknisi/perawatan/${windowId}`, { intent: "end" }],
      ["/teknisi/catat", { intent: "walkin", machineId: 1, ikmId: 1, minutes: 60, operatorKind: "unit" }],
    ];
    for (const [path, fields] of posts) {
      const res = await post(f.app, ikm1Cookie, path, fields);
      expect(res.status, `${path} ${fields.intent}`).toBe(403);
    }
    const after = await f.app.db.selectFrom("bookings").select(["id", "status"]).where("id", "=", ownId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const windows = await f.app.db.selectFrom("maintenance_windows").select("id").execute();
    expect(windows.length).toBe(4);
  });

  it("gets 403 from the floor API for its own booking and 404 for another IKM's", async () => {
    for (const action of ["check-in", "check-out", "no-show"]) {
      const own = await api(f.app, ikm1, "POST", `/api/v1/bookings/${ownId}/${action}`, {});
      expect(own.status, `own ${action}`).toBe(403);
      expect(own.body.error.code).toBe("forbidden");
      const other = await api(f.app, ikm1, "POST", `/api/v1/bookings/${otherId}/${action}`, {});
      expect(other.status, `other ${action}`).toBe(404);
    }
  });

  it("gets 403 from the maintenance API", async () => {
    const create = await api(f.app, ikm1, "POST", "/api/v1/machines/1/maintenance", { start: wib(TODAY, "13:00"), end: wib(TODAY, "14:00"), reason: "x" });
    expect(create.status).toBe(403);
    expect((await api(f.app, ikm1, "POST", `/api/v1/maintenance/${windowId}/resolve`, {})).status).toBe(403);
    expect((await api(f.app, ikm1, "POST", `/api/v1/maintenance/${windowId}/end`, {})).status).toBe(403);
  });

  it("without a token the floor API answers 401", async () => {
    expect((await api(f.app, null, "POST", `/api/v1/bookings/${ownId}/check-in`, {})).status).toBe(401);
    expect((await api(f.app, null, "POST", "/api/v1/machines/1/maintenance", {})).status).toBe(401);
  });
});

describe("staff may use the console", () => {
  it("a technician, a manager and an admin open every console page", async () => {
    for (const login of ["teknisi@giliran.test", "manajer@giliran.test", "admin@giliran.test"]) {
      const cookie = login === "teknisi@giliran.test" ? f.techCookie : await f.app.login(login);
      for (const path of [...PAGES, `/teknisi/pemesanan/${ownId}`, `/teknisi/perawatan/${windowId}`]) {
        const res = await page(f.app, cookie, path);
        expect(res.status, `${login} ${path}`).toBe(200);
      }
    }
  });

  it("a technician cannot change machines or tariffs: that is the admin's", async () => {
    expect((await page(f.app, f.techCookie, "/admin/mesin")).status).toBe(403);
    const patch = await api(f.app, f.tech, "PATCH", "/api/v1/machines/1", { hourlyRate: 1 });
    expect(patch.status).toBe(403);
    const rates = await f.app.db.selectFrom("machine_tariffs").select("hourly_rate").where("machine_id", "=", 1).where("hourly_rate", "=", 1).execute();
    expect(rates).toEqual([]);
  });

  it("an unknown booking or window is a 404 page, not a 500", async () => {
    expect((await page(f.app, f.techCookie, "/teknisi/pemesanan/999999")).status).toBe(404);
    expect((await page(f.app, f.techCookie, "/teknisi/pemesanan/abc")).status).toBe(404);
    expect((await page(f.app, f.techCookie, "/teknisi/perawatan/999999")).status).toBe(404);
    expect((await api(f.app, f.tech, "POST", "/api/v1/bookings/999999/check-in", {})).status).toBe(404);
    expect((await api(f.app, f.tech, "POST", "/api/v1/maintenance/999999/resolve", {})).status).toBe(404);
    expect((await api(f.app, f.tech, "POST", "/api/v1/machines/999999/maintenance", { start: wib(TODAY, "13:00"), reason: "x" })).status).toBe(404);
  });
});
