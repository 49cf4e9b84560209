/**
 * npm run db:seed   — migrate the database at DATABASE_URL and seed the demo data when it has
 *                     no users yet.
 * npm run db:reset  — (--reset) delete the SQLite file first (on PostgreSQL: drop every table of
 *                     the database's schema), then migrate and seed.
 * Both refuse to run when NODE_ENV=production. The demo password is DEMO_PASSWORD or
 * "giliran-demo".
 */
import fs from "node:fs";
import { sql } from "kysely";
import { type Db, openDatabase, parseDatabaseUrl } from "../connection";
import { migrateToLatest } from "../migrate";
import { DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, type SeedSummary, seedDemo } from "./demo";

const USAGE = "usage: tsx db/seed/cli.ts [--reset]";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The SQLite file and its WAL companions. */
function removeDatabaseFiles(file: string): void {
  if (file === ":memory:") return;
  for (const path of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(path, { force: true });
  console.log(`Deleted ${file}`);
}

/** PostgreSQL: drop every table of the database's schema (the app's and the migrations' own). */
async function dropAllTables(db: Db, label: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  for (const { name } of rows) await sql`drop table if exists ${sql.table(name)} cascade`.execute(db);
  console.log(`Dropped ${rows.length} tables of postgres://${label}`);
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

const location = parseDatabaseUrl(url);
if (args.includes("--reset") && location.kind === "sqlite") removeDatabaseFiles(location.file);
const { db, close } = openDatabase(url);
try {
  if (args.includes("--reset") && location.kind === "postgres") await dropAllTables(db, location.label);
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
