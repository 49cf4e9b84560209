/**
 * HTTP load against the built production server on the large data set: 32 concurrent clients on
 * loopback mixing booking requests (accepted and refused, with alternatives), availability reads
 * and report reads. Prints decisions per second, p50/p99 per kind, peak server RSS, the overlap
 * count after the run (must be 0), the server's start-up time on the large database, and the
 * gzipped JavaScript of the booking page — beside DESIGN.md's targets.
 *
 *   npm run bench:load [-- --seconds 20 --clients 32 --db bench/data/large.db]
 *   scripts/with-postgres.sh npx tsx bench/load.ts --pg "$TEST_PG_URL"   (the same on PostgreSQL:
 *   the data set is copied with npm run db:copy into a new database of that server, then served)
 */
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import SqliteDatabase from "better-sqlite3";
import { refreshSummary } from "../app/services/reports/summary.server";
import { openDatabase } from "../db/connection";
import { migrateToLatest } from "../db/migrate";
import { Rng } from "../db/seed/random";
import { flag, numberFlag } from "./lib/args";
import { BENCH_NOW, BENCH_PASSWORD, DEFAULT_LARGE_DB } from "./lib/dataset";
import { tempCopy } from "./lib/db";
import { figure, machineInfo, printFigures, writeResults } from "./lib/report";
import { OVERLAPS_SQL, bookingRequest } from "./lib/requests";
import { startServer } from "./lib/server";
import { percentile } from "./lib/stats";

const SECONDS = numberFlag("seconds", 20);
const CLIENTS = numberFlag("clients", 32);
const source = flag("db", DEFAULT_LARGE_DB);
const PORT = numberFlag("port", 3411);
const base = `http://127.0.0.1:${PORT}`;

if (!fs.existsSync(source)) {
  console.error(`No data set at ${source}: run npm run bench:data first.`);
  process.exit(1);
}
if (!fs.existsSync("build/server/index.js")) {
  console.error("No build: run npm run build first.");
  process.exit(1);
}

const copy = await tempCopy(source, "load");
{
  // A data set generated before the latest migrations: migrate the copy (db:copy requires it).
  const opened = openDatabase(copy.file);
  await migrateToLatest(opened.db);
  await opened.close();
}
// --pg <url of a server where this user may create databases>: serve a PostgreSQL copy instead.
const pgAdmin = flag("pg");
let pgUrl: string | null = null;
if (pgAdmin) {
  const { Client } = (await import("pg")).default;
  const admin = new Client({ connectionString: pgAdmin });
  await admin.connect();
  const name = `giliran_load_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  pgUrl = url.toString();
  const t = performance.now();
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "db/copy-cli.ts", "--from", copy.file, "--to", pgUrl], { stdio: ["ignore", "ignore", "inherit"] });
  console.log(`Copied the data set to PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
// The reports' per-day summary, as the server's job loop keeps it (built once here, not timed).
{
  const opened = openDatabase(pgUrl ?? copy.file);
  await migrateToLatest(opened.db);
  const t = performance.now();
  const days = await refreshSummary(opened.db, BENCH_NOW);
  console.log(`Built the reports' summary (${days} days) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await opened.close();
}
const sqlite = new SqliteDatabase(copy.file, { readonly: true });
const machines = (sqlite.prepare("select id from machines where status = 'active' and requires_qualification = 0 and allocation_mode = 'first_come'").all() as { id: number }[]).map((r) => r.id);
const ikms = (sqlite.prepare("select id from ikms where active = 1 and restricted_until is null limit 400").all() as { id: number }[]).map((r) => r.id);
sqlite.close();

// ---- start the server, timing it on the existing large database
const srv = await startServer(pgUrl ?? copy.file, PORT);
const server = srv.child;
const startupMs = srv.startupMs;

// ---- peak RSS of the server process
let peakRssMb = 0;
/** At the peak: the part mapped from files (Node's own code and libraries, shared, reclaimable). */
let peakFileMb = 0;
const rssTimer = setInterval(() => {
  try {
    const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    if (kb / 1024 > peakRssMb) {
      peakRssMb = kb / 1024;
      peakFileMb = Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    }
  } catch {
    // not on Linux, or the process is gone
  }
}, 50);

const staff = await srv.login("teknisi@giliran.test");
const manager = await srv.login("manajer@giliran.test");

// ---- the mixed load
type Kind = "booking" | "availability" | "report";
const latencies: Record<Kind, number[]> = { booking: [], availability: [], report: [] };
const statuses = new Map<string, number>();
const rng = new Rng(42);
const rand = () => rng.next();
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The shared request mix (bench/lib/requests.ts), as the API takes it. */
function apiBookingRequest() {
  const r = bookingRequest(rand, machines, ikms);
  return { machineId: r.machineId, start: iso(r.start), end: iso(r.end), ikmId: r.ikmId, purpose: "beban", overrideReason: "uji beban" };
}

async function one(kind: Kind) {
  const t0 = performance.now();
  let res: Response;
  if (kind === "booking") {
    res = await fetch(`${base}/api/v1/bookings`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${staff}` }, body: JSON.stringify(apiBookingRequest()) });
  } else if (kind === "availability") {
    const from = BENCH_NOW + Math.floor(rand() * 14) * DAY;
    res = await fetch(`${base}/api/v1/machines/${pick(machines)}/availability?from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(from + 14 * DAY))}`, { headers: { Authorization: `Bearer ${staff}` } });
  } else {
    const groupBy = pick(["machine", "type", "ikm"]);
    res = await fetch(`${base}/api/v1/reports/utilization?from=2026-11-01&to=2026-11-30&groupBy=${groupBy}`, { headers: { Authorization: `Bearer ${manager}` } });
  }
  await res.arrayBuffer();
  latencies[kind].push(performance.now() - t0);
  const key = `${kind} ${res.status}`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
}

/** One phase: CLIENTS concurrent clients for `seconds`, each request's kind drawn by `choose`. */
async function phase(seconds: number, choose: () => Kind): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) await one(choose());
    }),
  );
  return (performance.now() - t0) / 1000;
}

// Phase 1, DESIGN.md's decision target: booking requests only. Phase 2: the mixed load.
const elapsed = await phase(SECONDS, () => "booking");
const decisionLatencies = [...latencies.booking];
const decisionStatuses = new Map(statuses);
const decisionRssMb = peakRssMb;
latencies.booking = [];
const mixedSeconds = await phase(Math.max(5, Math.round(SECONDS / 2)), () => {
  const r = rand();
  return r < 0.7 ? "booking" : r < 0.95 ? "availability" : "report";
});
clearInterval(rssTimer);

// ---- JavaScript sent to the browser for the booking page
const cookieRes = await fetch(`${base}/login`, { method: "POST", redirect: "manual", headers: { Origin: base }, body: new URLSearchParams({ login: "ikm1@giliran.test", password: BENCH_PASSWORD }) });
const cookie = (cookieRes.headers.get("set-cookie") ?? "").split(";")[0];
const html = await (await fetch(`${base}/pesan`, { headers: { Cookie: cookie } })).text();
const scripts = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
for (const m of html.matchAll(/"(\/assets\/[^"]+\.js)"/g)) scripts.add(m[1]);
let jsGzipBytes = 0;
for (const s of scripts) jsGzipBytes += gzipSync(Buffer.from(await (await fetch(base + s)).arrayBuffer())).length;

await srv.stop();

// ---- overlaps after the run
const OVERLAPS = OVERLAPS_SQL;
let overlaps: number;
let bookings: number;
if (pgUrl && pgAdmin) {
  const { Client } = (await import("pg")).default;
  const c = new Client({ connectionString: pgUrl });
  await c.connect();
  overlaps = Number((await c.query(OVERLAPS)).rows[0].n);
  bookings = Number((await c.query("select count(*) n from bookings")).rows[0].n);
  await c.end();
  const admin = new Client({ connectionString: pgAdmin });
  await admin.connect();
  await admin.query(`DROP DATABASE ${new URL(pgUrl).pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
} else {
  const after = new SqliteDatabase(copy.file, { readonly: true });
  overlaps = (after.prepare(OVERLAPS).get() as { n: number }).n;
  bookings = (after.prepare("select count(*) n from bookings").get() as { n: number }).n;
  after.close();
}
copy.remove();

const decided = decisionLatencies.length;
const accepted = decisionStatuses.get("booking 201") ?? 0;
const refused = decisionStatuses.get("booking 409") ?? 0;
const figures = [
  figure("booking decisions through the API", decided / elapsed, "/s", { kind: "min", value: 2000 }),
  figure("booking decision p50", percentile(decisionLatencies, 50), "ms"),
  figure("booking decision p99", percentile(decisionLatencies, 99), "ms", { kind: "max", value: 40 }),
  figure("refused share (with alternatives)", (100 * refused) / Math.max(1, decided), "%"),
  figure("peak server RSS, decisions only", decisionRssMb, "MB", { kind: "max", value: 150 }),
  figure(`mixed load (${mixedSeconds.toFixed(0)} s): booking p50`, percentile(latencies.booking, 50), "ms"),
  figure("mixed: booking p99", percentile(latencies.booking, 99), "ms"),
  figure("mixed: availability (one machine, 14 days) p50", percentile(latencies.availability, 50), "ms"),
  figure("mixed: availability p99", percentile(latencies.availability, 99), "ms"),
  figure("mixed: report (one month) p50", percentile(latencies.report, 50), "ms"),
  figure("mixed: report p99", percentile(latencies.report, 99), "ms"),
  figure("overlapping bookings after the run", overlaps, "", { kind: "max", value: 0 }),
  figure("peak server RSS, mixed load", peakRssMb, "MB", { kind: "max", value: 150 }),
  figure("  of which mapped from files (Node's code, shared)", peakFileMb, "MB"),
  figure("start of the built server on the large database", startupMs, "ms", { kind: "max", value: 2000 }),
  figure("JavaScript for the booking page (gzip)", jsGzipBytes / 1024, "KB", { kind: "max", value: 200 }),
];
printFigures(`HTTP load on ${pgUrl ? "PostgreSQL" : "SQLite"}: ${CLIENTS} clients, ${SECONDS} s, ${bookings.toLocaleString("en-US")} bookings after (${accepted} accepted, ${refused} refused)`, figures);
const other = [...statuses.entries()].filter(([k]) => !/ (200|201|409)$/.test(k));
if (other.length) console.log(`  other statuses: ${other.map(([k, n]) => `${k}×${n}`).join(", ")}`);
const file = writeResults(pgUrl ? "latest-postgres" : "latest", { engine: pgUrl ? "postgres" : "sqlite", date: new Date().toISOString(), machine: machineInfo(), clients: CLIENTS, seconds: SECONDS, statuses: Object.fromEntries(statuses), figures });
console.log(`\nWritten to ${file}`);
if (overlaps !== 0) process.exit(1);
