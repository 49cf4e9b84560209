/**
 * npm run db:copy -- --from <SQLite file> --to postgres://user:password@host:5432/database
 *
 * Moves a unit's data from its SQLite file to a PostgreSQL database (docs/decisions/
 * 0005-postgresql.md): migrates the target, refuses a target that already has users or bookings,
 * copies every table parents-first in batches inside ONE PostgreSQL transaction, moves the
 * identity sequences past the copied ids, and verifies each table by row count and a checksum
 * (sha256 over the rows ordered by primary key, each rendered the same way from both sides)
 * before committing. Any mismatch rolls the whole copy back and exits 1: the target is left as
 * it was. The source is only read, inside one read transaction (a consistent snapshot even if a
 * server is still writing; stop the server first so that nothing written later is left behind).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { type DbLocation, type OpenedDb, describeLocation, openDatabase, parseDatabaseUrl } from "./connection";
import { syncIdentitySequences } from "./dialect";
import { migrateToLatest } from "./migrate";

const USAGE = "usage: npm run db:copy -- --from <SQLite file> --to postgres://user:password@host:5432/database";
/** Bound parameters per INSERT stay well under PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;
const MAX_BATCH_ROWS = 1_000;
/** Rows per page when reading the target back for the checksum. */
const READ_PAGE = 5_000;

class CopyError extends Error {}

function parseArgs(argv: string[]): { from: string; to: string } {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--(from|to)(?:=(.*))?$/.exec(arg);
    if (!m) throw new CopyError(`unknown argument ${arg}\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (!value) throw new CopyError(`--${m[1]} needs a value\n${USAGE}`);
    out[m[1]] = value;
  }
  if (!out.from || !out.to) throw new CopyError(USAGE);
  return { from: out.from, to: out.to };
}

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string;
  /** Tables this one refers to. */
  parents: string[];
}

/**
 * The app's tables in the SQLite file, with their columns, primary key and foreign keys. The
 * reports' per-day summary (report_*) is derived data: not copied; the target's job loop or
 * `npm run db:summary` builds it anew.
 */
function sourceTables(sqlite: SqliteDatabase.Database): TableInfo[] {
  const names = (
    sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'report_%' order by name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  return names.map((name) => {
    const cols = sqlite.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(name) as { name: string; pk: number }[];
    const pk = cols.filter((c) => c.pk > 0);
    if (pk.length !== 1) throw new CopyError(`table ${name} has no single-column primary key; cannot copy it in order`);
    const parents = (sqlite.prepare("select distinct \"table\" as parent from pragma_foreign_key_list(?)").all(name) as { parent: string }[])
      .map((r) => r.parent)
      .filter((p) => p !== name);
    return { name, columns: cols.map((c) => c.name), primaryKey: pk[0].name, parents };
  });
}

/** Parents before children (the copy inserts in this order, so every foreign key finds its row). */
function foreignKeyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: TableInfo[] = [];
  const visit = (t: TableInfo) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new CopyError(`foreign keys form a cycle through ${t.name}`);
    visiting.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent);
    }
    visiting.delete(t.name);
    done.add(t.name);
    order.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  return order;
}

/** One row rendered the same way from either engine: values in column order, as JSON. */
function renderRow(row: Record<string, unknown>, columns: string[]): string {
  return JSON.stringify(
    columns.map((c) => {
      const v = row[c];
      if (typeof v === "bigint") return Number(v);
      if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
      return v ?? null;
    }),
  );
}

interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceSum: string;
  targetSum: string;
}

function sourceChecksum(sqlite: SqliteDatabase.Database, t: TableInfo): { rows: number; sum: string } {
  const hash = createHash("sha256");
  let rows = 0;
  const cols = t.columns.map((c) => `"${c}"`).join(", ");
  for (const row of sqlite.prepare(`select ${cols} from "${t.name}" order by "${t.primaryKey}"`).iterate() as Iterable<Record<string, unknown>>) {
    hash.update(renderRow(row, t.columns));
    hash.update("\n");
    rows++;
  }
  return { rows, sum: hash.digest("hex") };
}

/**
 * The same over the target, page by page on the primary key. Text keys are ordered with the "C"
 * collation: byte order, which is SQLite's BINARY order for UTF-8 text.
 */
async function targetChecksum(db: Kysely<any>, t: TableInfo, textKey: boolean): Promise<{ rows: number; sum: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  const key = textKey ? sql`${sql.ref(t.primaryKey)} collate "C"` : sql.ref(t.primaryKey);
  let last: unknown;
  for (;;) {
    const page: Record<string, unknown>[] = (
      await sql<Record<string, unknown>>`select ${sql.join(t.columns.map((c) => sql.ref(c)))} from ${sql.table(t.name)}
        ${last === undefined ? sql`` : sql`where ${key} > ${last}`}
        order by ${key} limit ${READ_PAGE}`.execute(db)
    ).rows;
    for (const row of page) {
      hash.update(renderRow(row, t.columns));
      hash.update("\n");
    }
    rows += page.length;
    if (page.length < READ_PAGE) break;
    last = page[page.length - 1][t.primaryKey];
  }
  return { rows, sum: hash.digest("hex") };
}

function printChecks(checks: TableCheck[]): void {
  const header = ["table", "SQLite rows", "PostgreSQL rows", "SQLite sha256", "PostgreSQL sha256", ""];
  const lines = checks.map((c) => {
    const ok = c.sourceRows === c.targetRows && c.sourceSum === c.targetSum;
    return [c.table, String(c.sourceRows), String(c.targetRows), c.sourceSum.slice(0, 16), c.targetSum.slice(0, 16), ok ? "ok" : "MISMATCH"];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<number> {
  const { from, to } = parseArgs(process.argv.slice(2));
  const source = parseDatabaseUrl(from);
  if (source.kind !== "sqlite" || source.file === ":memory:") throw new CopyError(`--from must be a SQLite file, not ${from.replace(/\/\/[^@/]*@/, "//")}`);
  if (!fs.existsSync(source.file)) throw new CopyError(`--from: no SQLite database at ${source.file}`);
  const target: DbLocation = parseDatabaseUrl(to);
  if (target.kind !== "postgres") throw new CopyError(`--to must be a postgres:// url (postgres://user:password@host:5432/database), not ${to}`);

  const sqlite = new SqliteDatabase(source.file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 10000");
  let opened: OpenedDb | null = null;
  try {
    // One read transaction: every read of the source (copy and checksums) sees one snapshot.
    sqlite.exec("begin");
    const hasMigrations = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!hasMigrations) throw new CopyError(`${source.file} is not a Giliran database (it has no migrations table)`);
    const sourceMigrations = (sqlite.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map((r) => r.name);

    opened = openDatabase(to);
    const db = opened.db;
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      const e = error as { message?: string; code?: string };
      throw new CopyError(`cannot connect to ${describeLocation(target)}: ${e.message || e.code || String(error)}`);
    }
    console.log(`Copying ${source.file} → ${describeLocation(target)}`);
    const applied = await migrateToLatest(db);
    if (applied.length) console.log(`Migrated the target: ${applied.join(", ")}`);
    const targetMigrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
    if (sourceMigrations.join("\n") !== targetMigrations.join("\n")) {
      const missing = targetMigrations.filter((m) => !sourceMigrations.includes(m));
      throw new CopyError(
        missing.length
          ? `the source's schema is older than this version's (missing ${missing.join(", ")}); migrate it first: DATABASE_URL=${source.file} npm run db:migrate`
          : `the source has migrations this version does not know (${sourceMigrations.filter((m) => !targetMigrations.includes(m)).join(", ")}); use the Giliran version that wrote it`,
      );
    }

    const [users, bookings] = await Promise.all([
      db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      db.selectFrom("bookings").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    if (Number(users.n) > 0 || Number(bookings.n) > 0) {
      throw new CopyError(
        `the target ${describeLocation(target)} is not empty (${users.n} users, ${bookings.n} bookings); refusing to write into it. Copy into a new, empty database.`,
      );
    }

    const tables = foreignKeyOrder(sourceTables(sqlite));
    const targetColumns = new Map<string, Map<string, string>>();
    for (const r of (
      await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()`.execute(db)
    ).rows) {
      if (!targetColumns.has(r.table_name)) targetColumns.set(r.table_name, new Map());
      targetColumns.get(r.table_name)?.set(r.column_name, r.data_type);
    }
    for (const t of tables) {
      const cols = targetColumns.get(t.name);
      if (!cols) throw new CopyError(`the target has no table ${t.name}`);
      const missing = t.columns.filter((c) => !cols.has(c));
      if (missing.length) throw new CopyError(`the target's ${t.name} has no column ${missing.join(", ")}`);
    }

    const started = performance.now();
    const checks: TableCheck[] = [];
    const ok = await db
      .transaction()
      .execute(async (trx) => {
        // Rows a first start may have written (the facility, an audit line): no users or bookings,
        // so nothing of a unit's own. They are replaced by the source's.
        const leftovers: string[] = [];
        for (const t of tables) {
          const { n } = await trx.selectFrom(t.name as any).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
          if (Number(n) > 0) leftovers.push(`${t.name} (${n})`);
        }
        if (leftovers.length) {
          console.log(`Replacing what the empty target had: ${leftovers.join(", ")}`);
          await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))} restart identity cascade`.execute(trx);
        }

        for (const t of tables) {
          const tableStarted = performance.now();
          const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMS / t.columns.length)));
          const cols = t.columns.map((c) => `"${c}"`).join(", ");
          let batch: Record<string, unknown>[] = [];
          let copied = 0;
          const flush = async () => {
            if (!batch.length) return;
            try {
              await trx.insertInto(t.name as any).values(batch).execute();
            } catch (error) {
              const first = batch[0][t.primaryKey];
              const lastKey = batch[batch.length - 1][t.primaryKey];
              throw new CopyError(`copying ${t.name} (rows ${t.primaryKey} ${first}…${lastKey}) failed: ${(error as Error).message}`);
            }
            copied += batch.length;
            batch = [];
          };
          for (const row of sqlite.prepare(`select ${cols} from "${t.name}" order by "${t.primaryKey}"`).iterate() as Iterable<Record<string, unknown>>) {
            batch.push(row);
            if (batch.length >= batchRows) await flush();
          }
          await flush();
          console.log(`  ${t.name.padEnd(20)} ${String(copied).padStart(8)} rows  ${Math.round(performance.now() - tableStarted)} ms`);
        }
        await syncIdentitySequences(trx);

        for (const t of tables) {
          const textKey = targetColumns.get(t.name)?.get(t.primaryKey) === "text";
          const [s, g] = [sourceChecksum(sqlite, t), await targetChecksum(trx, t, textKey)];
          checks.push({ table: t.name, sourceRows: s.rows, targetRows: g.rows, sourceSum: s.sum, targetSum: g.sum });
        }
        const allOk = checks.every((c) => c.sourceRows === c.targetRows && c.sourceSum === c.targetSum);
        if (!allOk) throw new VerificationFailed();
        return true;
      })
      .catch((error) => {
        if (error instanceof VerificationFailed) return false;
        throw error;
      });
    console.log("");
    printChecks(checks);
    console.log("");
    if (!ok) {
      console.error("Verification FAILED: the copy was rolled back; the target is unchanged.");
      return 1;
    }
    const total = checks.reduce((n, c) => n + c.targetRows, 0);
    console.log(`Copied ${total} rows in ${checks.length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s; every table verified.`);
    console.log(`Serve it: DATABASE_URL=<the same postgres:// url> npm start`);
    return 0;
  } finally {
    if (sqlite.inTransaction) sqlite.exec("rollback");
    sqlite.close();
    if (opened) await opened.close();
  }
}

class VerificationFailed extends Error {}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof CopyError) {
    console.error(`db:copy: ${error.message}`);
  } else {
    console.error(`db:copy failed: ${(error as Error).message}`);
  }
  process.exitCode = 1;
}
