/**
 * The reference data a decision holds in memory (app/models/reference.server.ts) follows every
 * change at once: triggers raise reference_version on each insert, update and delete of the
 * facility, closure days, machines, tariffs and maintenance windows — also when another
 * connection (another process, an admin's sqlite3 or psql shell) makes the change.
 */
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedDb } from "../../db/connection";
import { type TestApp, loadApp } from "../support/app";
import { testDb } from "../support/db";
import { api as callApi, wib } from "./floor-helpers";

let app: TestApp;
let other: OpenedDb;
let token: string;

beforeAll(async () => {
  app = await loadApp();
  other = testDb();
  token = await app.apiLogin("admin@giliran.test");
});
afterAll(async () => {
  await other.close();
});

const version = async (db: Kysely<any>) => Number((await sql<{ n: number }>`select n from reference_version where id = 1`.execute(db)).rows[0].n);

describe("reference_version", () => {
  it("rises on every insert, update and delete of the reference tables, from any connection", async () => {
    const db = other.db as Kysely<any>;
    const machine = (await db.selectFrom("machines").select(["id"]).orderBy("id").executeTakeFirstOrThrow()).id as number;
    const changes: [string, () => Promise<unknown>][] = [
      ["facility update", () => db.updateTable("facility").set({ name: "UPTD Logam Purbalingga" }).where("id", "=", 1).execute()],
      ["closure insert", () => db.insertInto("closure_days").values({ date: "2027-03-03", kind: "facility", name: "Uji", created_at: 0 }).execute()],
      ["closure delete", () => db.deleteFrom("closure_days").where("date", "=", "2027-03-03").execute()],
      ["machine update", () => db.updateTable("machines").set({ name: sql`name` }).where("id", "=", machine).execute()],
      ["tariff insert", () => db.insertInto("machine_tariffs").values({ machine_id: machine, effective_from: Date.parse("2030-01-01"), hourly_rate: 1, created_at: 0 }).execute()],
      ["tariff update", () => db.updateTable("machine_tariffs").set({ hourly_rate: 2 }).where("effective_from", "=", Date.parse("2030-01-01")).execute()],
      ["tariff delete", () => db.deleteFrom("machine_tariffs").where("effective_from", "=", Date.parse("2030-01-01")).execute()],
      [
        "maintenance insert",
        () =>
          db
            .insertInto("maintenance_windows")
            .values({ machine_id: machine, start_at: Date.parse("2030-01-01"), end_at: Date.parse("2030-01-02"), kind: "planned", reason: "uji", created_by: 1, created_at: 0 })
            .execute(),
      ],
      ["maintenance delete", () => db.deleteFrom("maintenance_windows").where("start_at", "=", Date.parse("2030-01-01")).execute()],
    ];
    for (const [what, change] of changes) {
      const before = await version(db);
      await change();
      expect(await version(db), what).toBeGreaterThan(before);
    }
  });

  it("a decision sees another connection's change of a machine, a closure day and maintenance at once", async () => {
    const db = other.db as Kysely<any>;
    const m = await db
      .selectFrom("machines")
      .select(["id"])
      .where("status", "=", "active")
      .where("requires_qualification", "=", 0)
      .where("requires_approval", "=", 0)
      .where("operator_mode", "=", "self")
      .where("allocation_mode", "=", "first_come")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const ikm = (await db.selectFrom("ikms").select("id").where("active", "=", 1).orderBy("id").executeTakeFirstOrThrow()).id;
    /** The machine's first free hour on a date (read before any change). */
    const freeHour = async (date: string) => {
      const q = `from=${encodeURIComponent(wib(date, "00:00"))}&to=${encodeURIComponent(wib(date, "23:59"))}`;
      const { body } = await callApi(app, token, "GET", `/api/v1/machines/${m.id}/availability?${q}`);
      const f = body.free.find((x: { start: string; end: string }) => Date.parse(x.end) - Date.parse(x.start) >= 3_600_000);
      expect(f, `a free hour on ${date}`).toBeTruthy();
      return { start: f.start as string, end: new Date(Date.parse(f.start) + 3_600_000).toISOString() };
    };
    const [a, b, c, d] = [await freeHour("2026-12-14"), await freeHour("2026-12-15"), await freeHour("2026-12-16"), await freeHour("2026-12-17")];
    const book = (slot: { start: string; end: string }) => callApi(app, token, "POST", "/api/v1/bookings", { machineId: m.id, ikmId: ikm, ...slot, purpose: "uji" });
    const codes = (res: { body: any }) => (res.body.error?.details?.violations ?? []).map((v: { code: string }) => v.code);

    // The first request loads the reference data; each later one must see the change made between.
    const first = await book(a);
    expect(first.status, JSON.stringify(codes(first))).toBe(201);
    await db.insertInto("closure_days").values({ date: "2026-12-15", kind: "facility", name: "Uji", created_at: 0 }).execute();
    expect(codes(await book(b))).toContain("CLOSED_DAY");
    await db
      .insertInto("maintenance_windows")
      .values({ machine_id: m.id, start_at: Date.parse(wib("2026-12-16", "00:00")), end_at: Date.parse(wib("2026-12-16", "23:59")), kind: "planned", reason: "uji", created_by: 1, created_at: 0 })
      .execute();
    expect(codes(await book(c))).toContain("MAINTENANCE");
    await db.updateTable("machines").set({ status: "maintenance" }).where("id", "=", m.id).execute();
    expect(codes(await book(d))).toContain("MACHINE_INACTIVE");
    await db.updateTable("machines").set({ status: "active" }).where("id", "=", m.id).execute();
    expect((await book(d)).status).toBe(201);
  });
});
