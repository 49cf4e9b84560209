/**
 * Opening the database named by DATABASE_URL: a SQLite file (the embedded default) or, for a
 * url that starts with postgres:// or postgresql://, a PostgreSQL database (docs/decisions/
 * 0005-postgresql.md). SQLite runs in WAL mode with foreign keys on and a busy timeout, so
 * writers from several processes wait instead of failing. PostgreSQL gets a connection pool whose
 * int8 and numeric values come back as JavaScript numbers, like SQLite's integers. Decisions use
 * `immediate()`, which serializes them on both engines.
 */
import { WAL_AUTOCHECKPOINT_PAGES } from "./checkpointer";
import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as KyselySqliteDatabase,
  type Transaction,
  sql,
} from "kysely";
import pg from "pg";
import { dialectOf } from "./dialect";
import type { Database } from "./schema";

export type Db = Kysely<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export type DbLocation =
  | { kind: "sqlite"; file: string }
  | {
      kind: "postgres";
      url: string;
      /** The database name. */
      database: string;
      /** host:port/database, without the credentials (for messages and logs). */
      label: string;
    };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export function isPostgresUrl(url: string): boolean {
  return POSTGRES_URL.test(url);
}

export function parseDatabaseUrl(url: string): DbLocation {
  if (isPostgresUrl(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error("DATABASE_URL is not a valid postgres:// url (postgres://user:password@host:5432/database)");
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (!database) throw new Error("DATABASE_URL names no database: postgres://user:password@host:5432/<database>");
    const host = parsed.hostname || parsed.searchParams.get("host") || "localhost";
    return { kind: "postgres", url, database, label: `${host}:${parsed.port || "5432"}/${database}` };
  }
  const file = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!file) throw new Error("DATABASE_URL is empty");
  return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(file) };
}

/** Where the database is, for messages: the SQLite file, or host:port/database (never a password). */
export function describeLocation(location: DbLocation): string {
  return location.kind === "sqlite" ? location.file : `postgres://${location.label}`;
}

export interface OpenedDb {
  db: Db;
  location: DbLocation;
  /** The raw better-sqlite3 handle (backups, integrity checks); null on PostgreSQL. */
  sqlite: SqliteDatabase.Database | null;
  close(): Promise<void>;
}

export function openDatabase(url: string): OpenedDb {
  const location = parseDatabaseUrl(url);
  if (location.kind === "postgres") return openPostgres(location);
  if (location.file !== ":memory:") fs.mkdirSync(path.dirname(location.file), { recursive: true });
  const sqlite = new SqliteDatabase(location.file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("synchronous = NORMAL");
  // A safety net: the server's checkpointer (db/checkpointer.ts) keeps the WAL short off the request path.
  sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return {
    db,
    location,
    sqlite,
    close: () => db.destroy(),
  };
}

const sqliteHandles = new WeakMap<Db, SqliteDatabase.Database>();

/**
 * The better-sqlite3 handle under a database opened by openDatabase (not a transaction's),
 * or null (PostgreSQL). For code that runs synchronously on SQLite: see exclusively().
 */
export function sqliteOf(db: DbOrTx): SqliteDatabase.Database | null {
  return sqliteHandles.get(db as Db) ?? null;
}

/**
 * Run `fn` on the SQLite handle while Kysely's connection is ours: no Kysely transaction of
 * another request is open on it meanwhile (Kysely's SQLite driver shares one connection behind a
 * mutex, held across a transaction's awaits).
 */
export function exclusively<T>(db: Db, fn: (sqlite: SqliteDatabase.Database) => T): Promise<T> {
  const sqlite = sqliteOf(db);
  if (!sqlite) throw new Error("exclusively() needs a SQLite database");
  return db.connection().execute(async () => fn(sqlite));
}

/** The raw better-sqlite3 handle of a SQLite database; a clear error on PostgreSQL. */
export function sqliteHandle(opened: OpenedDb): SqliteDatabase.Database {
  if (!opened.sqlite) {
    throw new Error(`This needs a SQLite database; DATABASE_URL is PostgreSQL (${describeLocation(opened.location)})`);
  }
  return opened.sqlite;
}

/** Connections per process. Decisions hold one each while they wait for the decision lock. */
const POSTGRES_POOL_MAX = 10;
/** Like SQLite's busy timeout: a decision waits this long for the lock, then fails. */
const POSTGRES_LOCK_TIMEOUT_MS = 10_000;

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * int8 (bigint columns, count(*), sum of integers) and numeric (sum of bigints) arrive from pg
 * as strings; Giliran's are epoch ms, rupiah and counts, all far below 2^53, so they are exact
 * as numbers. Everything else keeps pg's parsers.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (format !== "binary" && (oid === PG_INT8 || oid === PG_NUMERIC)) {
      return Number;
    }
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function openPostgres(location: Extract<DbLocation, { kind: "postgres" }>): OpenedDb {
  const pool = new pg.Pool({
    connectionString: location.url,
    max: POSTGRES_POOL_MAX,
    types: pgTypes,
    // Which process a connection belongs to, in pg_stat_activity (the url's own wins if it has one).
    application_name: `giliran:${process.pid}`,
  });
  // An idle connection that breaks (server restart) must not crash the process; the pool drops it.
  pool.on("error", (error) => console.error(`PostgreSQL connection error (${location.label}): ${error.message}`));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (conn) => {
        await conn.executeQuery(CompiledQuery.raw(`set lock_timeout = ${POSTGRES_LOCK_TIMEOUT_MS}`));
      },
    }),
  });
  return { db, location, sqlite: null, close: () => db.destroy() };
}

/** Bound of the statement cache (a query with an IN list of another length is another text). */
const STATEMENT_CACHE_LIMIT = 1000;

/**
 * The better-sqlite3 handle as Kysely's SqliteDialect uses it, with prepared statements kept by
 * their SQL text. Kysely prepares every query anew, and preparing costs several times more than
 * running the small indexed queries of a booking decision (bench/README.md: a facility read
 * 114 µs → 31 µs). better-sqlite3 re-prepares a statement by itself after a schema change; a
 * statement that is still iterating (a streamed query) is never handed out a second time.
 */
function cachedStatements(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(text);
      if (!cached) {
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
        statements.set(text, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

/**
 * The key of PostgreSQL's decision lock (an advisory lock; the number is arbitrary but fixed:
 * "GILIRAN" in ASCII digits). Every process of one database takes the same lock.
 */
export const DECISION_LOCK_KEY = 71737673826578;

/**
 * Run `fn` in one transaction that no other decision interleaves with, on any process.
 *
 * SQLite: BEGIN IMMEDIATE takes the write lock up front, so a decision's reads and its write
 * cannot interleave with another process's; a waiting writer waits (busy timeout) instead of
 * failing with SQLITE_BUSY.
 *
 * PostgreSQL: one READ COMMITTED transaction that first takes a transaction-scoped advisory lock
 * (pg_advisory_xact_lock), held until commit or rollback. Decisions are serialized like SQLite's
 * single writer, so rules that read many rows (quotas, operators on duty, active bookings) hold,
 * not only the no-overlap rule. READ COMMITTED matters: each statement after the lock sees every
 * decision committed before it (a REPEATABLE READ snapshot could predate the wait).
 */
export async function immediate<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "postgres") {
    return db
      .transaction()
      .setIsolationLevel("read committed")
      .execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${sql.lit(DECISION_LOCK_KEY)})`.execute(trx);
        return fn(trx);
      });
  }
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

/** Namespaces of a decision's own locks (PostgreSQL advisory locks in their two-integer form). */
export const LOCK_MACHINE = 1;
export const LOCK_IKM = 2;
/** The facility's operators on duty (one lock, id 0): assisted bookings on any machine share them. */
export const LOCK_OPERATORS = 3;

/**
 * A booking decision's transaction: what the rules need locked, and no more.
 *
 * PostgreSQL: READ COMMITTED, the decision lock held SHARED and the machine's own lock. Every
 * immediate() writer (admin changes, moves, approvals, rounds) takes the decision lock
 * exclusively, so it still excludes all decisions; decisions on different machines for
 * different IKMs run side by side. The decision then takes the IKM's lock (its quota and active
 * bookings; taken with the first statement when the caller knows it) and, for an assisted
 * booking, the operators' lock with lockFor() as it learns them —
 * always in namespace order (machine, IKM, operators) and one machine per decision, so two
 * decisions never wait on each other in a cycle. The exclusion constraint stays the last word on
 * overlap.
 *
 * SQLite: immediate() (one writer at a time; the locks are implied).
 */
export async function decisionTransaction<T>(db: Db, machineId: number, fn: (trx: Db) => Promise<T>, ikmId?: number): Promise<T> {
  if (dialectOf(db) !== "postgres") return immediate(db, fn);
  return db
    .transaction()
    .setIsolationLevel("read committed")
    .execute(async (trx) => {
      // One round trip: the shared decision lock, the machine's, and the IKM's when known up front.
      const ikm = ikmId === undefined ? sql`` : sql`, pg_advisory_xact_lock(${sql.lit(LOCK_IKM)}, ${sql.lit(Math.trunc(ikmId))})`;
      await sql`select pg_advisory_xact_lock_shared(${sql.lit(DECISION_LOCK_KEY)}), pg_advisory_xact_lock(${sql.lit(LOCK_MACHINE)}, ${sql.lit(Math.trunc(machineId))})${ikm}`.execute(trx);
      return fn(trx);
    });
}

/** Inside decisionTransaction on PostgreSQL: take the lock (namespace, id) until the end of the transaction. SQLite: nothing to do. */
export async function lockFor(trx: DbOrTx, namespace: typeof LOCK_IKM | typeof LOCK_OPERATORS, id: number): Promise<void> {
  if (dialectOf(trx) !== "postgres") return;
  await sql`select pg_advisory_xact_lock(${sql.lit(namespace)}, ${sql.lit(Math.trunc(id))})`.execute(trx);
}

/** True when a database error is the no-overlap guarantee refusing a write. */
export function isOverlapError(error: unknown): boolean {
  const e = error as { message?: string; code?: string } | null;
  return !!e && (e.code === "23P01" || (typeof e.message === "string" && e.message.includes("BOOKING_OVERLAP")));
}

/**
 * True when a database error is a unique constraint; returns the (first) column name where known.
 * SQLite: "UNIQUE constraint failed: users.email". PostgreSQL (SQLSTATE 23505): the detail
 * "Key (email)=(…) already exists.", else the constraint name (users_email_key) less its table.
 */
export function uniqueViolationColumn(error: unknown): string | null {
  const e = error as { message?: string; code?: string; constraint?: string; table?: string; detail?: string } | null;
  if (!e || typeof e.message !== "string") return null;
  const m = /UNIQUE constraint failed: \w+\.(\w+)/.exec(e.message);
  if (m) return m[1];
  if (e.code !== "23505") return null;
  const key = /^Key \((?:"?)(\w+)/.exec(e.detail ?? "");
  if (key) return key[1];
  const constraint = e.constraint ?? "";
  const prefix = e.table ? `${e.table}_` : "";
  if (prefix && constraint.startsWith(prefix) && constraint.endsWith("_key")) {
    return constraint.slice(prefix.length, -"_key".length);
  }
  return constraint || "unknown";
}
