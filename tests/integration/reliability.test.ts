/**
 * Crash safety, graceful shutdown and online backups, with real server processes on a real
 * database file.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
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

function overlaps(sqlite: Database.Database): number {
  return (
    sqlite
      .prepare(
        `select count(*) n from bookings a join bookings b on a.machine_id = b.machine_id and a.id < b.id
         where a.status in ('pending','confirmed','checked_in') and b.status in ('pending','confirmed','checked_in')
           and a.start_at < b.hold_end_at and b.start_at < a.hold_end_at`,
      )
      .get() as { n: number }
  ).n;
}

/** Staff booking requests spread over machines, IKMs and days: many succeed, many collide. */
function writeLoad(url: string, token: string, machines: number[], ikms: number[], onAck: (b: { id: number; start: string; end: string }) => void) {
  let stop = false;
  let i = 0;
  const worker = async () => {
    while (!stop) {
      const n = i++;
      const day = 7 + (n % 20);
      const hour = 8 + (n % 3);
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

function ids(file: string) {
  const sqlite = new Database(file, { readonly: true });
  const machines = (sqlite.prepare("select id from machines where status = 'active' and requires_qualification = 0 and operator_mode != 'assisted' and allocation_mode = 'first_come'").all() as { id: number }[]).map((r) => r.id);
  const ikms = (sqlite.prepare("select id from ikms where active = 1").all() as { id: number }[]).map((r) => r.id);
  sqlite.close();
  return { machines, ikms };
}

describe("crash safety", () => {
  it("after SIGKILL under write load, every acknowledged booking is there, integrity is ok, no overlap", async () => {
    const file = process.env.DATABASE_URL as string;
    const { machines, ikms } = ids(file);
    const server = await serve(file);
    const token = await apiLogin(server.url, "teknisi@giliran.test");
    const acked: Array<{ id: number; start: string; end: string }> = [];
    const stopLoad = writeLoad(server.url, token, machines, ikms, (b) => acked.push(b));
    await new Promise((r) => setTimeout(r, 1500));
    await server.stop("SIGKILL");
    await stopLoad();
    expect(acked.length).toBeGreaterThan(20);

    const restarted = await serve(file);
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    const find = sqlite.prepare("select start_at, end_at, status from bookings where id = ?");
    for (const b of acked) {
      const row = find.get(b.id) as { start_at: number; end_at: number; status: string } | undefined;
      expect(row, `booking ${b.id}`).toBeDefined();
      expect(row?.start_at).toBe(Date.parse(b.start));
      expect(row?.end_at).toBe(Date.parse(b.end));
    }
    expect(overlaps(sqlite)).toBe(0);
    sqlite.close();
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
    const inflight = Array.from({ length: 30 }, () => {
      let markSent!: () => void;
      sent.push(new Promise<void>((r) => (markSent = r)));
      return new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.url}/api/v1/bookings?from=2026-09-01T00:00:00%2B07:00&to=2026-12-31T00:00:00%2B07:00`,
          { agent: false, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
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
    await new Promise((r) => setTimeout(r, 10));
    const exit = server.stop("SIGTERM");
    const statuses = await Promise.all(inflight);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await exit).toBe(0);
    // A cleanly closed WAL database leaves no write-ahead log behind.
    const wal = `${file}-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    expect(server.output()).toMatch(/SIGTERM/);
  }, 60_000);
});

describe("backups", () => {
  it("npm run db:backup makes a consistent copy while the server writes; the copy runs the app", async () => {
    const file = process.env.DATABASE_URL as string;
    const { machines, ikms } = ids(file);
    const server = await serve(file);
    const token = await apiLogin(server.url, "teknisi@giliran.test");
    const stopLoad = writeLoad(server.url, token, machines, ikms, () => undefined);
    const backup = path.resolve(`tmp/backup-${process.pid}-${Date.now()}.db`);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/backup-cli.ts", backup], { env: { ...process.env, DATABASE_URL: file } });
      expect(stdout).toMatch(/integrity ok/);
    } finally {
      await stopLoad();
      await server.stop();
    }
    const copy = new Database(backup, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(overlaps(copy)).toBe(0);
    const users = (copy.prepare("select count(*) n from users").get() as { n: number }).n;
    copy.close();
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
    await expect(run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/backup-cli.ts", existing], { env: { ...process.env } })).rejects.toThrow(/exists already/);
    fs.rmSync(existing);
  });
});

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
