/**
 * The ceiling a booking decision is measured against (issue 30, step 1): the bare decision
 * (bench/lib/bare-decision.ts) on a fresh copy of the large data set,
 * - over HTTP: a bare node:http server in a child process, the same client load as bench:load's
 *   decision phase (the same request mix, 32 connections, the same duration);
 * - in-process: the same request sequence decided in a tight loop;
 * and Giliran the same two ways: the built server (bench:load's decision phase) and
 * requestBooking() in a child process (bench/lib/giliran-inprocess.ts) on the same sequence.
 * Prints each rate with p50/p99 and checks that no two slot-holding bookings overlap afterwards.
 *
 *   npx tsx bench/ceiling.ts [--db bench/data/large.db] [--seconds 20] [--clients 32]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { Rng } from "../db/seed/random";
import { flag, numberFlag } from "./lib/args";
import { bareDecider } from "./lib/bare-decision";
import { BENCH_NOW, DEFAULT_LARGE_DB } from "./lib/dataset";
import { tempCopy } from "./lib/db";
import { type Run, giliranSend, load, overlapsIn, population } from "./lib/decision-load";
import { bookingRequest } from "./lib/requests";
import type { InProcessResult } from "./lib/giliran-inprocess";
import { startServer } from "./lib/server";
import { percentile } from "./lib/stats";
import { runWorker } from "./lib/worker";

const SECONDS = numberFlag("seconds", 20);
const CLIENTS = numberFlag("clients", 32);
const PORT = numberFlag("port", 3412);
const source = flag("db", DEFAULT_LARGE_DB);
if (!fs.existsSync(source)) {
  console.error(`No data set at ${source}: run npm run bench:data first.`);
  process.exit(1);
}

/** The ceiling over HTTP: the bare server in a child process. */
async function overHttp(): Promise<Run> {
  const copy = await tempCopy(source, "ceiling-http");
  const { machines, ikms, staff } = population(copy.file);
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/lib/ceiling-server.ts", copy.file, String(PORT), String(BENCH_NOW), String(staff)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d) => /listening/.test(String(d)) && resolve());
    child.once("exit", (code) => reject(new Error(`ceiling server exited (${code})`)));
  });
  const run = await load((r) => fetch(`http://127.0.0.1:${PORT}/bookings`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(r) }), machines, ikms, SECONDS, CLIENTS, child.pid);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  const overlaps = overlapsIn(copy.file);
  copy.remove();
  return { ...run, overlaps };
}

/** Giliran over HTTP: the built server (server.js), bench:load's decision phase. */
async function giliranOverHttp(): Promise<Run> {
  const copy = await tempCopy(source, "ceiling-giliran");
  const { machines, ikms } = population(copy.file);
  const server = await startServer(copy.file, PORT + 1);
  const run = await load(giliranSend(server, await server.login("teknisi@giliran.test")), machines, ikms, SECONDS, CLIENTS, server.child.pid);
  await server.stop();
  const overlaps = overlapsIn(copy.file);
  copy.remove();
  return { ...run, overlaps };
}

/**
 * The ceiling in-process: the same request sequence (same seed) as many times as the HTTP run
 * made, decided one after another — the same mix of accepted and refused as over HTTP (a longer
 * loop would fill the free year and refuse ever more). The rate is requests ÷ their summed time.
 */
async function inProcess(requests: number): Promise<Run> {
  const copy = await tempCopy(source, "ceiling-inprocess");
  const { machines, ikms, staff } = population(copy.file);
  const decider = bareDecider(copy.file, BENCH_NOW, staff);
  const rng = new Rng(42);
  const rand = () => rng.next();
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let busy = 0;
  for (let i = 0; i < requests; i++) {
    const r = bookingRequest(rand, machines, ikms);
    const t = performance.now();
    const ok = decider.decide(r);
    const took = performance.now() - t;
    busy += took;
    latencies.push(took);
    if (ok) accepted++;
    else refused++;
  }
  decider.close();
  const overlaps = overlapsIn(copy.file);
  copy.remove();
  return { rate: latencies.length / (busy / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), accepted, refused, overlaps };
}

/** Giliran in-process: the same sequence through requestBooking() in a child process. */
async function giliranInProcess(requests: number): Promise<Run> {
  const copy = await tempCopy(source, "ceiling-giliran-inprocess");
  try {
    const r = await runWorker<InProcessResult>("bench/lib/giliran-inprocess.ts", ["--db", copy.file, "--requests", String(requests)]);
    console.log(`  (Giliran in-process refusals: ${Object.entries(r.refusedCodes).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(", ")})`);
    return { rate: r.rate, p50: r.p50, p99: r.p99, accepted: r.accepted, refused: r.refused, overlaps: overlapsIn(copy.file) };
  } finally {
    copy.remove();
  }
}

/** Over HTTP: CPU per request of the server (its process tree) and of the load client, on 2 cores. */
const cpu = (r: Run) =>
  r.clientCpuUs === undefined ? "" : `\n${"".padEnd(24)} CPU per request: server ${r.serverCpuUs?.toFixed(0) ?? "n/a"} µs, load client ${r.clientCpuUs.toFixed(0)} µs`;
const line = (name: string, r: Run) =>
  `${name.padEnd(24)} ${r.rate.toFixed(0).padStart(7)} decisions/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.accepted} accepted, ${r.refused} refused, overlaps ${r.overlaps})${cpu(r)}`;
const http = await overHttp();
console.log(line("ceiling over HTTP", http));
const giliran = fs.existsSync("build/server/index.js") ? await giliranOverHttp() : null;
if (giliran) console.log(line("Giliran over HTTP", giliran));
else console.log("Giliran over HTTP: no build (npm run build first)");
const local = await inProcess(http.accepted + http.refused);
console.log(line("ceiling in-process", local));
const giliranLocal = await giliranInProcess(http.accepted + http.refused);
console.log(line("Giliran in-process", giliranLocal));
const ratio = (a: Run | null, b: Run) => (a ? (a.rate / b.rate).toFixed(2) : "n/a");
console.log(`ceiling-ratio http=${ratio(giliran, http)} inprocess=${ratio(giliranLocal, local)}`);
if (http.overlaps || local.overlaps || giliran?.overlaps || giliranLocal.overlaps) {
  console.error("Overlapping bookings after the run.");
  process.exit(1);
}
