/**
 * Where the time of one booking decision goes (issue 30, step 1), on copies of the large data set:
 *
 * 1. in-process, instrumented: requestBooking() on the ceiling's request sequence
 *    (bench/lib/giliran-inprocess.ts --instrument) — SQL statements and promises per decision,
 *    µs inside SQLite per statement, COMMIT times (a COMMIT over 20× the median ran a WAL
 *    checkpoint; its excess over the median is the checkpoint's cost);
 * 2. in-process, profiled (not instrumented): a V8 CPU profile of the same run, each sample given
 *    to SQLite, Kysely, the engine or the service's own JavaScript;
 * 3. over HTTP, profiled: the built server under bench:load's decision load with --cpu-prof, each
 *    sample given to SQLite, Kysely, the engine, the bearer-token lookup, body parsing and
 *    validation, the JSON views, the service, the Remix pipeline, Node's HTTP, or idle.
 *
 *   npx tsx bench/breakdown.ts [--db bench/data/large.db] [--requests 3000] [--seconds 10] [--clients 32]
 *
 * Prints the tables of bench/README.md ("Where a decision's time goes") and writes
 * bench/results/breakdown.json; the profiles stay in bench/results/profiles/ (open them in
 * Chrome's DevTools or speedscope).
 */
import fs from "node:fs";
import path from "node:path";
import { flag, numberFlag } from "./lib/args";
import { type Category, type Frame, hrtimeUs, inFile, leaf, named, profileByCategory, within } from "./lib/cpu-profile";
import { DEFAULT_LARGE_DB } from "./lib/dataset";
import { tempCopy } from "./lib/db";
import { giliranSend, load, population } from "./lib/decision-load";
import type { InProcessResult } from "./lib/giliran-inprocess";
import { writeResults } from "./lib/report";
import { startServer } from "./lib/server";
import { runWorker } from "./lib/worker";

const source = flag("db", DEFAULT_LARGE_DB);
const REQUESTS = numberFlag("requests", 3000);
const SECONDS = numberFlag("seconds", 10);
const CLIENTS = numberFlag("clients", 32);
const PORT = numberFlag("port", 3415);
const profiles = path.resolve("bench/results/profiles");
fs.mkdirSync(profiles, { recursive: true });
if (!fs.existsSync(source)) {
  console.error(`No data set at ${source}: run npm run bench:data first.`);
  process.exit(1);
}

const engineNames = Object.entries(await import("../app/scheduling"))
  .filter(([, v]) => typeof v === "function")
  .map(([k]) => k);

/** The nearest JavaScript frame (native calls such as a statement's run() show as their caller). */
const nearestJs = (test: (f: Frame) => boolean) => (stack: readonly Frame[]) => {
  const js = stack.find((f) => f.url !== "");
  return !!js && test(js);
};
const gc: Category = { name: "garbage collector", match: leaf(named("(garbage collector)")) };
const sqlite: Category = {
  name: "SQLite (statements run and prepared)",
  match: nearestJs(
    (f) =>
      (f.functionName === "executeQuery" && f.url.includes("sqlite-driver")) ||
      f.url.includes("better-sqlite3") ||
      (f.functionName === "prepare" && /db\/connection|build\/server/.test(f.url)) ||
      // The compiled-once statements of the decision's fast path (app/models/query.server.ts).
      f.url.includes("app/models/query.server") ||
      (["all", "get", "run"].includes(f.functionName) && f.url.includes("build/server")),
  ),
};
const kysely: Category = { name: "Kysely (building, compiling, driver)", match: nearestJs(inFile("node_modules/kysely")) };

async function instrumented(): Promise<InProcessResult> {
  const copy = await tempCopy(source, "breakdown-count");
  try {
    return await runWorker<InProcessResult>("bench/lib/giliran-inprocess.ts", ["--db", copy.file, "--requests", String(REQUESTS), "--instrument"]);
  } finally {
    copy.remove();
  }
}

async function profiledInProcess() {
  const copy = await tempCopy(source, "breakdown-profile");
  const name = "breakdown-inprocess.cpuprofile";
  try {
    const r = await runWorker<InProcessResult>("bench/lib/giliran-inprocess.ts", ["--db", copy.file, "--requests", String(REQUESTS)], {
      nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=${name}`],
    });
    const ms = profileByCategory(
      path.join(profiles, name),
      [
        gc,
        sqlite,
        kysely,
        { name: "engine (app/scheduling, @date-fns/tz)", match: within(inFile("app/scheduling/", "date-fns")) },
        { name: "the benchmark's loop (drawing requests)", match: within(inFile("bench/")) },
        { name: "service JavaScript (services, models, db, promises)", match: within(inFile("/app/", "/db/", "node:internal/process/task_queues")) },
        { name: "idle", match: leaf(named("(idle)")) },
        { name: "V8 (program)", match: leaf(named("(program)")) },
      ],
      r.window,
    );
    return { run: r, ms, decisions: r.accepted + r.refused };
  } finally {
    copy.remove();
  }
}

async function profiledHttp() {
  const copy = await tempCopy(source, "breakdown-http");
  const name = "breakdown-server.cpuprofile";
  const file = path.join(profiles, name);
  fs.rmSync(file, { force: true });
  try {
    const { machines, ikms } = population(copy.file);
    const server = await startServer(copy.file, PORT, ["--cpu-prof", `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=${name}`]);
    const send = giliranSend(server, await server.login("teknisi@giliran.test"));
    const from = hrtimeUs();
    const run = await load(send, machines, ikms, SECONDS, CLIENTS);
    const to = hrtimeUs();
    await server.stop();
    const ms = profileByCategory(
      file,
      [
        gc,
        sqlite,
        kysely,
        { name: "engine (app/scheduling, @date-fns/tz)", match: within((f) => engineNames.includes(f.functionName) || f.url.includes("date-fns")) },
        { name: "bearer-token lookup (apiUser)", match: within(named("apiUser", "userForToken")) },
        { name: "body: read, JSON.parse, zod (readJson, parseWith)", match: within((f) => ["readJson", "parseWith"].includes(f.functionName) || f.url.includes("node_modules/zod")) },
        { name: "JSON views (bookingOutcomeResponse, apiBookingJson)", match: within(named("bookingOutcomeResponse", "apiBookingJson", "apiAlternativeJson")) },
        // Middleware calls the rest of the request inside itself: these take their own frames only.
        { name: "gzip of the responses (compression, zlib)", match: nearestJs(inFile("node:zlib", "node_modules/compression")) },
        { name: "Remix route matching (@remix-run/router)", match: nearestJs(inFile("@remix-run/router")) },
        { name: "Remix server runtime and node adapter", match: nearestJs(inFile("@remix-run/")) },
        { name: "Giliran's other code in the build (service, models, wrapper, server.js)", match: nearestJs(inFile("build/server/", "/server.js")) },
        { name: "Node HTTP, fetch Request/Headers, streams, Express, promises", match: nearestJs(inFile("node:", "express", "undici", "on-finished")) },
        { name: "idle", match: leaf(named("(idle)")) },
        { name: "V8 (program)", match: leaf(named("(program)")) },
      ],
      { from, to },
    );
    return { run, ms, requests: run.accepted + run.refused };
  } finally {
    copy.remove();
  }
}

const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(0);
const counts = await instrumented();
console.log(`\nIn-process, instrumented (${counts.accepted} accepted, ${counts.refused} refused; rate ${counts.rate.toFixed(0)}/s with the instrumentation):`);
console.log("| per decision | accepted | refused (with alternatives) |\n| --- | ---: | ---: |");
console.log(`| SQL statements | ${counts.statementsPerAccepted?.toFixed(1)} | ${counts.statementsPerRefused?.toFixed(1)} |`);
console.log(`| promises created (async_hooks) | ${counts.promisesPerAccepted?.toFixed(0)} | ${counts.promisesPerRefused?.toFixed(0)} |`);
console.log(`| µs inside SQLite (all statements) | ${counts.sqliteUsPerAccepted?.toFixed(0)} | ${counts.sqliteUsPerRefused?.toFixed(0)} |`);
console.log(`| wall time p50 (µs) | ${(counts.acceptedP50 * 1000).toFixed(0)} | ${(counts.refusedP50 * 1000).toFixed(0)} |`);
const c = counts.commit;
if (c && c.slow >= 0 && Number.isFinite(c.p50Us)) {
  const n = counts.accepted + counts.refused;
  console.log(`COMMIT: p50 ${c.p50Us.toFixed(0)} µs, mean ${c.meanUs.toFixed(0)} µs; ${c.slow} ran a WAL checkpoint, costing ${us(c.slowExcessUs / 1000, n)} µs per decision on average`);
}
console.log("\nStatements (by SQLite time per decision):\n| runs per accepted / refused | mean µs | p50 µs | SQL |\n| --- | ---: | ---: | --- |");
for (const s of (counts.statements ?? []).slice(0, 20)) {
  console.log(`| ${s.perAccepted.toFixed(2)} / ${s.perRefused.toFixed(2)} | ${s.meanUs.toFixed(1)} | ${s.p50Us.toFixed(1)} | \`${s.sql.slice(0, 120).replace(/\|/g, "\\|")}\` |`);
}

const local = await profiledInProcess();
console.log(`\nIn-process, CPU profile (${local.decisions} decisions, ${local.run.rate.toFixed(0)}/s, p50 ${local.run.p50.toFixed(2)} ms):\n| where | µs per decision |\n| --- | ---: |`);
for (const [k, v] of Object.entries(local.ms)) console.log(`| ${k} | ${us(v, local.decisions)} |`);

const http = await profiledHttp();
console.log(`\nOver HTTP, the server's CPU profile (${http.requests} requests in ${SECONDS} s, ${http.run.rate.toFixed(0)}/s, p50 ${http.run.p50.toFixed(1)} ms, p99 ${http.run.p99.toFixed(1)} ms):\n| where | µs per request |\n| --- | ---: |`);
for (const [k, v] of Object.entries(http.ms)) console.log(`| ${k} | ${us(v, http.requests)} |`);

const saved = writeResults("breakdown", { date: new Date().toISOString(), counts, inProcess: local, http });
console.log(`\nSaved ${path.relative(process.cwd(), saved)}; profiles in ${path.relative(process.cwd(), profiles)}/`);
