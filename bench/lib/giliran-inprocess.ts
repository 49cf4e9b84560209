/**
 * Giliran's decision in-process, for bench:ceiling and bench:breakdown: the same request sequence
 * as the ceiling's in-process loop (bench/lib/requests.ts, seed 42), decided one after another by
 * requestBooking() — what POST /api/v1/bookings calls, with the same arguments (a technician
 * booking for the IKM, source "api", the override reason that lets a year ahead pass TOO_FAR) —
 * on the database given, in a process of its own (the app reads DATABASE_URL once).
 *
 *   tsx bench/lib/giliran-inprocess.ts --db <file> --requests N --result <file> [--instrument]
 *
 * --instrument also counts, per decision, the SQL statements run (and the µs inside SQLite for
 * each, by SQL text) and the promises created (async_hooks), and times each COMMIT.
 */
import { createHook } from "node:async_hooks";
import type SqliteDatabase from "better-sqlite3";
import { Rng } from "../../db/seed/random";
import { flag, hasFlag, numberFlag } from "./args";
import { hrtimeUs } from "./cpu-profile";
import { BENCH_NOW, BENCH_NOW_ISO } from "./dataset";
import { bookingRequest } from "./requests";
import { percentile } from "./stats";
import { writeWorkerResult } from "./worker";

export interface StatementStat {
  sql: string;
  /** Runs per decision (accepted or refused). */
  perAccepted: number;
  perRefused: number;
  /** Mean µs inside SQLite per run. */
  meanUs: number;
  p50Us: number;
}

export interface InProcessResult {
  rate: number;
  p50: number;
  p99: number;
  accepted: number;
  refused: number;
  acceptedP50: number;
  refusedP50: number;
  /** Refusals by their codes (joined with ","). */
  refusedCodes: Record<string, number>;
  /** With --instrument: */
  statements?: StatementStat[];
  statementsPerAccepted?: number;
  statementsPerRefused?: number;
  promisesPerAccepted?: number;
  promisesPerRefused?: number;
  /** µs inside SQLite per decision (every statement, COMMIT included). */
  sqliteUsPerAccepted?: number;
  sqliteUsPerRefused?: number;
  /** COMMIT: p50 and mean µs, and how many ran over 20× the median (a WAL checkpoint ran). */
  commit?: { p50Us: number; meanUs: number; slow: number; slowExcessUs: number };
  /** When the decisions began and ended (hrtimeUs(), the clock of a CPU profile). */
  window: { from: number; to: number };
}

/** Times every run of every statement prepared on the handle, by SQL text. */
function instrument(sqlite: SqliteDatabase.Database) {
  const stats = new Map<string, { acc: number; ref: number; us: number[] }>();
  let current: { ok: boolean | null; runs: { sql: string; us: number }[] } = { ok: null, runs: [] };
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = (text: string) => {
    const stmt = prepare(text);
    for (const method of ["all", "run", "get", "iterate"] as const) {
      const original = (stmt[method] as (...args: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return original(...args);
        } finally {
          current.runs.push({ sql: text, us: (performance.now() - t0) * 1000 });
        }
      };
    }
    return stmt;
  };
  return {
    start() {
      current = { ok: null, runs: [] };
    },
    end(ok: boolean) {
      for (const r of current.runs) {
        const s = stats.get(r.sql) ?? { acc: 0, ref: 0, us: [] };
        if (ok) s.acc++;
        else s.ref++;
        s.us.push(r.us);
        stats.set(r.sql, s);
      }
      const n = current.runs.length;
      const us = current.runs.reduce((k, r) => k + r.us, 0);
      return { n, us };
    },
    stats,
  };
}

async function main() {
  const file = flag("db") as string;
  const requests = numberFlag("requests", 3000);
  const instrumented = hasFlag("instrument");
  process.env.DATABASE_URL = file;
  process.env.SEED_DEMO = "0";
  process.env.LOG_REQUESTS = "0";
  process.env.GILIRAN_NOW = BENCH_NOW_ISO;
  const { openedDb, initDatabase, closeDatabase } = await import("../../app/utils/db.server");
  const { requestBooking } = await import("../../app/services/booking/commands.server");
  const { sqliteHandle } = await import("../../db/connection");
  const opened = openedDb();
  const sqlite = sqliteHandle(opened);
  const probe = instrumented ? instrument(sqlite) : null;
  await initDatabase(); // migrations, as the server does on start
  const database = opened.db;
  const machines = (sqlite.prepare("select id from machines where status = 'active' and requires_qualification = 0 and allocation_mode = 'first_come'").all() as { id: number }[]).map((r) => r.id);
  const ikms = (sqlite.prepare("select id from ikms where active = 1 and restricted_until is null limit 400").all() as { id: number }[]).map((r) => r.id);
  const staff = (sqlite.prepare("select id from users where email = 'teknisi@giliran.test'").get() as { id: number }).id;
  const ctx = { user: { id: staff, role: "technician" as const, ikmId: null }, now: BENCH_NOW };

  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") promises++;
    },
  });
  const rng = new Rng(42);
  const rand = () => rng.next();
  const lat: { ms: number; ok: boolean; statements: number; sqliteUs: number; promises: number }[] = [];
  const refusedCodes: Record<string, number> = {};
  const from = hrtimeUs();
  for (let i = 0; i < requests; i++) {
    const r = bookingRequest(rand, machines, ikms);
    probe?.start();
    if (instrumented) hook.enable();
    const p0 = promises;
    const t = performance.now();
    const out = await requestBooking(database, ctx, { machineId: r.machineId, ikmId: r.ikmId, start: r.start, end: r.end, purpose: "beban", source: "api", overrideReason: "uji beban" });
    const ms = performance.now() - t;
    if (instrumented) hook.disable();
    const sq = probe?.end(out.ok) ?? { n: 0, us: 0 };
    if (!out.ok) {
      const codes = [...new Set(out.violations.map((v) => v.code))].sort().join(",");
      refusedCodes[codes] = (refusedCodes[codes] ?? 0) + 1;
    }
    lat.push({ ms, ok: out.ok, statements: sq.n, sqliteUs: sq.us, promises: promises - p0 });
  }
  const to = hrtimeUs();
  await closeDatabase();

  const all = lat.map((x) => x.ms);
  const acc = lat.filter((x) => x.ok);
  const ref = lat.filter((x) => !x.ok);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const result: InProcessResult = {
    rate: lat.length / (all.reduce((a, b) => a + b, 0) / 1000),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    accepted: acc.length,
    refused: ref.length,
    acceptedP50: percentile(acc.map((x) => x.ms), 50),
    refusedP50: percentile(ref.map((x) => x.ms), 50),
    refusedCodes,
    window: { from, to },
  };
  if (probe) {
    result.statementsPerAccepted = mean(acc.map((x) => x.statements));
    result.statementsPerRefused = mean(ref.map((x) => x.statements));
    result.promisesPerAccepted = mean(acc.map((x) => x.promises));
    result.promisesPerRefused = mean(ref.map((x) => x.promises));
    result.sqliteUsPerAccepted = mean(acc.map((x) => x.sqliteUs));
    result.sqliteUsPerRefused = mean(ref.map((x) => x.sqliteUs));
    result.statements = [...probe.stats.entries()]
      .filter(([, s]) => s.acc + s.ref > 0)
      .map(([sql, s]) => ({
        sql: sql.replace(/\s+/g, " ").trim(),
        perAccepted: acc.length ? s.acc / acc.length : 0,
        perRefused: ref.length ? s.ref / ref.length : 0,
        meanUs: mean(s.us),
        p50Us: percentile(s.us, 50),
      }))
      .sort((a, b) => b.meanUs * (b.perAccepted + b.perRefused) - a.meanUs * (a.perAccepted + a.perRefused));
    // COMMIT: Kysely's ("commit") or better-sqlite3's transaction wrapper's ("COMMIT").
    const commits = [...probe.stats.entries()].filter(([sql]) => sql.trim().toLowerCase() === "commit").flatMap(([, st]) => st.us);
    const p50 = percentile(commits, 50);
    const slow = commits.filter((us) => us > 20 * p50);
    result.commit = { p50Us: p50, meanUs: mean(commits), slow: slow.length, slowExcessUs: slow.reduce((k, us) => k + us - p50, 0) };
  }
  writeWorkerResult(flag("result") as string, result);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
