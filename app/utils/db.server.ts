/**
 * The app's database handle: opened once per process from DATABASE_URL (a SQLite file, or a
 * postgres:// url: docs/decisions/0005-postgresql.md), migrated on start, seeded with the demo
 * on an empty database outside production.
 */
import { ensureFacility } from "#db/facility-defaults";
import { type Checkpointer, startCheckpointer } from "#db/checkpointer";
import { type Db, type OpenedDb, openDatabase } from "#db/connection";
import { migrateToLatest } from "#db/migrate";
import { forgetReferenceData } from "~/models/reference.server";
import { now } from "./clock.server";
import { getEnv } from "./env.server";

let opened: OpenedDb | null = null;
let ready: Promise<OpenedDb> | null = null;
let checkpointer: Checkpointer | null = null;

export function openedDb(): OpenedDb {
  if (!opened) {
    forgetReferenceData();
    opened = openDatabase(getEnv().DATABASE_URL);
  }
  return opened;
}

export function db(): Db {
  return openedDb().db;
}

/** Migrate, make sure the facility exists and seed the demo when the database is empty. */
export function initDatabase(): Promise<OpenedDb> {
  ready ??= (async () => {
    const env = getEnv();
    const o = openedDb();
    await migrateToLatest(o.db);
    await ensureFacility(o.db, now());
    // SQLite: the WAL checkpoint runs beside the requests, not inside one of their commits.
    if (o.location.kind === "sqlite" && o.location.file !== ":memory:") checkpointer ??= startCheckpointer(o.location.file);
    if (env.NODE_ENV !== "production" && env.SEED_DEMO === "1") {
      const anyUser = await o.db.selectFrom("users").select("id").limit(1).executeTakeFirst();
      if (!anyUser) {
        const { seedDemo } = await import("#db/seed/demo");
        // The app clock: a demo seeded under a fixed GILIRAN_NOW (tests) matches what the app sees.
        await seedDemo(o.db, { now: now(), password: env.DEMO_PASSWORD });
        console.log("Seeded the demo data (logins: see README).");
      }
    }
    return o;
  })();
  return ready;
}

export async function closeDatabase(): Promise<void> {
  if (checkpointer) {
    const c = checkpointer;
    checkpointer = null;
    await c.stop();
  }
  if (opened) {
    const o = opened;
    opened = null;
    ready = null;
    forgetReferenceData();
    await o.close();
  }
}
