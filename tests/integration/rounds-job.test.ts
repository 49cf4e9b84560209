/**
 * The allocation-round job of the server (registered with registerJob, run here through the
 * app's runJobs with a fixed clock): nothing happens before the cut-off; at the cut-off the
 * demo's CUT-01 round is allocated once, by the system, reproducibly; the next round opens with
 * the new week.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW_ISO } from "../support/constants";

let app: TestApp;
let machineId: number;
let roundId: number;
const tokens: Record<string, string> = {};

const WEEK_START = Date.parse("2026-12-07T00:00:00+07:00");
const CUTOFF = Date.parse("2026-12-03T12:00:00+07:00");

async function api(who: string, method: string, path: string, body?: unknown) {
  const res = await app.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[who]}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const roundRow = () => app.db.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirstOrThrow();
const allocationBookings = () => app.db.selectFrom("bookings").selectAll().where("machine_id", "=", machineId).where("source", "=", "allocation").execute();

beforeAll(async () => {
  app = await loadApp();
  for (const who of ["ikm1", "ikm2", "manajer"]) tokens[who] = await app.apiLogin(`${who}@giliran.test`);
  machineId = (await app.db.selectFrom("machines").select("id").where("code", "=", "CUT-01").executeTakeFirstOrThrow()).id;
  roundId = (await app.db.selectFrom("allocation_rounds").select("id").where("machine_id", "=", machineId).where("week_start", "=", WEEK_START).executeTakeFirstOrThrow()).id;
});

afterAll(() => {
  app.setNow(TEST_NOW_ISO);
});

describe("the allocation-round job", () => {
  it("does nothing before the cut-off", async () => {
    // ikm2 asks before the cut-off, for a window another IKM wants too.
    const contested = await app.db.selectFrom("allocation_requests").select(["start_at", "end_at"]).where("round_id", "=", roundId).orderBy("start_at").executeTakeFirstOrThrow();
    const asked = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: new Date(contested.start_at).toISOString(), end: new Date(contested.end_at).toISOString(), purpose: "Potong plat" });
    expect(asked.status).toBe(201);
    app.setNow("2026-12-03T11:59:00+07:00");
    await app.runJobs();
    expect((await roundRow()).status).toBe("open");
    expect(await allocationBookings()).toEqual([]);
  });

  it("allocates the round at the cut-off as the system, with a random seed it records, and tells every requesting IKM", async () => {
    const requesting = await app.db.selectFrom("allocation_requests").select(["ikm_id"]).distinct().where("round_id", "=", roundId).execute();
    app.setNow("2026-12-03T12:00:00+07:00");
    await app.runJobs();
    const round = await roundRow();
    expect(round.status).toBe("allocated");
    expect(round.allocated_at).toBe(CUTOFF);
    expect(round.seed).toMatch(/^[0-9a-f]{16}$/);
    const requests = await app.db.selectFrom("allocation_requests").selectAll().where("round_id", "=", roundId).execute();
    expect(requests.every((r) => r.status === "granted" || r.status === "refused")).toBe(true);
    const bookings = await allocationBookings();
    expect(bookings.map((b) => b.id).sort()).toEqual(requests.filter((r) => r.status === "granted").map((r) => r.booking_id).sort());
    expect(bookings.length).toBeGreaterThan(0);
    for (const b of bookings) expect(b.created_at).toBe(CUTOFF);
    // Each refused request carries its explanation: the violations, and alternatives (possibly none).
    for (const r of requests.filter((x) => x.status === "refused")) {
      const e = JSON.parse(r.explanation_json as string);
      expect(e.violations.length).toBeGreaterThan(0);
      expect(Array.isArray(e.alternatives)).toBe(true);
      for (const a of e.alternatives) expect(a.start).toBeGreaterThan(CUTOFF);
    }
    const audit = await app.db.selectFrom("audit_events").selectAll().where("action", "=", "round.allocate").where("entity_id", "=", String(roundId)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: null, reason: "cut-off" });
    const notified = await app.db
      .selectFrom("notifications")
      .innerJoin("users", "users.id", "notifications.user_id")
      .select("users.ikm_id")
      .distinct()
      .where("notifications.kind", "=", "allocation_result")
      .execute();
    expect(notified.map((n) => n.ikm_id).sort()).toEqual(requesting.map((r) => r.ikm_id).sort());
  });

  it("replays exactly from the recorded seed", async () => {
    const replay = await api("manajer", "GET", `/api/v1/rounds/${roundId}/replay`);
    expect(replay.body.matches).toBe(true);
    expect(replay.body.seed).toBe((await roundRow()).seed);
    // The recomputed outcomes are the stored ones, request by request (not only the server's verdict).
    const stored = await app.db.selectFrom("allocation_requests").select(["id", "status"]).where("round_id", "=", roundId).where("status", "in", ["granted", "refused"]).orderBy("id").execute();
    expect(stored.length).toBeGreaterThan(0);
    const replayed = (replay.body.requests as { requestId: number; status: string }[]).map((r) => [r.requestId, r.status]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(replayed).toEqual(stored.map((r) => [r.id, r.status]));
  });

  it("runs once: a later run changes nothing, and a request into the closed round is refused", async () => {
    const before = await allocationBookings();
    app.setNow("2026-12-03T12:05:00+07:00");
    await app.runJobs();
    expect(await allocationBookings()).toEqual(before);
    const late = await api("ikm1", "POST", `/api/v1/rounds/${roundId}/requests`, { start: "2026-12-08T13:00:00+07:00", end: "2026-12-08T14:00:00+07:00" });
    expect(late.status).toBe(409);
  });

  it("opens the next round with the new week, closing Thursday 10 December 12.00", async () => {
    app.setNow("2026-12-07T00:00:30+07:00");
    await app.runJobs();
    const next = await app.db.selectFrom("allocation_rounds").selectAll().where("machine_id", "=", machineId).where("week_start", "=", Date.parse("2026-12-14T00:00:00+07:00")).executeTakeFirstOrThrow();
    expect(next).toMatchObject({ status: "open", cutoff_at: Date.parse("2026-12-10T12:00:00+07:00") });
    const cookie = await app.login("ikm1@giliran.test");
    const html = await (await app.fetch("/putaran", { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Batas permintaan: Kamis, 10 Desember 2026 12.00 WIB");
    // The week of 7 December is now this week: first come, first served; 14 December is locked.
    const locked = await api("ikm1", "POST", "/api/v1/bookings", { machineId, start: "2026-12-15T13:00:00+07:00", end: "2026-12-15T14:00:00+07:00" });
    expect(locked.body.error.details.violations.map((v: any) => v.code)).toContain("ROUND_OPEN");
  });
});
