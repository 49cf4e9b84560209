/**
 * npm run db:summary             — migrate the database at DATABASE_URL and build the reports'
 *                                  per-day summary for every day that lacks it.
 * npm run db:summary -- --check  — recompute every summarised day from the raw records and name
 *                                  each day whose summary differs (exit 1), or say it matches.
 * The clock is the app's (GILIRAN_NOW outside production).
 */
import { checkSummary, refreshSummary } from "../app/services/reports/summary.server";
import { now } from "../app/utils/clock.server";
import { openDatabase } from "./connection";
import { migrateToLatest } from "./migrate";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--check");
if (unknown.length) {
  console.error(`Unknown argument: ${unknown.join(" ")}\nusage: npm run db:summary [-- --check]`);
  process.exit(2);
}
const url = process.env.DATABASE_URL ?? "./data/giliran.db";
const { db, close } = openDatabase(url);
let code = 0;
try {
  await migrateToLatest(db);
  const t = performance.now();
  if (args.includes("--check")) {
    const { checked, differing } = await checkSummary(db, now());
    if (differing.length) {
      console.error(`The summary differs from the raw records on ${differing.length} of ${checked} days: ${differing.join(", ")}`);
      code = 1;
    } else console.log(`The summary matches the raw records on all ${checked} summarised days (${((performance.now() - t) / 1000).toFixed(1)} s).`);
  } else {
    const built = await refreshSummary(db, now());
    console.log(`Summarised ${built} day(s) in ${((performance.now() - t) / 1000).toFixed(1)} s.`);
  }
} catch (error) {
  console.error(`db:summary failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await close();
}
process.exit(code);
