/**
 * The manager's report benchmark (issue 32: the one-year report in any grouping ≤ 150 ms, its
 * CSV ≤ 300 ms; DESIGN.md "Targets": the report ≤ 250 ms, any CSV export ≤ 1 s):
 *
 *   npx tsx bench/reports.ts [--db bench/data/large.db] [--runs 7] [--warmup 2]
 *
 * On a private copy of the data set (made with SQLite's online backup; the data set itself is
 * never opened for writing), through the same service the page, the CSV route and the JSON API
 * call: for the year before the data set's "now" (1 December 2025 – 30 November 2026) and each
 * grouping (machine, type, IKM), the median time of
 *
 * - the report: its cells read from the per-day summary (built first, as the server's job loop
 *   leaves it; the time to build it is printed) and assembled into all metrics, the bucket
 *   table, the charts and the service figures — what GET /api/v1/reports/utilization does
 *   before it serializes its JSON;
 * - its CSV export: the same plus the summary table as CSV (the /laporan/csv and &format=csv
 *   work), and the longest file the page offers, every week × row (bucket=week, table=buckets);
 *
 * and, for the machine grouping, the same report without the summary: loading every raw record
 * of the year and computing from them (what a report does for days the summary does not hold).
 *
 * Each figure is the median wall-clock time; beside it, the median CPU time of this process for
 * the same runs (user + system), which says what the work costs when other processes share the
 * cores (on an idle machine wall ≈ CPU for this single-threaded work).
 * Results: printed beside their targets and written to bench/results/reports.json.
 */
import fs from "node:fs";
import os from "node:os";
import { openDatabase } from "../db/connection";
import { migrateToLatest } from "../db/migrate";
import { reportCsv } from "../app/reports/csv";
import { computeReport } from "../app/reports/metrics";
import { periodOf } from "../app/reports/period";
import { buildReport, reportJson } from "../app/services/reports/load.server";
import { loadReportData, reportCalendar } from "../app/services/reports/raw.server";
import { refreshSummary } from "../app/services/reports/summary.server";
import { flag, numberFlag } from "./lib/args";
import { BENCH_NOW, DEFAULT_LARGE_DB } from "./lib/dataset";
import { tempCopy } from "./lib/db";
import { type Figure, figure, machineInfo, printFigures, writeResults } from "./lib/report";
import { median, nowMs } from "./lib/stats";

interface Samples {
  wall: number[];
  cpu: number[];
}

/** Times `fn` `runs` times after `warmup` untimed runs: wall-clock and process CPU milliseconds. */
async function timeBoth(runs: number, warmup: number, fn: () => unknown | Promise<unknown>): Promise<Samples> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: Samples = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = nowMs();
    await fn();
    out.wall.push(nowMs() - t0);
    const c = process.cpuUsage(c0);
    out.cpu.push((c.user + c.system) / 1000);
  }
  return out;
}

const cpuNote = (s: Samples) => `(CPU ${Math.round(median(s.cpu))} ms)`;

const GROUPINGS = ["machine", "type", "ikm"] as const;
const FROM = "2025-12-01";
const TO = "2026-11-30";

async function main() {
  const source = flag("db", DEFAULT_LARGE_DB);
  const runs = numberFlag("runs", 7);
  const warmup = numberFlag("warmup", 2);
  if (!fs.existsSync(source)) {
    console.error(`No data set at ${source}. Create it first: npx tsx bench/generate.ts`);
    process.exit(1);
  }
  const copy = await tempCopy(source, "reports");
  const opened = openDatabase(copy.file);
  const db = opened.db;
  try {
    await migrateToLatest(db); // a data set generated before the latest migrations
    const counts = await Promise.all(
      (["bookings", "usage_records", "booking_attempts", "waitlist_entries", "machines", "ikms"] as const).map(async (table) => {
        const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
        return `${table} ${Number(row.n).toLocaleString("en-US")}`;
      }),
    );
    console.log(`Data set: ${source} (${counts.join(", ")})`);
    console.log(`Period: ${FROM} – ${TO}, now ${new Date(BENCH_NOW).toISOString()}, median of ${runs} runs after ${warmup} warm-up runs`);

    const figures: Figure[] = [];
    const details: Record<string, unknown> = {};
    // The per-day summary as the job loop (or npm run db:summary) leaves it.
    const summaryStarted = nowMs();
    const summarised = await refreshSummary(db, BENCH_NOW);
    figures.push(figure(`building the per-day summary (${summarised} days)`, nowMs() - summaryStarted, "ms"));
    for (const groupBy of GROUPINGS) {
      const params = { from: FROM, to: TO, groupBy, bucket: "none" as const };
      let rows = 0;
      const reportTimes = await timeBoth(runs, warmup, async () => {
        const { report } = await buildReport(db, params, BENCH_NOW);
        rows = reportJson(report, "id").rows.length;
      });
      let bytes = 0;
      const csvTimes = await timeBoth(runs, warmup, async () => {
        const { report } = await buildReport(db, params, BENCH_NOW);
        bytes = reportCsv(report, "summary", "id").body.length;
      });
      let weekBytes = 0;
      const weekCsvTimes = await timeBoth(runs, warmup, async () => {
        const { report } = await buildReport(db, { ...params, bucket: "week" }, BENCH_NOW);
        weekBytes = reportCsv(report, "buckets", "id").body.length;
      });
      figures.push(figure(`one-year report per ${groupBy} (${rows} rows) ${cpuNote(reportTimes)}`, median(reportTimes.wall), "ms", { kind: "max", value: 150 }));
      figures.push(figure(`  its CSV export (${(bytes / 1024).toFixed(1)} KB) ${cpuNote(csvTimes)}`, median(csvTimes.wall), "ms", { kind: "max", value: 300 }));
      figures.push(
        figure(`  weekly CSV, every week × row (${(weekBytes / 1024).toFixed(0)} KB) ${cpuNote(weekCsvTimes)}`, median(weekCsvTimes.wall), "ms", { kind: "max", value: 1000 }),
      );
      details[groupBy] = { reportMs: reportTimes, csvMs: csvTimes, weeklyCsvMs: weekCsvTimes, rows, csvBytes: bytes, weeklyCsvBytes: weekBytes };
    }

    // The same report without the summary: every raw record of the year, per machine.
    const { calendar } = await reportCalendar(db);
    const period = periodOf(FROM, TO, calendar.timeZone);
    let data = await loadReportData(db, calendar, period, BENCH_NOW);
    const loadTimes = await timeBoth(runs, warmup, async () => {
      data = await loadReportData(db, calendar, period, BENCH_NOW);
    });
    const computeTimes = await timeBoth(runs, warmup, () => computeReport(data, { period, groupBy: "machine", bucket: "none" }));
    const loaded = `${data.bookings.length.toLocaleString("en-US")} bookings, ${data.usage.length.toLocaleString("en-US")} usage, ${data.attempts.length.toLocaleString("en-US")} refusals`;
    figures.push(figure(`without the summary: loading the raw records (${loaded}) ${cpuNote(loadTimes)}`, median(loadTimes.wall), "ms"));
    figures.push(figure(`  and computing from them (machine) ${cpuNote(computeTimes)}`, median(computeTimes.wall), "ms"));

    const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
    printFigures(`Manager reports (in-process, through app/services/reports/load.server.ts; load average ${load} on ${os.cpus().length} cores)`, figures);
    const file = writeResults("reports", { source, period: { from: FROM, to: TO }, now: BENCH_NOW, machine: machineInfo(), loadAverage: os.loadavg(), figures, details, load: loadTimes, compute: computeTimes });
    console.log(`\nSaved ${file}`);
  } finally {
    await opened.close();
    copy.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
