/**
 * What the app relies on from its database engine, checked on the engine of this run (SQLite,
 * or PostgreSQL in the PostgreSQL run): decisions serialize across processes, numbers come back
 * as exact JavaScript numbers, and constraint errors are recognized.
 */
import { spawn } from "node:child_process";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenedDb, immediate, uniqueViolationColumn } from "../../db/connection";
import { groupConcat, likeInsensitive } from "../../db/dialect";
import { testDb, testEngine } from "../support/db";

let data: OpenedDb;
beforeAll(() => {
  data = testDb();
});
afterAll(async () => {
  await data.close();
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

describe(`the database engine (${testEngine()})`, () => {
  it("immediate() waits for another process's decision and then sees its write; plain reads do not wait", async () => {
    const key = `probe:${process.pid}:${Date.now()}`;
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/support/immediate-probe.ts", process.env.DATABASE_URL as string, "800", key], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    for (const until = Date.now() + 20_000; !out.includes("locked"); ) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`the probe did not lock: ${out}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const probeRow = (q: typeof data.db) => q.selectFrom("login_failures").select("id").where("key", "=", key).executeTakeFirst();
    // Ordering, not wall-clock thresholds: a plain read answers while the probe still holds its
    // decision (it sees no row; a read that waited for the commit would see it)…
    expect(await probeRow(data.db)).toBeUndefined();
    expect(out, "the probe still holds its decision").not.toContain("committed");
    // …and a decision started while the probe holds its own runs only after the probe's commit:
    // it sees the probe's row, which the read just before could not.
    const seen = await immediate(data.db, async (trx) => ({ row: await probeRow(trx) }));
    expect(seen.row).toBeDefined();
    expect(await exited).toBe(0);
    expect(out).toContain("committed");
  }, 30_000);

  it("bigint columns, counts, sums and maxima come back as exact JavaScript numbers", async () => {
    const rows = await data.db.selectFrom("bookings").select(["start_at", "hold_end_at"]).execute();
    const agg = await data.db
      .selectFrom("bookings")
      .select((eb) => [eb.fn.countAll().as("n"), eb.fn.sum("start_at").as("sum"), eb.fn.max("hold_end_at").as("max"), eb.fn.sum("assisted").as("assisted")])
      .executeTakeFirstOrThrow();
    expect(rows.length).toBeGreaterThan(100);
    expect(typeof rows[0].start_at).toBe("number");
    expect(agg.n).toBe(rows.length);
    expect(agg.sum).toBe(rows.reduce((s, r) => s + r.start_at, 0));
    expect(agg.max).toBe(Math.max(...rows.map((r) => r.hold_end_at)));
    expect(typeof agg.assisted).toBe("number");
    const fee = await sql<{ total: number }>`select coalesce(sum(fee), 0) as total from usage_records`.execute(data.db);
    expect(typeof fee.rows[0].total).toBe("number");
    expect(Number.isInteger(fee.rows[0].total)).toBe(true);
  });

  it("a unique violation names its column (users.email, users.phone, machine_types.code)", async () => {
    const user = await data.db.selectFrom("users").selectAll().where("email", "is not", null).where("phone", "is not", null).executeTakeFirstOrThrow();
    const newUser = (email: string | null, phone: string | null) => ({
      name: "Duplikat",
      email,
      phone,
      password_hash: "x",
      role: "technician",
      ikm_id: null,
      language: "id",
      active: 1,
      created_at: 0,
      updated_at: 0,
    });
    const byEmail = await failure(() => data.db.insertInto("users").values(newUser(user.email, null)).execute());
    expect(uniqueViolationColumn(byEmail)).toBe("email");
    const byPhone = await failure(() => data.db.insertInto("users").values(newUser(`x-${Date.now()}@giliran.test`, user.phone)).execute());
    expect(uniqueViolationColumn(byPhone)).toBe("phone");
    const type = await data.db.selectFrom("machine_types").select("code").executeTakeFirstOrThrow();
    const byCode = await failure(() => data.db.insertInto("machine_types").values({ code: type.code, name: "x", description: "", created_at: 0 }).execute());
    expect(uniqueViolationColumn(byCode)).toBe("code");
    // Not a unique violation: a check constraint.
    const check = await failure(() => data.db.insertInto("users").values({ ...newUser(`y-${Date.now()}@giliran.test`, null), role: "ikm" }).execute());
    expect(uniqueViolationColumn(check)).toBeNull();
  });

  it("likeInsensitive() matches regardless of case on both engines (SQLite's LIKE does, PostgreSQL's does not)", async () => {
    const ikm = await data.db.selectFrom("ikms").select("name").orderBy("id").executeTakeFirstOrThrow();
    const word = ikm.name.split(" ").find((w) => /[a-z]/.test(w) && /[A-Z]/.test(w)) as string;
    expect(word).toBeDefined();
    for (const pattern of [`%${word.toUpperCase()}%`, `%${word.toLowerCase()}%`]) {
      const rows = await data.db.selectFrom("ikms").select("name").where(likeInsensitive(data.db, "ikms.name", pattern)).execute();
      expect(rows.map((r) => r.name), pattern).toContain(ikm.name);
    }
    // Escaped wildcards stay literal.
    const none = await data.db.selectFrom("ikms").select("id").where(likeInsensitive(data.db, "ikms.name", "%\\_\\%%")).execute();
    expect(none).toEqual([]);
  });

  it("groupConcat() joins a group's values into one text on both engines (group_concat / string_agg)", async () => {
    const ids = (await data.db.selectFrom("machines").select("id").orderBy("id").execute()).map((r) => r.id);
    const { rows } = await sql<{ v: string }>`select ${groupConcat(data.db, sql`id || ':' || coalesce(cast(hours_json is null as integer), 0)`, ",")} as v
      from (select id, hours_json from machines order by id) m`.execute(data.db);
    const parts = rows[0].v.split(",");
    expect(parts.map((p) => Number(p.split(":")[0])).sort((a, b) => a - b)).toEqual(ids);
  });

  it("an insert without an id gets a fresh one after the demo's explicit ids", async () => {
    const max = await data.db.selectFrom("bookings").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    const type = await data.db
      .insertInto("machine_types")
      .values({ code: `T${Date.now()}`, name: "Uji", description: "", created_at: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    const others = await data.db.selectFrom("machine_types").select("id").where("id", "<>", type.id).execute();
    expect(others.every((r) => r.id < type.id)).toBe(true);
    expect(max.id).toBeGreaterThan(100);
  });
});
