/**
 * Opening the database named by DATABASE_URL. SQLite (the embedded default) runs in WAL mode
 * with foreign keys on and a busy timeout, so writers from several processes wait instead of
 * failing. Decisions use `immediate()`, which takes the write lock before the first read.
 */
import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, type Transaction, sql } from "kysely";
import type { Database } from "./schema";

export type Db = Kysely<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface DbLocation {
  kind: "sqlite";
  file: string;
}

export function parseDatabaseUrl(url: string): DbLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error("DATABASE_URL: PostgreSQL is not supported by this build yet; use a SQLite file path");
  }
  const file = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!file) throw new Error("DATABASE_URL is empty");
  return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(file) };
}

export interface OpenedDb {
  db: Db;
  location: DbLocation;
  /** The raw better-sqlite3 handle (backups, integrity checks). */
  sqlite: SqliteDatabase.Database;
  close(): Promise<void>;
}

export function openDatabase(url: string): OpenedDb {
  const location = parseDatabaseUrl(url);
  if (location.file !== ":memory:") fs.mkdirSync(path.dirname(location.file), { recursive: true });
  const sqlite = new SqliteDatabase(location.file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("wal_autocheckpoint = 4000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    location,
    sqlite,
    close: () => db.destroy(),
  };
}

/**
 * Run `fn` in one immediate (write-locking) transaction. On SQLite, BEGIN IMMEDIATE takes the
 * write lock up front, so a decision's reads and its write cannot interleave with another
 * process's; a waiting writer waits (busy timeout) instead of failing with SQLITE_BUSY.
 */
export async function immediate<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** True when a database error is the no-overlap guarantee refusing a write. */
export function isOverlapError(error: unknown): boolean {
  const e = error as { message?: string; code?: string } | null;
  return !!e && (e.code === "23P01" || (typeof e.message === "string" && e.message.includes("BOOKING_OVERLAP")));
}

/** True when a database error is a unique constraint; returns the column name where known. */
export function uniqueViolationColumn(error: unknown): string | null {
  const e = error as { message?: string; code?: string; constraint?: string } | null;
  if (!e || typeof e.message !== "string") return null;
  const m = /UNIQUE constraint failed: \w+\.(\w+)/.exec(e.message);
  if (m) return m[1];
  if (e.code === "23505") return (e.constraint ?? "").replace(/^\w+?_(\w+)_key$/, "$1") || "unknown";
  return null;
}
