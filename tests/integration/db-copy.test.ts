/**
 * npm run db:copy: a unit's SQLite file moved into PostgreSQL, verified table by table, and the
 * same app serving the same answers from the copy. The refusals need no database server and are
 * checked in every run; the copy itself needs one and runs in the PostgreSQL run (TEST_PG_URL,
 * npm run test:pg, which npm test includes).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { ensureFacility } from "../../db/facility-defaults";
import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_PASSWORD, TEST_NOW } from "../support/constants";
import { testDb } from "../support/db";
import { dropDatabase, pgAdmin, pgDatabaseUrl, safeDatabaseName, testPgUrl } from "../support/pg";
import { type ServerProcess, apiLogin, startServer } from "../support/servers";

const exec = promisify(execFile);
const source = path.resolve(`tmp/copy-src-${process.pid}-${Math.random().toString(36).slice(2, 8)}.db`);
const started: ServerProcess[] = [];

/** Run db:copy; its exit code and output, never a throw. */
async function copy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/copy-cli.ts", ...args], { env: { ...process.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  // A unit's SQLite file: the demo, plus a measured quantity with more digits than a float4 keeps.
  const opened = openDatabase(source);
  await migrateToLatest(opened.db);
  await ensureFacility(opened.db, TEST_NOW);
  await seedDemo(opened.db, { now: TEST_NOW, password: DEMO_PASSWORD });
  const usage = await opened.db.selectFrom("usage_records").select("id").orderBy("id").limit(1).executeTakeFirstOrThrow();
  await opened.db.updateTable("usage_records").set({ output_quantity: 1234.5678901234 }).where("id", "=", usage.id).execute();
  await opened.close();
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
  for (const s of ["", "-wal", "-shm"]) fs.rmSync(source + s, { force: true });
});

describe("npm run db:copy", () => {
  it("refuses bad arguments, a missing or foreign source and an unreachable target, with a clear message", async () => {
    const usage = await copy();
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: npm run db:copy -- --from <SQLite file> --to postgres:\/\//);

    const notPostgres = await copy("--from", source, "--to", "tmp/other.db");
    expect(notPostgres.code).toBe(1);
    expect(notPostgres.stderr).toMatch(/--to must be a postgres:\/\/ url/);

    const missing = await copy("--from", "tmp/no-such-file.db", "--to", "postgres://u@127.0.0.1:1/x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no SQLite database at .*no-such-file\.db/);

    const foreign = path.resolve(`tmp/copy-foreign-${process.pid}.db`);
    const f = openDatabase(foreign);
    await f.close();
    const notGiliran = await copy("--from", foreign, "--to", "postgres://u@127.0.0.1:1/x");
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(foreign + s, { force: true });
    expect(notGiliran.code).toBe(1);
    expect(notGiliran.stderr).toMatch(/is not a Giliran database/);

    // Nothing listens on port 1; the password never appears in the message.
    const unreachable = await copy("--from", source, "--to", "postgres://unit:rahasia@127.0.0.1:1/giliran");
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot connect to postgres:\/\/127\.0\.0\.1:1\/giliran/);
    expect(unreachable.stderr).not.toContain("rahasia");
    expect(unreachable.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  const server = testPgUrl();
  if (!server) console.log("db-copy: the copy into PostgreSQL is skipped here (TEST_PG_URL not set); `npm run test:pg` runs it.");
  it.skipIf(!server)("copies every table into PostgreSQL, verifies it, refuses to copy again, and the app answers the same from both", async () => {
      if (!server) return;
      const name = safeDatabaseName(`giliran_copy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
      await pgAdmin(server, `create database ${name}`);
      const target = pgDatabaseUrl(server, name);
      try {
        const first = await copy("--from", source, "--to", target);
        expect(first.code, first.stderr).toBe(0);
        const tables = ["bookings", "usage_records", "users", "ikms", "machines", "facility", "closure_days", "audit_events", "allocation_rounds"];
        for (const t of tables) expect(first.stdout).toMatch(new RegExp(`^${t}\\s+\\d+\\s+\\d+\\s+\\w+\\s+\\w+\\s+ok$`, "m"));
        expect(first.stdout).not.toMatch(/MISMATCH/);
        expect(first.stdout).toMatch(/every table verified/);

        // The copy has the source's rows, exactly.
        const [a, b] = [testDb(source), testDb(target)];
        for (const t of ["bookings", "usage_records", "users"] as const) {
          const n = async (o: typeof a) => Number((await o.db.selectFrom(t).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
          expect(await n(b), t).toBe(await n(a));
        }
        const q = (o: typeof a) => o.db.selectFrom("usage_records").select("output_quantity").where("output_quantity", "=", 1234.5678901234).execute();
        expect(await q(b)).toEqual(await q(a));
        const maxCopied = Number((await a.db.selectFrom("bookings").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow()).id);
        await Promise.all([a.close(), b.close()]);

        // Never into a database that has a unit's data.
        const again = await copy("--from", source, "--to", target);
        expect(again.code).toBe(1);
        expect(again.stderr).toMatch(/is not empty \(\d+ users, \d+ bookings\); refusing to write into it/);

        // The same app on both: the same bookings and availability; a new booking gets a new id.
        const [onSqlite, onPostgres] = await Promise.all([startServer(source), startServer(target)]);
        started.push(onSqlite, onPostgres);
        const range = `from=${encodeURIComponent("2026-11-01T00:00:00+07:00")}&to=${encodeURIComponent("2026-12-31T00:00:00+07:00")}`;
        const read = async (s: ServerProcess, login: string, p: string) => {
          const token = await apiLogin(s.url, login);
          const res = await fetch(`${s.url}${p}`, { headers: { Authorization: `Bearer ${token}` } });
          expect(res.status, `${login} ${p}`).toBe(200);
          return res.json();
        };
        for (const [login, p] of [
          ["ikm1@giliran.test", `/api/v1/bookings?${range}`],
          ["teknisi@giliran.test", `/api/v1/bookings?${range}`],
          ["ikm2@giliran.test", "/api/v1/machines"],
          ["ikm2@giliran.test", `/api/v1/machines/1/availability?${range}`],
        ]) {
          expect(await read(onPostgres, login, p), p).toEqual(await read(onSqlite, login, p));
        }
        const token = await apiLogin(onPostgres.url, "teknisi@giliran.test");
        const machines = ((await read(onPostgres, "teknisi@giliran.test", "/api/v1/machines")) as any).machines;
        const m = machines.find((x: any) => x.status === "active" && !x.requiresQualification && x.operatorMode !== "assisted" && x.allocationMode === "first_come");
        const day = Date.parse("2026-12-21T00:00:00+07:00");
        const res = await fetch(
          `${onPostgres.url}/api/v1/machines/${m.id}/availability?from=${encodeURIComponent(new Date(day).toISOString())}&to=${encodeURIComponent(new Date(day + 7 * 86_400_000).toISOString())}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        const free = ((await res.json()) as { free: Array<{ start: string; end: string }> }).free.find((f) => Date.parse(f.end) - Date.parse(f.start) >= 3_600_000);
        expect(free).toBeDefined();
        const ikm = (await (await fetch(`${onPostgres.url}/api/v1/bookings?${range}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as any;
        const booked = await fetch(`${onPostgres.url}/api/v1/bookings`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({
            machineId: m.id,
            start: free?.start,
            end: new Date(Date.parse(free?.start as string) + 3_600_000).toISOString(),
            ikmId: ikm.bookings[0].ikmId,
            purpose: "setelah pindah ke PostgreSQL",
            overrideReason: "uji salin",
          }),
        });
        const body = (await booked.json()) as any;
        expect(booked.status, JSON.stringify(body)).toBe(201);
        expect(body.booking.id).toBeGreaterThan(maxCopied);
      } finally {
        await Promise.all(started.splice(0).map((s) => s.stop()));
        await dropDatabase(server, name);
      }
    }, 120_000);
});
