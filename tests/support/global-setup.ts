/**
 * Once per integration run: a migrated template database with the demo seed at the fixed test
 * clock. Each test file copies it (tests/support/setup-integration.ts): on SQLite a template
 * file; on PostgreSQL (TEST_PG_URL set, see tests/support/pg.ts) a template database.
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase, sqliteHandle } from "../../db/connection";
import { ensureFacility } from "../../db/facility-defaults";
import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_PASSWORD, TEST_NOW } from "./constants";
import { dropDatabase, pgAdmin, pgDatabaseUrl, safeDatabaseName, testPgUrl } from "./pg";

async function seed(url: string) {
  const opened = openDatabase(url);
  try {
    await migrateToLatest(opened.db);
    await ensureFacility(opened.db, TEST_NOW);
    await seedDemo(opened.db, { now: TEST_NOW, password: DEMO_PASSWORD });
    if (opened.sqlite) sqliteHandle(opened).pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    await opened.close();
  }
}

export default async function setup() {
  const server = testPgUrl();
  if (server) {
    // One template database per run (parallel runs must not share it); workers inherit the name.
    const template = safeDatabaseName(`giliran_template_${process.pid}`);
    process.env.GILIRAN_PG_TEMPLATE = template;
    await pgAdmin(server, `drop database if exists ${template}`, `create database ${template}`);
    await seed(pgDatabaseUrl(server, template));
    return async () => {
      await dropDatabase(server, template);
    };
  }
  // One template per run (parallel runs must not share it); workers inherit the variable.
  const TEMPLATE = path.resolve(`tmp/test-template-${process.pid}.db`);
  process.env.GILIRAN_TEMPLATE = TEMPLATE;
  fs.mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(TEMPLATE + suffix, { force: true });
  await seed(TEMPLATE);
  return () => {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(TEMPLATE + suffix, { force: true });
  };
}
