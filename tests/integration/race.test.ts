/**
 * The no-double-booking guarantee under contention: two server PROCESSES on one database (a
 * SQLite file, or a PostgreSQL database in the PostgreSQL run), flooded with simultaneous
 * requests. Exactly one request for a slot is confirmed; every other is refused naming OVERLAP;
 * nobody gets "database is locked".
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOverlapError } from "../../db/connection";
import { testDb, testEngine } from "../support/db";
import { type ServerProcess, apiLogin, startServer } from "../support/servers";

let servers: ServerProcess[] = [];
let tokens: string[] = [];
let ikmIds: number[] = [];
let machine: { id: number; code: string; bufferMinutes: number };

async function post(url: string, token: string, body: unknown) {
  const res = await fetch(`${url}/api/v1/bookings`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The first free stretch of `minutes` on the machine from the given date on (two weeks' search). */
async function freeStretch(fromDate: string, minutes: number): Promise<{ start: string; end: string }> {
  const from = Date.parse(`${fromDate}T00:00:00+07:00`);
  const range = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 14 * 86_400_000).toISOString())}`;
  const res = await fetch(`${servers[0].url}/api/v1/machines/${machine.id}/availability?${range}`, {
    headers: { Authorization: `Bearer ${tokens[0]}` },
  });
  const { free } = (await res.json()) as { free: Array<{ start: string; end: string }> };
  const stretch = free.find((f) => Date.parse(f.end) - Date.parse(f.start) >= minutes * 60_000);
  if (!stretch) throw new Error(`no free ${minutes} min from ${fromDate}`);
  return { start: stretch.start, end: new Date(Date.parse(stretch.start) + minutes * 60_000).toISOString() };
}

beforeAll(async () => {
  const file = process.env.DATABASE_URL as string;
  servers = await Promise.all([startServer(file), startServer(file)]);
  // Staff enter bookings for many IKMs (soft rules overridden, hard rules never).
  const tech = await apiLogin(servers[0].url, "teknisi@giliran.test");
  tokens = [tech];
  const data = testDb(file);
  ikmIds = (await data.db.selectFrom("ikms").select("id").where("active", "=", 1).orderBy("id").limit(12).execute()).map((r) => r.id);
  await data.close();
  const machines = (await (await fetch(`${servers[0].url}/api/v1/machines`, { headers: { Authorization: `Bearer ${tech}` } })).json()) as any;
  const m = machines.machines.find((x: any) => x.status === "active" && !x.requiresQualification && x.operatorMode !== "assisted" && x.allocationMode === "first_come");
  machine = { id: m.id, code: m.code, bufferMinutes: m.bufferMinutes };
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function overlapsInDb(): Promise<number> {
  const data = testDb();
  const { rows } = await sql<{ n: number }>`select count(*) n from bookings a join bookings b on a.machine_id = b.machine_id and a.id < b.id
       where a.status in ('pending','confirmed','checked_in') and b.status in ('pending','confirmed','checked_in')
         and a.start_at < b.hold_end_at and b.start_at < a.hold_end_at`.execute(data.db);
  await data.close();
  return Number(rows[0].n);
}

describe("two server processes, one database", () => {
  it("240 simultaneous requests for the same slot confirm exactly one; the rest are refused with OVERLAP", async () => {
    const slot = await freeStretch("2026-12-15", 60);
    const requests = Array.from({ length: 240 }, (_, i) =>
      post(servers[i % 2].url, tokens[0], {
        machineId: machine.id,
        start: slot.start,
        end: slot.end,
        purpose: `race ${i}`,
        ikmId: ikmIds[i % ikmIds.length],
        overrideReason: "uji beban",
      }),
    );
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(239);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error.code).toBe("booking_rejected");
      expect(r.body.error.details.violations.map((v: any) => v.code)).toContain("OVERLAP");
    }
    expect(JSON.stringify(results)).not.toMatch(/locked|SQLITE_BUSY/i);
    expect(await overlapsInDb()).toBe(0);
  }, 120_000);

  it("200 simultaneous overlapping-but-different requests never double-book", async () => {
    const day = "2026-12-16";
    const stretch = await freeStretch(day, 150);
    const base = Date.parse(stretch.start);
    const requests = Array.from({ length: 200 }, (_, i) => {
      const start = base + (i % 4) * 30 * 60_000; // four different starts, 30 min apart
      const minutes = 60 + (i % 3) * 30; // 60–120 min: they all overlap each other's neighbours
      return post(servers[i % 2].url, tokens[0], {
        machineId: machine.id,
        start: new Date(start).toISOString(),
        end: new Date(start + minutes * 60_000).toISOString(),
        purpose: `race-b ${i}`,
        ikmId: ikmIds[i % ikmIds.length],
        overrideReason: "uji beban",
      });
    });
    const results = await Promise.all(requests);
    const accepted = results.filter((r) => r.status === 201).map((r) => r.body.booking);
    const refused = results.filter((r) => r.status === 409);
    expect(accepted.length + refused.length).toBe(200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    // Accepted bookings never overlap one another (buffers included).
    const buffer = machine.bufferMinutes * 60_000;
    for (const a of accepted) {
      for (const b of accepted) {
        if (a.id === b.id) continue;
        const overlap = Date.parse(a.start) < Date.parse(b.end) + buffer && Date.parse(b.start) < Date.parse(a.end) + buffer;
        expect(overlap, `${a.start}–${a.end} vs ${b.start}–${b.end}`).toBe(false);
      }
    }
    // Every refusal names the clash with an accepted booking.
    for (const r of refused) {
      const codes = r.body.error.details.violations.map((v: any) => v.code);
      expect(codes.some((c: string) => c === "OVERLAP" || c === "BUFFER"), JSON.stringify(r.body.error)).toBe(true);
    }
    expect(await overlapsInDb()).toBe(0);
  }, 120_000);

  it("the database itself refuses an overlapping insert that bypasses the engine", async () => {
    // SQLite: the bookings_no_overlap_* triggers raise BOOKING_OVERLAP. PostgreSQL: the
    // exclusion constraint bookings_no_overlap refuses with SQLSTATE 23P01 (exclusion_violation).
    const refusedByTheDatabase = (error: any) =>
      testEngine() === "postgres"
        ? error?.code === "23P01" && error?.constraint === "bookings_no_overlap"
        : /BOOKING_OVERLAP/.test(String(error?.message));
    const attempt = async (run: () => Promise<unknown>) => {
      try {
        await run();
        return null;
      } catch (error) {
        return error;
      }
    };
    const data = testDb();
    try {
      const existing = await data.db.selectFrom("bookings").selectAll().where("status", "=", "confirmed").orderBy("start_at", "desc").limit(1).executeTakeFirstOrThrow();
      const row = (start: number, end: number, hold: number, status: string, purpose: string) => ({
        machine_id: existing.machine_id,
        ikm_id: existing.ikm_id,
        booked_by: existing.booked_by,
        start_at: start,
        end_at: end,
        hold_end_at: hold,
        status,
        source: "web",
        purpose,
        assisted: 0,
        late_cancel: 0,
        created_at: 0,
        updated_at: 0,
      });
      const insert = await attempt(() =>
        data.db
          .insertInto("bookings")
          .values(row(Number(existing.start_at) + 60_000, Number(existing.end_at) + 60_000, Number(existing.end_at) + 60_000, "confirmed", "bypass"))
          .execute(),
      );
      expect(refusedByTheDatabase(insert), String(insert)).toBe(true);
      expect(isOverlapError(insert)).toBe(true); // the service maps it to the engine's OVERLAP
      // Moving an existing booking onto another is refused too; a cancelled row may overlap freely.
      const other = await data.db
        .selectFrom("bookings")
        .selectAll()
        .where("machine_id", "=", existing.machine_id)
        .where("status", "=", "confirmed")
        .where("id", "<>", existing.id)
        .orderBy("start_at", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      const move = await attempt(() =>
        data.db
          .updateTable("bookings")
          .set({ start_at: existing.start_at, end_at: existing.end_at, hold_end_at: existing.hold_end_at })
          .where("id", "=", other.id)
          .execute(),
      );
      expect(refusedByTheDatabase(move), String(move)).toBe(true);
      const cancelled = await attempt(() =>
        data.db.insertInto("bookings").values(row(existing.start_at, existing.end_at, existing.hold_end_at, "cancelled", "ok")).execute(),
      );
      expect(cancelled).toBeNull();
    } finally {
      await data.close();
    }
  });
});
