/**
 * Dialect-neutral access to this test file's database (DATABASE_URL: a SQLite file or a
 * PostgreSQL database), for tests that look at the data beside the app: a separate connection,
 * like another process would have.
 */
import { type OpenedDb, isPostgresUrl, openDatabase } from "../../db/connection";
import { type DialectName, dialectOf } from "../../db/dialect";

/** The engine this run tests. */
export function testEngine(): DialectName {
  return isPostgresUrl(process.env.DATABASE_URL ?? "") ? "postgres" : "sqlite";
}

/** A new connection to DATABASE_URL; close it when done (`await opened.close()`). */
export function testDb(url = process.env.DATABASE_URL as string): OpenedDb {
  return openDatabase(url);
}

/**
 * "ok" when the database's own structure checks pass. SQLite: PRAGMA integrity_check.
 * PostgreSQL: amcheck's bt_index_check over every btree index of the schema (the server keeps
 * its files consistent through crashes of its clients; this checks the indexes agree with the
 * rules they encode). Any problem comes back as its message.
 */
export async function integrityCheck(opened: OpenedDb): Promise<string> {
  if (opened.sqlite) return String(opened.sqlite.pragma("integrity_check", { simple: true }));
  const { sql } = await import("kysely");
  try {
    await sql`create extension if not exists amcheck`.execute(opened.db);
    await sql`
      select bt_index_check(c.oid)
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_am a on a.oid = c.relam
      join pg_namespace n on n.oid = c.relnamespace
      where a.amname = 'btree' and n.nspname = current_schema()`.execute(opened.db);
    return "ok";
  } catch (error) {
    return (error as Error).message;
  }
}

export { dialectOf };
