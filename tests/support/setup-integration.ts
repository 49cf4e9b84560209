/**
 * Before each integration test file: its own copy of the template database (a SQLite file, or
 * with TEST_PG_URL a PostgreSQL database created from the template database), a fixed clock,
 * quiet logs. After the file: the app's connections closed and the copy deleted.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { closeLoadedApp } from "./app";
import { TEST_NOW_ISO } from "./constants";
import { dropDatabase, pgAdmin, pgDatabaseUrl, safeDatabaseName, testPgUrl } from "./pg";

const server = testPgUrl();
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
let cleanup: () => Promise<void>;

if (server) {
  const template = safeDatabaseName(process.env.GILIRAN_PG_TEMPLATE ?? "giliran_template");
  const database = safeDatabaseName(`giliran_t_${suffix}`);
  await pgAdmin(server, `create database ${database} template ${template}`);
  process.env.DATABASE_URL = pgDatabaseUrl(server, database);
  cleanup = () => dropDatabase(server, database);
} else {
  const template = process.env.GILIRAN_TEMPLATE ?? path.resolve("tmp/test-template.db");
  const file = path.resolve(`tmp/it-${suffix.replace("_", "-")}.db`);
  fs.copyFileSync(template, file);
  process.env.DATABASE_URL = file;
  cleanup = async () => {
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });
  };
}
process.env.NODE_ENV = "test";
process.env.GILIRAN_NOW = TEST_NOW_ISO;
process.env.LOG_REQUESTS = "0";
process.env.SEED_DEMO = "0";

afterAll(async () => {
  await closeLoadedApp();
  await cleanup();
});
