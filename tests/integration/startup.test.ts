/** First start seeds the demo on an empty SQLite database; a restart keeps every row and never seeds again. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { apiLogin, startServer } from "../support/servers";

const file = path.resolve(`tmp/startup-${process.pid}.db`);
afterAll(() => {
  for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });
});

function count(table: string): number {
  const db = new Database(file, { readonly: true });
  const n = (db.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
  db.close();
  return n;
}

describe("start-up on the embedded SQLite database", () => {
  it("seeds an empty database once; a restart keeps the data, including what was written", async () => {
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });
    const first = await startServer(file, { SEED_DEMO: "1" });
    const users = count("users");
    expect(users).toBeGreaterThan(25);
    const token = await apiLogin(first.url, "ikm2@giliran.test");
    const machines = (await (await fetch(`${first.url}/api/v1/machines`, { headers: { Authorization: `Bearer ${token}` } })).json()) as any;
    const m = machines.machines.find((x: any) => x.status === "active" && !x.requiresApproval && !x.requiresQualification && x.operatorMode === "self" && x.allocationMode === "first_come");
    const q = `from=${encodeURIComponent("2026-12-14T00:00:00+07:00")}&to=${encodeURIComponent("2026-12-19T00:00:00+07:00")}`;
    const free = ((await (await fetch(`${first.url}/api/v1/machines/${m.id}/availability?${q}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as any).free.find(
      (f: any) => Date.parse(f.end) - Date.parse(f.start) >= 3_600_000,
    );
    const booked = await fetch(`${first.url}/api/v1/bookings`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ machineId: m.id, start: free.start, end: new Date(Date.parse(free.start) + 3_600_000).toISOString() }),
    });
    expect(booked.status).toBe(201);
    const bookingId = ((await booked.json()) as any).booking.id;
    const bookings = count("bookings");
    expect(await first.stop()).toBe(0);

    const second = await startServer(file, { SEED_DEMO: "1" });
    expect(count("users")).toBe(users);
    expect(count("bookings")).toBe(bookings);
    const again = await fetch(`${second.url}/api/v1/bookings/${bookingId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 120_000);

  it("answers small JSON uncompressed with its length and large JSON gzipped; the WAL is checkpointed beside the requests", async () => {
    // The database of the test above (seeded, one booking written).
    const server = await startServer(file, { SEED_DEMO: "1" });
    try {
      const token = await apiLogin(server.url, "ikm2@giliran.test");
      const gzip = { "Accept-Encoding": "gzip", Authorization: `Bearer ${token}` };
      const small = await fetch(`${server.url}/api/v1/machines/1`, { headers: gzip });
      expect(small.status).toBe(200);
      const text = await small.text();
      expect(text.length).toBeLessThan(1024);
      expect(small.headers.get("content-encoding")).toBeNull();
      expect(small.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
      const large = await fetch(`${server.url}/api/v1/machines`, { headers: gzip });
      expect(large.headers.get("content-encoding")).toBe("gzip");
      expect(((await large.json()) as any).machines.length).toBeGreaterThan(5);

      // A write lands in the main database file (not only the WAL) without any request doing it.
      const db = new Database(file);
      const marker = `ckpt-${process.pid}`;
      db.prepare("update facility set name = ? where id = 1").run(marker);
      db.close();
      const copy = `${file}.main-only`;
      let seen = false;
      for (let i = 0; i < 100 && !seen; i++) {
        await new Promise((r) => setTimeout(r, 50));
        fs.copyFileSync(file, copy);
        const probe = new Database(copy, { readonly: true });
        seen = (probe.prepare("select name from facility where id = 1").get() as { name: string }).name === marker;
        probe.close();
        fs.rmSync(copy, { force: true });
      }
      expect(seen).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it("in production, start refuses without SESSION_SECRET, with a clear message", () => {
    const res = spawnSync(process.execPath, ["server.js"], {
      env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", DATABASE_URL: file, PORT: "3999" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("SESSION_SECRET: required when NODE_ENV=production");
  });

  it("a bad environment value stops the start with a message naming it", () => {
    const res = spawnSync(process.execPath, ["server.js"], { env: { ...process.env, NODE_ENV: "test", PORT: "seventy", DATABASE_URL: file }, encoding: "utf8", timeout: 30_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/PORT/);
  });
});
