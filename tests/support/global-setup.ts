/**
 * Once per integration run: a migrated template database with the demo seed at the fixed test
 * clock. Each test file copies it to its own file (tests/support/setup-integration.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../../db/connection";
import { ensureFacility } from "../../db/facility-defaults";
import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_PASSWORD, TEST_NOW } from "./constants";

export default async function setup() {
  // One template per run (parallel runs must not share it); workers inherit the variable.
  const TEMPLATE = path.resolve(`tmp/test-template-${process.pid}.db`);
  process.env.GILIRAN_TEMPLATE = TEMPLATE;
  fs.mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(TEMPLATE + suffix, { force: true });
  const { db, sqlite, close } = openDatabase(TEMPLATE);
  await migrateToLatest(db);
  await ensureFacility(db, TEST_NOW);
  await seedDemo(db, { now: TEST_NOW, password: DEMO_PASSWORD });
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  await close();
  return () => {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(TEMPLATE + suffix, { force: true });
  };
}
