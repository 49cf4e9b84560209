/**
 * Crash safety, graceful shutdown and online backups, with real server processes on a real
 * database: a SQLite file, or in the PostgreSQL run a PostgreSQL database (where the backup is
 * pg_dump, and db:backup refuses and says so).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { type Kysely, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { integrityCheck, testDb, testEngine } from "../support/db";
import { dropDatabase, pgAdmin, pgDatabaseUrl, pgTool, safeDatabaseName, testPgUrl } from "../support/pg";
import { type ServerProcess, apiLogin, startServer } from "../support/servers";

const run = promisify(execFile);
const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
});

async function serve(file: string) {
  const s = await startServer(file);
  started.push(s);
  return s;
}

async function overlaps(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) n from bookings a join bookings b on a.machine_id = b.machine_id and a.id < b.id
         where a.status in ('pending','confirmed','checked_in') and b.status in ('pending','confirmed','checked_in')
           and a.start_at < b.hold_end_at and b.start_at < a.hold_end_at`.execute(db);
  return Number(rows[0].n);
}

/**
 * Staff booking requests spread over machines, IKMs and days: many succeed, many collide. They
 * cycle through a small set of slots (hours from `firstHour`), which a fast server fills within a
 * second or two: each test that needs acknowledged writes takes hours of its own.
 */
function writeLoad(url: string, token: string, machines: number[], ikms: number[], onAck: (b: { id: number; start: string; end: string }) => void, firstHour = 8) {
  let stop = false;
  let i = 0;
  const worker = async () => {
    while (!stop) {
      const n = i++;
      const day = 7 + (n % 20);
      const hour = firstHour + (n % 3);
      const start = `2026-12-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00+07:00`;
      const end = `2026-12-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:30:00+07:00`;
      try {
        const res = await fetch(`${url}/api/v1/bookings`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ machineId: machines[n % machines.length], start, end, ikmId: ikms[n % ikms.length], overrideReason: "uji", purpose: `load ${n}` }),
        });
        if (res.status === 201) onAck(((await res.json()) as any).booking);
        else await res.arrayBuffer();
      } catch {
        // the server was killed mid-request: that request was never acknowledged
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  return async () => {
    stop = true;
    await Promise.all(workers);
  };
}

async function ids(file: string) {
  const data = testDb(file);
  const machines = (
    await data.db
      .selectFrom("machines")
      .select("id")
      .where("status", "=", "active")
      .where("requires_qualification", "=", 0)
      .where("operator_mode", "!=", "assisted")
      .where("allocation_mode", "=", "first_come")
      .execute()
  ).map((r) => r.id);
  const ikms = (await data.db.selectFrom("ikms").select("id").where("active", "=", 1).execute()).map((r) => r.id);
  await data.close();
  return { machines, ikms };
}

describe("crash safety", () => {
  it("after SIGKILL under write load, every acknowledged booking is there, integrity is ok, no overlap", async () => {
    const file = process.env.DATABASE_URL as string;
    const { machines, ikms } = await ids(file);
    const server = await serve(file);
    const token = await apiLogin(server.url, "teknisi@giliran.test");
    const acked: Array<{ id: number; start: string; end: string }> = [];
    const stopLoad = writeLoad(server.url, token, machines, ikms, (b) => acked.push(b));
    await new Promise((r) => setTimeout(r, 1500));
    // A busy machine (or a database server a round trip away) acknowledges fewer per second: load on until there are enough.
    for (const until = Date.now() + 20_000; acked.length <= 20 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    await server.stop("SIGKILL");
    await stopLoad();
    expect(acked.length).toBeGreaterThan(20);

    const restarted = await serve(file);
    const data = testDb(file);
    expect(await integrityCheck(data)).toBe("ok");
    const find = (id: number) => data.db.selectFrom("bookings").select(["start_at", "end_at", "status"]).where("id", "=", id).executeTakeFirst();
    for (const b of acked) {
      const row = await find(b.id);
      expect(row, `booking ${b.id}`).toBeDefined();
      expect(row?.start_at).toBe(Date.parse(b.start));
      expect(row?.end_at).toBe(Date.parse(b.end));
    }
    expect(await overlaps(data.db)).toBe(0);
    await data.close();
    expect((await fetch(`${restarted.url}/healthz`)).status).toBe(200);
    await restarted.stop();
  }, 60_000);
});

describe("graceful shutdown", () => {
  it("SIGTERM finishes the requests in flight, closes the database and exits 0", async () => {
    const file = process.env.DATABASE_URL as string;
    const server = await serve(file);
    const token = await apiLogin(server.url, "teknisi@giliran.test");
    // 30 slow-ish requests, each on its own connection, all fully sent before the signal.
    const sent: Promise<void>[] = [];
    let answered!: () => void;
    const firstAnswer = new Promise<void>((r) => (answered = r));
    const inflight = Array.from({ length: 30 }, () => {
      let markSent!: () => void;
      sent.push(new Promise<void>((r) => (markSent = r)));
      return new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.url}/api/v1/bookings?from=2026-09-01T00:00:00%2B07:00&to=2026-12-31T00:00:00%2B07:00`,
          { agent: false, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            answered();
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.on("finish", markSent);
        req.end();
      });
    });
    await Promise.all(sent);
    // A barrier, not a sleep: once the server has answered one of them it has accepted the
    // connections that arrived before (accepting comes before handling in its event loop).
    await firstAnswer;
    const exit = server.stop("SIGTERM");
    const statuses = await Promise.all(inflight);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await exit).toBe(0);
    if (testEngine() === "postgres") {
      // A cleanly closed pool leaves none of the process's connections on the database server.
      const data = testDb(file);
      const open = async () =>
        Number(
          (
            await sql<{ n: number }>`select count(*) n from pg_stat_activity where application_name = ${`giliran:${server.child.pid}`}`.execute(data.db)
          ).rows[0].n,
        );
      for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await open()).toBe(0);
      await data.close();
    } else {
      // A cleanly closed WAL database leaves no write-ahead log behind.
      const wal = `${file}-wal`;
      expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    }
    expect(server.output()).toMatch(/SIGTERM/);
  }, 60_000);
});

describe("backups", () => {
  it("npm run db:backup makes a consistent copy while the server writes; the copy runs the app", async () => {
    const file = process.env.DATABASE_URL as string;
    if (testEngine() === "postgres") return pgDumpWhileWriting(file);
    const { machines, ikms } = await ids(file);
    const server = await serve(file);
    const token = await apiLogin(server.url, "teknisi@giliran.test");
    // A barrier, not a sleep: the backup starts once the load has had writes acknowledged.
    let acks = 0;
    let loaded!: () => void;
    const writing = new Promise<void>((r) => (loaded = r));
    // The afternoon: the crash test above filled the morning slots of the load.
    const stopLoad = writeLoad(
      server.url,
      token,
      machines,
      ikms,
      () => {
        if (++acks === 5) loaded();
      },
      13,
    );
    const backup = path.resolve(`tmp/backup-${process.pid}-${Date.now()}.db`);
    try {
      await writing;
      const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/backup-cli.ts", backup], { env: { ...process.env, DATABASE_URL: file } });
      expect(stdout).toMatch(/integrity ok/);
    } finally {
      await stopLoad();
      await server.stop();
    }
    const copy = testDb(backup);
    expect(await integrityCheck(copy)).toBe("ok");
    expect(await overlaps(copy.db)).toBe(0);
    const users = Number((await copy.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    await copy.close();
    expect(users).toBeGreaterThan(5);
    // Restoring = serving the copy: the app runs and the demo login works.
    const restored = await serve(backup);
    expect((await fetch(`${restored.url}/healthz`)).status).toBe(200);
    expect(await apiLogin(restored.url, "ikm1@giliran.test")).toMatch(/.{20,}/);
    await restored.stop();
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(backup + s, { force: true });
  }, 60_000);

  it("refuses to overwrite an existing file", async () => {
    const existing = path.resolve(`tmp/backup-exists-${process.pid}.db`);
    fs.writeFileSync(existing, "x");
    // On PostgreSQL db:backup refuses before anything else (it names pg_dump); either way the file stays.
    const refusal = testEngine() === "postgres" ? /pg_dump/ : /exists already/;
    await expect(run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/backup-cli.ts", existing], { env: { ...process.env } })).rejects.toThrow(refusal);
    expect(fs.readFileSync(existing, "utf8")).toBe("x");
    fs.rmSync(existing);
  });
});

/**
 * The PostgreSQL equivalent of the backup test: db:backup refuses and names pg_dump; pg_dump
 * (the server's consistent online dump) runs while a server writes; pg_restore of that dump
 * into a new database passes the same checks, and the app runs on it.
 */
async function pgDumpWhileWriting(url: string) {
  const { machines, ikms } = await ids(url);
  const server = await serve(url);
  const token = await apiLogin(server.url, "teknisi@giliran.test");
  const stopLoad = writeLoad(server.url, token, machines, ikms, () => undefined);
  const dump = path.resolve(`tmp/backup-${process.pid}-${Date.now()}.dump`);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const refused = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/backup-cli.ts", dump], { env: { ...process.env, DATABASE_URL: url } }).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/pg_dump/);
    expect(fs.existsSync(dump)).toBe(false);
    await run(pgTool("pg_dump"), ["--format=custom", `--file=${dump}`, url]);
  } finally {
    await stopLoad();
    await server.stop();
  }
  const serverUrl = testPgUrl() as string;
  const name = safeDatabaseName(`giliran_restore_${process.pid}_${Date.now()}`);
  await pgAdmin(serverUrl, `create database ${name}`);
  const restoredUrl = pgDatabaseUrl(serverUrl, name);
  try {
    await run(pgTool("pg_restore"), ["--no-owner", "--exit-on-error", `--dbname=${restoredUrl}`, dump]);
    const copy = testDb(restoredUrl);
    expect(await integrityCheck(copy)).toBe("ok");
    expect(await overlaps(copy.db)).toBe(0);
    const users = Number((await copy.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    await copy.close();
    expect(users).toBeGreaterThan(5);
    const restored = await serve(restoredUrl);
    expect((await fetch(`${restored.url}/healthz`)).status).toBe(200);
    expect(await apiLogin(restored.url, "ikm1@giliran.test")).toMatch(/.{20,}/);
    await restored.stop();
  } finally {
    await dropDatabase(serverUrl, name);
    fs.rmSync(dump, { force: true });
  }
}

describe("request logs", () => {
  it("one structured line per request with its request id; no password or token ever appears", async () => {
    const file = process.env.DATABASE_URL as string;
    const server = await startServer(file, { LOG_REQUESTS: "1" });
    started.push(server);
    const token = await apiLogin(server.url, "ikm1@giliran.test");
    const res = await fetch(`${server.url}/api/v1/machines?secret=abc`, { headers: { Authorization: `Bearer ${token}` } });
    const requestId = res.headers.get("X-Request-Id");
    await res.arrayBuffer();
    await fetch(`${server.url}/login`, { method: "POST", headers: { Origin: server.url }, body: new URLSearchParams({ login: "ikm1@giliran.test", password: "giliran-demo" }) });
    await server.stop();
    const out = server.output();
    expect(out).not.toContain("giliran-demo");
    expect(out).not.toContain(token);
    expect(out).not.toContain("secret=abc");
    const line = out.split("\n").find((l) => l.includes(String(requestId)));
    expect(line).toBeDefined();
    const entry = JSON.parse(line as string);
    expect(entry).toMatchObject({ requestId, method: "GET", path: "/api/v1/machines", status: 200 });
    expect(typeof entry.ms).toBe("number");
  }, 60_000);
});
