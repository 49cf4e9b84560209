/**
 * npm run db:seed   — migrate the database at DATABASE_URL and seed the demo data when it has
 *                     no users yet.
 * npm run db:reset  — (--reset) delete the SQLite file first, then migrate and seed.
 * Both refuse to run when NODE_ENV=production. The demo password is DEMO_PASSWORD or
 * "giliran-demo".
 */
import fs from "node:fs";
import { openDatabase, parseDatabaseUrl } from "../connection";
import { migrateToLatest } from "../migrate";
import { DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, type SeedSummary, seedDemo } from "./demo";

const USAGE = "usage: tsx db/seed/cli.ts [--reset]";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The SQLite file and its WAL companions. */
function removeDatabaseFiles(url: string): void {
  const { file } = parseDatabaseUrl(url);
  if (file === ":memory:") return;
  for (const path of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(path, { force: true });
  console.log(`Deleted ${file}`);
}

function printSummary(summary: SeedSummary, ms: number, password: string): void {
  const statuses = Object.entries(summary.bookingsByStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(", ");
  console.log(`Seeded the demo data in ${(ms / 1000).toFixed(1)} s:`);
  console.log(`  ${summary.machines} machines of ${summary.machineTypes} types, ${summary.tariffs} tariffs`);
  console.log(`  ${summary.ikms} IKMs, ${summary.users} users, ${summary.qualifications} qualifications`);
  console.log(`  ${summary.closureDays} closure days, ${summary.maintenanceWindows} maintenance windows`);
  console.log(`  ${summary.bookings} bookings (${summary.futureBookings} ahead; ${statuses})`);
  console.log(`  ${summary.usageRecords} usage records, fees Rp${summary.fees.toLocaleString("id-ID")}`);
  console.log(
    `  ${summary.bookingAttempts} refused requests, ${summary.waitlistEntries} waitlist entries, ${summary.notifications} notifications`,
  );
  console.log(`Demo logins (password "${password}"):`);
  for (const { login, who } of DEMO_LOGINS) console.log(`  ${login.padEnd(24)} ${who}`);
}

const args = process.argv.slice(2);
if (args.some((a) => a !== "--reset")) fail(USAGE);
if (process.env.NODE_ENV === "production") {
  fail("Refusing to seed demo data: NODE_ENV is production.");
}
const url = process.env.DATABASE_URL || "./data/giliran.db";
const password = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;

if (args.includes("--reset")) removeDatabaseFiles(url);
const { db, close } = openDatabase(url);
try {
  await migrateToLatest(db);
  const user = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (user) {
    console.log("Database already seeded (it has users); nothing to do. npm run db:reset starts over.");
  } else {
    const started = performance.now();
    const summary = await seedDemo(db, { now: Date.now(), password });
    printSummary(summary, performance.now() - started, password);
  }
} finally {
  await close();
}
