/**
 * The scheduling engine's benchmark (DESIGN.md "Targets"):
 *
 *   npx tsx bench/engine.ts [--db bench/data/large.db] [--requests 3000] [--profile]
 *
 * For the demo data (seeded into a temporary database at the fixed BENCH_NOW) and for the large
 * data set (a temporary copy: bench/data/large.db is never written), each in its own process:
 *
 * - booking decisions through the real service, in-process and one at a time: requestBooking()
 *   for a technician or an IKM member, about a quarter refused (each refusal computes its
 *   alternatives); the rate is decisions ÷ the summed time of the decisions, and p50/p99 are of
 *   one decision including its transaction (and, for a refusal, its alternatives);
 * - the pure decide() rate on inputs loaded the way the service loads them (no database);
 * - availability() of all machines over 14 days (median of repeated runs).
 *
 * An accepted booking is cancelled again with a plain UPDATE after its decision is timed, so every
 * request meets the same state (the data set's quotas and free time stay as generated), like a
 * floor in steady state where bookings end as fast as new ones arrive. The revert is not timed.
 *
 * Results: printed beside their targets and written to bench/results/engine.json.
 * --profile writes a V8 CPU profile of each worker to bench/results/profiles/.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Machine } from "../db/schema";
import { flag, hasFlag, numberFlag } from "./lib/args";
import { BENCH_NOW, BENCH_NOW_ISO, BENCH_PASSWORD, DEFAULT_LARGE_DB } from "./lib/dataset";
import { tempCopy, tempDatabasePath } from "./lib/db";
import { type Figure, figure, machineInfo, printFigures, writeResults } from "./lib/report";
import { median, nowMs, percentile, sum, timeRuns } from "./lib/stats";
import { runWorker, writeWorkerResult } from "./lib/worker";

const SCRIPT = fileURLToPath(import.meta.url);
const NOW = BENCH_NOW;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** DESIGN.md targets (the in-process decision rate is this brief's: ≥ 5,000/s). */
const TARGET_DECISIONS_PER_S = 5000;
const TARGET_AVAILABILITY_MS = 20;

interface WorkerResult {
  /** The machine's 1/5/15-minute load average when the worker finished (others share the cores). */
  loadAverage: number[];
  /** machines: all not retired; decisionMachines: the first-come ones the requests go to. */
  dataset: { label: string; machines: number; decisionMachines: number; ikms: number; bookings: number; futureHolding: number };
  decisions: {
    count: number;
    accepted: number;
    refused: number;
    expectedRefused: number;
    unexpected: number;
    refusedCodes: Record<string, number>;
    meanAlternatives: number;
    totalMs: number;
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
    acceptedP50Ms: number;
    acceptedP99Ms: number;
    refusedP50Ms: number;
    refusedP99Ms: number;
    wallPerSecond: number;
    /** Decisions per second of the process's own CPU time (robust when other work shares the cores). */
    cpuPerSecond: number;
  };
  decide: { inputs: number; perSecond: number; meanUs: number; alternativesMeanUs: number };
  loaders: Record<string, number>;
  availability: { machines: number; days: number; runs: number; medianMs: number; p90Ms: number; minMs: number; busy: number };
}

// ---------------------------------------------------------------------------------------------
// Worker: one data set, in its own process

/** A seeded shuffle (mulberry32), so every run asks the same requests. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

interface PlannedRequest {
  machine: Machine;
  ikmId: number;
  start: number;
  end: number;
  assisted: boolean;
  expectOk: boolean;
  principal: { id: number; role: "ikm" | "technician"; ikmId: number | null };
}

async function worker(dbFile: string, label: string, requests: number, resultFile: string, decisionsOnly: boolean): Promise<void> {
  // The app reads DATABASE_URL once, when its modules first open the database.
  process.env.DATABASE_URL = dbFile;
  process.env.SEED_DEMO = "0";
  process.env.LOG_REQUESTS = "0";
  process.env.GILIRAN_NOW = BENCH_NOW_ISO;
  const { db, openedDb } = await import("../app/utils/db.server");
  const { requestBooking } = await import("../app/services/booking/commands.server");
  const { loadDecisionInput } = await import("../app/services/booking/decision-input.server");
  const { availability } = await import("../app/services/booking/availability.server");
  const models = await import("../app/models/scheduling.server");
  const engine = await import("../app/scheduling");

  const { migrateToLatest } = await import("../db/migrate");
  const { sqliteHandle } = await import("../db/connection");
  const sqlite = sqliteHandle(openedDb());
  const sqlStats = process.env.BENCH_SQL_STATS ? instrumentStatements(sqlite) : null;
  const database = db();
  // The copy gets the schema of the code under test, as the app migrates on start.
  await migrateToLatest(database);
  // Experiments only: BENCH_PRAGMAS="wal_autocheckpoint = 16000;cache_size = -65536" on the app's connection.
  for (const pragma of (process.env.BENCH_PRAGMAS ?? "").split(";").filter((x) => x.trim())) sqlite.pragma(pragma.trim());
  const facility = await models.loadFacility(database);
  const calendar = await models.loadCalendar(database, facility);
  const tz = calendar.timeZone;
  // First come, first served machines: a weekly-round machine refuses next week (ROUND_OPEN).
  const machines = await database
    .selectFrom("machines")
    .selectAll()
    .where("status", "=", "active")
    .where("allocation_mode", "=", "first_come")
    .orderBy("id")
    .execute();
  const count = (sql: string, ...params: unknown[]) => (sqlite.prepare(sql).get(...params) as { n: number }).n;
  const dataset = {
    label,
    machines: count("SELECT count(*) AS n FROM machines WHERE status != 'retired'"),
    decisionMachines: machines.length,
    ikms: count("SELECT count(*) AS n FROM ikms"),
    bookings: count("SELECT count(*) AS n FROM bookings"),
    futureHolding: count(`SELECT count(*) AS n FROM bookings WHERE start_at > ? AND status IN ('pending','confirmed','checked_in')`, NOW),
  };
  console.log(`[${label}] ${dataset.machines} machines, ${dataset.ikms} IKMs, ${dataset.bookings.toLocaleString("en-US")} bookings; planning ${requests} requests…`);

  // --- What each IKM may still book (so the requests meant to pass do pass) -----------------
  const rulesOf = new Map(machines.map((m) => [m.id, models.effectiveRules(m, facility, 0)]));
  const members = new Map<number, number>();
  for (const u of sqlite.prepare("SELECT id, ikm_id FROM users WHERE role = 'ikm' AND active = 1 ORDER BY id").all() as { id: number; ikm_id: number }[]) {
    if (!members.has(u.ikm_id)) members.set(u.ikm_id, u.id);
  }
  const technician = (sqlite.prepare("SELECT id FROM users WHERE role = 'technician' AND active = 1 ORDER BY id LIMIT 1").get() as { id: number }).id;
  const ikmIds = (sqlite.prepare("SELECT id FROM ikms WHERE active = 1 ORDER BY id").all() as { id: number }[]).map((r) => r.id).filter((id) => members.has(id));
  const active = new Map<number, number>();
  for (const r of sqlite.prepare(`SELECT ikm_id, count(*) AS n FROM bookings WHERE start_at > ? AND status IN ('pending','confirmed','checked_in') GROUP BY ikm_id`).all(NOW) as { ikm_id: number; n: number }[]) {
    active.set(r.ikm_id, r.n);
  }
  const weekStart = (t: number) => engine.isoWeekRange(t, tz).start;
  const used = new Map<string, number>();
  const firstWeek = weekStart(NOW);
  for (const r of sqlite
    .prepare(
      `SELECT b.ikm_id, m.type_id, b.start_at, b.end_at FROM bookings b JOIN machines m ON m.id = b.machine_id
       WHERE b.start_at >= ? AND b.status IN ('pending','confirmed','checked_in','completed')`,
    )
    .all(firstWeek) as { ikm_id: number; type_id: number; start_at: number; end_at: number }[]) {
    const key = `${r.ikm_id}:${r.type_id}:${weekStart(r.start_at)}`;
    used.set(key, (used.get(key) ?? 0) + (r.end_at - r.start_at) / MINUTE);
  }
  const qualified = new Map<string, number>();
  for (const q of sqlite
    .prepare("SELECT u.ikm_id, q.machine_type_id, max(q.valid_until) AS until FROM qualifications q JOIN users u ON u.id = q.user_id WHERE u.active = 1 AND u.ikm_id IS NOT NULL GROUP BY 1, 2")
    .all() as { ikm_id: number; machine_type_id: number; until: number }[]) {
    qualified.set(`${q.ikm_id}:${q.machine_type_id}`, q.until);
  }
  let rotate = 0;
  /** An IKM (other than `not`) the rules let book this machine and time, or null. */
  const ikmFor = (m: Machine, start: number, end: number, not: number | null): number | null => {
    const rules = rulesOf.get(m.id) as ReturnType<typeof models.effectiveRules>;
    const assisted = engine.effectiveAssisted(rules.operatorMode, false);
    for (let k = 0; k < ikmIds.length; k++) {
      const ikm = ikmIds[(rotate + k) % ikmIds.length];
      if (ikm === not || (active.get(ikm) ?? 0) + 1 > rules.maxActiveBookings) continue;
      if ((used.get(`${ikm}:${m.type_id}:${weekStart(start)}`) ?? 0) + (end - start) / MINUTE > rules.weeklyQuotaMinutes) continue;
      if (rules.requiresQualification && !assisted && (qualified.get(`${ikm}:${m.type_id}`) ?? 0) <= start) continue;
      rotate = (rotate + k + 1) % ikmIds.length;
      return ikm;
    }
    return null;
  };

  // --- Requests meant to pass: free time on the grid, a day to four weeks ahead --------------
  const window = { start: NOW + 26 * HOUR, end: NOW + 28 * DAY };
  const free = await availability(machines, window);
  const freeSlots: { machine: Machine; start: number; end: number }[] = [];
  for (const fb of free) {
    const m = machines.find((x) => x.id === fb.machineId) as Machine;
    const rules = rulesOf.get(m.id) as ReturnType<typeof models.effectiveRules>;
    const duration = Math.max(rules.minMinutes, 60) * MINUTE;
    const slot = rules.slotMinutes * MINUTE;
    for (const piece of fb.free) {
      for (let s = engine.ceilToSlot(piece.start, rules.slotMinutes, tz); s + duration <= piece.end; s += slot) {
        freeSlots.push({ machine: m, start: s, end: s + duration });
      }
    }
  }
  shuffle(freeSlots, 42);

  // --- Requests meant to be refused: time another IKM holds (OVERLAP), or across the break ---
  const held = sqlite
    .prepare(`SELECT machine_id, ikm_id, start_at, end_at FROM bookings WHERE status IN ('pending','confirmed') AND start_at >= ? AND start_at < ? ORDER BY id`)
    .all(window.start, window.end) as { machine_id: number; ikm_id: number; start_at: number; end_at: number }[];
  const machineById = new Map(machines.map((m) => [m.id, m]));
  const taken = shuffle(
    held.filter((b) => machineById.has(b.machine_id)),
    7,
  );

  const total = requests + Math.ceil(requests / 10); // the first tenth warms up
  const plan: PlannedRequest[] = [];
  let f = 0;
  let t = 0;
  for (let i = 0; plan.length < total && i < total * 3; i++) {
    const refuse = i % 4 === 3;
    let slot: { machine: Machine; start: number; end: number; not: number | null } | null = null;
    if (!refuse && freeSlots.length > 0) {
      const s = freeSlots[f++ % freeSlots.length];
      slot = { ...s, not: null };
    } else if (refuse && i % 20 === 19 && freeSlots.length > 0) {
      // Across the lunch break of a free morning: OUTSIDE_HOURS (and maybe more).
      const s = freeSlots[(f + 97 * i) % freeSlots.length];
      const noon = engine.zonedInstant(engine.localDateKey(s.start, tz), "12:00", tz);
      slot = { machine: s.machine, start: noon - HOUR, end: noon + HOUR, not: null };
    } else if (refuse && taken.length > 0) {
      const b = taken[t++ % taken.length];
      const m = machineById.get(b.machine_id) as Machine;
      const rules = rulesOf.get(m.id) as ReturnType<typeof models.effectiveRules>;
      const length = Math.max(rules.minMinutes, 60) * MINUTE;
      slot = { machine: m, start: b.start_at, end: b.start_at + length, not: b.ikm_id };
    }
    if (!slot) continue;
    const ikmId = ikmFor(slot.machine, slot.start, slot.end, slot.not);
    if (ikmId === null) continue;
    const asMember = plan.length % 2 === 1;
    plan.push({
      machine: slot.machine,
      ikmId,
      start: slot.start,
      end: slot.end,
      assisted: false,
      expectOk: !refuse,
      principal: asMember ? { id: members.get(ikmId) as number, role: "ikm", ikmId } : { id: technician, role: "technician", ikmId: null },
    });
  }
  if (plan.length < total) throw new Error(`[${label}] could only plan ${plan.length} of ${total} requests`);

  // --- Decisions through the service -------------------------------------------------------
  // Accepted bookings are cancelled again in batches (one small transaction per 4 decisions,
  // untimed), so the WAL does not grow by one extra commit per decision.
  const revertOne = sqlite.prepare("UPDATE bookings SET status = 'cancelled', cancelled_at = ?, updated_at = ?, status_reason = 'bench: reverted' WHERE id = ?");
  const toRevert: number[] = [];
  const revertBatch = sqlite.transaction((ids: number[]) => {
    for (const id of ids) revertOne.run(NOW, NOW, id);
  });
  const flushReverts = () => {
    revertBatch(toRevert);
    toRevert.length = 0;
  };
  let decided = 0;
  const decideOne = async (p: PlannedRequest) => {
    const ctx = { user: p.principal, now: NOW };
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const out = await requestBooking(database, ctx, {
      machineId: p.machine.id,
      start: p.start,
      end: p.end,
      purpose: "Bench",
      assisted: p.assisted,
      ikmId: p.principal.role === "ikm" ? undefined : p.ikmId,
      source: "web",
    });
    const ms = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (out.ok) toRevert.push(out.booking.id);
    if (++decided % 4 === 0) flushReverts();
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, out };
  };
  const warmup = plan.slice(0, total - requests);
  const measured = plan.slice(total - requests);
  for (const p of warmup) await decideOne(p);
  flushReverts();
  sqlStats?.clear();
  const samples: { ms: number; cpuMs: number; ok: boolean }[] = [];
  const refusedCodes: Record<string, number> = {};
  let unexpected = 0;
  let alternatives = 0;
  const wallStart = nowMs();
  for (const p of measured) {
    const { ms, cpuMs, out } = await decideOne(p);
    samples.push({ ms, cpuMs, ok: out.ok });
    if (out.ok !== p.expectOk) unexpected++;
    if (!out.ok) {
      alternatives += out.alternatives.length;
      const codes = [...new Set(out.violations.map((v) => v.code))].join(",");
      refusedCodes[codes] = (refusedCodes[codes] ?? 0) + 1;
    }
  }
  const wallMs = nowMs() - wallStart;
  flushReverts();
  if (sqlStats) {
    console.log(`[${label}] SQL per decision (µs, mean over ${samples.length}):`);
    const rows = [...sqlStats.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, 25);
    for (const [text, st] of rows) {
      const line = `${(st.us / samples.length).toFixed(1).padStart(7)} µs  ${(st.n / samples.length).toFixed(2)}×  mean ${(st.us / st.n).toFixed(1)} p50 ${median(st.samples).toFixed(1)} p99 ${percentile(st.samples, 99).toFixed(0)} µs`;
      console.log(`  ${line}  ${text.replace(/\s+/g, " ").slice(0, 110)}`);
    }
    sqlStats.clear();
  }
  if (process.env.BENCH_DEBUG) {
    const slow = samples.map((s, i) => ({ ...s, i })).filter((s) => s.ms > 3);
    console.log(`[${label}] slow: ${slow.length}; ${slow.slice(0, 60).map((s) => `${s.i}:${s.ms.toFixed(1)}${s.ok ? "" : "r"}`).join(" ")}`);
  }
  const all = samples.map((s) => s.ms);
  const acc = samples.filter((s) => s.ok).map((s) => s.ms);
  const ref = samples.filter((s) => !s.ok).map((s) => s.ms);
  const decisions = {
    count: samples.length,
    accepted: acc.length,
    refused: ref.length,
    expectedRefused: measured.filter((p) => !p.expectOk).length,
    unexpected,
    refusedCodes,
    meanAlternatives: ref.length ? alternatives / ref.length : 0,
    totalMs: sum(all),
    perSecond: (samples.length / sum(all)) * 1000,
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    acceptedP50Ms: percentile(acc, 50),
    acceptedP99Ms: percentile(acc, 99),
    refusedP50Ms: percentile(ref, 50),
    refusedP99Ms: percentile(ref, 99),
    wallPerSecond: (samples.length / wallMs) * 1000,
    cpuPerSecond: (samples.length / sum(samples.map((x) => x.cpuMs))) * 1000,
  };
  console.log(`[${label}] ${samples.length} decisions: ${acc.length} accepted, ${ref.length} refused (${unexpected} not as planned)`);

  if (decisionsOnly) {
    // For profiling the decisions alone (--decisions-only): the other parts are skipped.
    const none = Number.NaN;
    const skipped: WorkerResult = {
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      dataset,
      decisions,
      decide: { inputs: 0, perSecond: none, meanUs: none, alternativesMeanUs: none },
      loaders: {},
      availability: { machines: 0, days: 14, runs: 0, medianMs: none, p90Ms: none, minMs: none, busy: 0 },
    };
    await openedDb().close();
    writeWorkerResult(resultFile, skipped);
    return;
  }

  // --- The pure engine: decide() on inputs loaded by the service's own loader ---------------
  // Each load is also timed piece by piece with the model functions it is made of.
  const loaders: Record<string, number[]> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = nowMs();
    const value = await fn();
    const list = loaders[name] ?? [];
    list.push((nowMs() - t0) * 1000);
    loaders[name] = list;
    return value;
  };
  const SEARCH_DAYS = 14;
  type Input = import("../app/scheduling").DecisionInput;
  type State = import("../app/scheduling").MachineState;
  const inputs: { input: Input; others: State[] }[] = [];
  for (const p of measured.slice(0, 600)) {
    const m = p.machine;
    const ctx = { user: p.principal, now: NOW };
    const req = { machineId: m.id, start: p.start, end: p.end, purpose: "Bench", assisted: p.assisted, ikmId: p.ikmId, source: "web" as const };
    const { input } = await timed("loadDecisionInput (all)", () => loadDecisionInput(database, ctx, m, p.ikmId, req));
    const fac = await timed("facility", () => models.loadFacility(database));
    await timed("calendar (closure days)", () => models.loadCalendar(database, fac));
    const win = { start: p.start - SEARCH_DAYS * DAY, end: p.end + SEARCH_DAYS * DAY };
    await timed("machine state", () => models.loadMachineStates(database, [m], fac, win, p.start, undefined, NOW));
    await timed("IKM holdings of the type", () => models.loadIkmTypeHoldings(database, p.ikmId, m.type_id, { start: win.start - 7 * DAY, end: win.end + 7 * DAY }));
    await timed("IKM active bookings", () => models.countActiveBookings(database, p.ikmId, NOW));
    await timed("IKM qualified", () => models.ikmQualified(database, p.ikmId, m.type_id, p.start));
    await timed("assisted bookings (all machines)", () => models.loadAssistedBookings(database, win));
    let others: State[] = [];
    if (!engine.decide(input).ok) {
      const same = machines.filter((x) => x.type_id === m.type_id && x.id !== m.id);
      others = await timed("other machines of the type", () =>
        models.loadMachineStates(database, same, fac, { start: p.start - DAY, end: p.end + DAY }, p.start, undefined, NOW),
      );
    }
    inputs.push({ input, others });
  }
  let n = 0;
  const decideStart = nowMs();
  while (nowMs() - decideStart < 1500) {
    for (const x of inputs) engine.decide(x.input);
    n += inputs.length;
  }
  const decideMs = nowMs() - decideStart;
  const refusedInputs = inputs.filter((x) => !engine.decide(x.input).ok);
  let altRuns = 0;
  const altStart = nowMs();
  while (refusedInputs.length > 0 && nowMs() - altStart < 1000) {
    for (const x of refusedInputs) engine.findAlternatives(x.input, x.others, { searchDays: SEARCH_DAYS });
    altRuns += refusedInputs.length;
  }
  const altMs = nowMs() - altStart;
  const decide = {
    inputs: inputs.length,
    perSecond: (n / decideMs) * 1000,
    meanUs: (decideMs / n) * 1000,
    alternativesMeanUs: altRuns ? (altMs / altRuns) * 1000 : 0,
  };

  // --- Availability of every machine over 14 days ------------------------------------------
  const everyMachine = await database.selectFrom("machines").selectAll().where("status", "!=", "retired").orderBy("id").execute();
  const range = { start: NOW, end: NOW + 14 * DAY };
  let busy = 0;
  const runs = await timeRuns(40, 8, async () => {
    const result = await availability(everyMachine, range);
    busy = result.reduce((k, r) => k + r.busy.length, 0);
  });
  const result: WorkerResult = {
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    dataset,
    decisions,
    decide,
    loaders: Object.fromEntries(Object.entries(loaders).map(([k, v]) => [k, median(v)])),
    availability: {
      machines: everyMachine.length,
      days: 14,
      runs: runs.length,
      medianMs: median(runs),
      p90Ms: percentile(runs, 90),
      minMs: Math.min(...runs),
      busy,
    },
  };
  await openedDb().close();
  writeWorkerResult(resultFile, result);
}

/**
 * Diagnostics (BENCH_SQL_STATS=1): times every run of every statement prepared on the handle,
 * by SQL text, to see which queries a decision spends its time in.
 */
function instrumentStatements(sqlite: import("better-sqlite3").Database): Map<string, { n: number; us: number; samples: number[] }> {
  const stats = new Map<string, { n: number; us: number; samples: number[] }>();
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = (text: string) => {
    const stmt = prepare(text);
    for (const method of ["all", "run", "get"] as const) {
      const original = (stmt[method] as (...args: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const t0 = nowMs();
        try {
          return original(...args);
        } finally {
          const st = stats.get(text) ?? { n: 0, us: 0, samples: [] };
          const us = (nowMs() - t0) * 1000;
          st.n++;
          st.us += us;
          st.samples.push(us);
          stats.set(text, st);
        }
      };
    }
    return stmt;
  };
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Parent: prepare the data sets, run a worker on each, print and save

async function seedDemoDatabase(file: string): Promise<void> {
  const { openDatabase, sqliteHandle } = await import("../db/connection");
  const { migrateToLatest } = await import("../db/migrate");
  const { ensureFacility } = await import("../db/facility-defaults");
  const { seedDemo } = await import("../db/seed/demo");
  const opened = openDatabase(file);
  await migrateToLatest(opened.db);
  await ensureFacility(opened.db, NOW);
  await seedDemo(opened.db, { now: NOW, password: BENCH_PASSWORD });
  sqliteHandle(opened).pragma("wal_checkpoint(TRUNCATE)");
  await opened.close();
}

function figuresOf(r: WorkerResult): Figure[] {
  const d = r.decisions;
  return [
    figure(`booking decisions in-process (${d.refused} of ${d.count} refused)`, d.perSecond, "/s", { kind: "min", value: TARGET_DECISIONS_PER_S }),
    figure("  the same per second of the process's own CPU time", d.cpuPerSecond, "/s"),
    figure("one decision incl. transaction, p50", d.p50Ms, "ms"),
    figure("one decision incl. transaction, p99", d.p99Ms, "ms"),
    figure("  accepted p50 / p99", d.acceptedP50Ms, `ms / ${d.acceptedP99Ms.toFixed(2)} ms`),
    figure("  refused with alternatives p50 / p99", d.refusedP50Ms, `ms / ${d.refusedP99Ms.toFixed(2)} ms`),
    figure("pure decide() in-process (no database)", r.decide.perSecond, "/s"),
    figure("pure findAlternatives() per refusal", r.decide.alternativesMeanUs, "µs"),
    figure(`availability, ${r.availability.machines} machines × 14 days (median)`, r.availability.medianMs, "ms", { kind: "max", value: TARGET_AVAILABILITY_MS }),
  ];
}

async function main() {
  const resultFile = flag("result");
  if (hasFlag("worker")) {
    await worker(flag("db") as string, flag("label", "data"), numberFlag("requests", 3000), resultFile as string, hasFlag("decisions-only"));
    return;
  }
  const large = path.resolve(flag("db", DEFAULT_LARGE_DB));
  const requests = numberFlag("requests", 3000);
  const profile = hasFlag("profile");
  const extra = hasFlag("decisions-only") ? ["--decisions-only"] : [];
  const profileDir = path.resolve("bench/results/profiles");
  if (profile) fs.mkdirSync(profileDir, { recursive: true });
  if (!fs.existsSync(large)) {
    console.error(`No data set at ${large}: run npm run bench:data first.`);
    process.exit(1);
  }
  const nodeArgs = (label: string) => (profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=engine-${label}.cpuprofile`] : []);
  const results: WorkerResult[] = [];

  const demo = tempDatabasePath("bench-demo", "demo.db");
  try {
    const t0 = nowMs();
    await seedDemoDatabase(demo.file);
    console.log(`Seeded the demo data at ${BENCH_NOW_ISO} in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
    results.push(await runWorker<WorkerResult>(SCRIPT, ["--worker", "--db", demo.file, "--label", "demo", "--requests", String(requests), ...extra], { nodeArgs: nodeArgs("demo") }));
  } finally {
    demo.remove();
  }

  const copy = await tempCopy(large, "bench-large");
  try {
    results.push(await runWorker<WorkerResult>(SCRIPT, ["--worker", "--db", copy.file, "--label", "large", "--requests", String(requests), ...extra], { nodeArgs: nodeArgs("large") }));
  } finally {
    copy.remove();
  }

  const info = machineInfo();
  console.log(`\nEngine benchmark, ${new Date().toISOString().slice(0, 10)}: ${info.cores} cores (${info.cpu}), Node ${info.node}`);
  const out: Record<string, unknown> = { date: new Date().toISOString(), machine: info, now: BENCH_NOW_ISO, requests, datasets: {} };
  for (const r of results) {
    const d = r.dataset;
    printFigures(
      `${d.label}: ${d.machines} machines (requests to the ${d.decisionMachines} first-come ones), ${d.ikms} IKMs, ${d.bookings.toLocaleString("en-US")} bookings (${d.futureHolding} ahead); load average ${r.loadAverage.join(" ")}`,
      figuresOf(r),
    );
    console.log(`  refusals: ${Object.entries(r.decisions.refusedCodes).map(([c, k]) => `${c} ${k}`).join(", ")}; ${r.decisions.meanAlternatives.toFixed(1)} alternatives each; ${r.decisions.unexpected} outcomes not as planned`);
    console.log(`  loads (median µs): ${Object.entries(r.loaders).map(([k, v]) => `${k} ${v.toFixed(0)}`).join("; ")}`);
    (out.datasets as Record<string, unknown>)[d.label] = { ...r, figures: figuresOf(r) };
  }
  console.log(`\nSaved ${path.relative(process.cwd(), writeResults("engine", out))}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
