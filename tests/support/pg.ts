/**
 * The PostgreSQL side of the integration suite. With TEST_PG_URL set (scripts/with-postgres.sh
 * sets it), the suite runs on PostgreSQL: one template database with the demo per run, and each
 * test file its own database created from it (CREATE DATABASE … TEMPLATE, a file copy on the
 * server). Without TEST_PG_URL everything runs on SQLite files as before.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * The server to create test databases on, or null for SQLite. Where PostgreSQL is expected
 * (GILIRAN_REQUIRE_PG=1, set by `npm run test:pg`), a missing server fails the run instead of
 * silently running on SQLite and skipping the PostgreSQL-only tests.
 */
export function testPgUrl(): string | null {
  const url = process.env.TEST_PG_URL || null;
  if (!url && process.env.GILIRAN_REQUIRE_PG === "1") {
    throw new Error("PostgreSQL is expected (GILIRAN_REQUIRE_PG=1) but TEST_PG_URL is not set: run through scripts/with-postgres.sh");
  }
  return url;
}

/** The same server and credentials, another database. */
export function pgDatabaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Run statements that may not run in a transaction (CREATE/DROP DATABASE) on the server's admin database. */
export async function pgAdmin(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database name is spliced into CREATE DATABASE: only these characters. */
export function safeDatabaseName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return name;
}

/**
 * Drop a test database. Closed pools end their connections without waiting for the server, so
 * first give those backends a moment to go; FORCE ends whatever is still connected after that.
 */
export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const name = safeDatabaseName(database);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL client program (pg_dump, pg_restore) of the test server's version where known. */
export function pgTool(name: "pg_dump" | "pg_restore" | "psql"): string {
  const dirs = [process.env.TEST_PG_BINDIR, ...listDebianBinDirs()].filter(Boolean) as string[];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return name; // from PATH
}

function listDebianBinDirs(): string[] {
  try {
    return fs
      .readdirSync("/usr/lib/postgresql")
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}
