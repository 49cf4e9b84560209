/** Before each integration test file: its own copy of the template database, a fixed clock, quiet logs. */
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { TEST_NOW_ISO } from "./constants";

const template = process.env.GILIRAN_TEMPLATE ?? path.resolve("tmp/test-template.db");
const file = path.resolve(`tmp/it-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_URL = file;
process.env.NODE_ENV = "test";
process.env.GILIRAN_NOW = TEST_NOW_ISO;
process.env.LOG_REQUESTS = "0";
process.env.SEED_DEMO = "0";

afterAll(() => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
});
