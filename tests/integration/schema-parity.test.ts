/**
 * The migrations give PostgreSQL the same schema as SQLite: table by table, column by column
 * (name, nullability, a type family), the same explicit indexes and the same unique columns.
 * The reference is a fresh SQLite database migrated here; the other side is this run's own
 * database (in the PostgreSQL run a PostgreSQL database, in the SQLite run the SQLite copy of the
 * demo, which must not have drifted from the migrations either).
 */
import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type OpenedDb, openDatabase, sqliteHandle } from "../../db/connection";
import { migrateToLatest } from "../../db/migrate";
import { testDb, testEngine } from "../support/db";

type Family = "integer" | "bigint" | "text" | "real";
interface Column {
  table: string;
  column: string;
  notNull: boolean;
  family: Family | string;
}
interface Schema {
  columns: Column[];
  /** "table.index" of the indexes the migrations create by name. */
  indexes: string[];
  /** "table(column)" of single-column unique constraints. */
  uniques: string[];
}

function family(declared: string): Family | string {
  const t = declared.toLowerCase();
  if (t === "integer" || t === "int" || t === "int4") return "integer";
  if (t === "bigint" || t === "int8") return "bigint";
  if (t === "text" || t.startsWith("varchar") || t === "character varying") return "text";
  if (t === "real" || t === "double precision" || t === "float8" || t === "float4") return "real";
  return t; // an unknown type fails the comparison with its own name
}

const sortColumns = (c: Column[]) => [...c].sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));

function sqliteSchema(opened: OpenedDb): Schema {
  const sqlite = sqliteHandle(opened);
  const tables = (
    sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").all() as { name: string }[]
  ).map((r) => r.name);
  const columns: Column[] = [];
  const uniques: string[] = [];
  for (const table of tables) {
    for (const c of sqlite.prepare("select name, type, \"notnull\" as nn, pk from pragma_table_info(?)").all(table) as {
      name: string;
      type: string;
      nn: number;
      pk: number;
    }[]) {
      // A primary key is never null on either engine (SQLite's PRAGMA does not say so).
      columns.push({ table, column: c.name, notNull: c.nn === 1 || c.pk > 0, family: family(c.type) });
    }
    for (const ix of sqlite.prepare("select name, \"unique\" as u, origin from pragma_index_list(?)").all(table) as { name: string; u: number; origin: string }[]) {
      if (ix.origin !== "u") continue;
      const cols = (sqlite.prepare("select name from pragma_index_info(?)").all(ix.name) as { name: string }[]).map((r) => r.name);
      uniques.push(`${table}(${cols.join(",")})`);
    }
  }
  const indexes = (
    sqlite
      .prepare("select tbl_name as t, name from sqlite_master where type = 'index' and sql is not null and tbl_name not like 'kysely_%'")
      .all() as { t: string; name: string }[]
  ).map((r) => `${r.t}.${r.name}`);
  return { columns: sortColumns(columns), indexes: indexes.sort(), uniques: uniques.sort() };
}

async function postgresSchema(db: Kysely<any>): Promise<Schema> {
  const cols = await sql<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>`
    select c.table_name, c.column_name, c.is_nullable, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.table_name not like 'kysely\\_%'`.execute(db);
  const columns = cols.rows.map((r) => ({ table: r.table_name, column: r.column_name, notNull: r.is_nullable === "NO", family: family(r.data_type) }));
  // Indexes created by name: not those behind a primary key, unique or exclusion constraint.
  const ix = await sql<{ t: string; name: string }>`
    select i.tablename as t, i.indexname as name from pg_indexes i
    where i.schemaname = current_schema() and i.tablename not like 'kysely\\_%'
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname and k.connamespace = (select oid from pg_namespace where nspname = current_schema()))`.execute(
    db,
  );
  const uq = await sql<{ t: string; cols: string }>`
    select k.conrelid::regclass::text as t, string_agg(a.attname, ',' order by u.ord) as cols
    from pg_constraint k
    cross join lateral unnest(k.conkey) with ordinality as u(attnum, ord)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
    where k.contype = 'u' and k.connamespace = (select oid from pg_namespace where nspname = current_schema())
    group by k.oid, k.conrelid`.execute(db);
  return {
    columns: sortColumns(columns),
    indexes: ix.rows.map((r) => `${r.t}.${r.name}`).sort(),
    uniques: uq.rows.map((r) => `${r.t}(${r.cols})`).sort(),
  };
}

let reference: Schema;
let underTest: Schema;

beforeAll(async () => {
  const fresh = openDatabase(":memory:");
  await migrateToLatest(fresh.db);
  reference = sqliteSchema(fresh);
  await fresh.close();
  const data = testDb();
  underTest = data.sqlite ? sqliteSchema(data) : await postgresSchema(data.db);
  await data.close();
});

describe(`the migrated schema (${testEngine()}) matches SQLite's`, () => {
  it("has the same tables", () => {
    const tables = (s: Schema) => [...new Set(s.columns.map((c) => c.table))].sort();
    expect(tables(reference).length).toBeGreaterThanOrEqual(20);
    expect(tables(underTest)).toEqual(tables(reference));
  });

  it("has the same columns in every table: name, nullability and type family", () => {
    expect(reference.columns.length).toBeGreaterThan(200);
    expect(underTest.columns).toEqual(reference.columns);
    // Only the four families the app reads (epoch ms and money are bigint on both).
    expect([...new Set(underTest.columns.map((c) => c.family))].sort()).toEqual(["bigint", "integer", "real", "text"]);
    const instant = underTest.columns.find((c) => c.table === "bookings" && c.column === "start_at");
    expect(instant).toEqual({ table: "bookings", column: "start_at", notNull: true, family: "bigint" });
  });

  it("has the same named indexes and unique columns", () => {
    expect(reference.indexes).toContain("bookings.bookings_machine_start");
    expect(underTest.indexes).toEqual(reference.indexes);
    expect(reference.uniques).toContain("users(email)");
    expect(underTest.uniques).toEqual(reference.uniques);
  });

  it("guards against overlapping bookings in the engine's own way", async () => {
    const data = testDb();
    try {
      if (testEngine() === "postgres") {
        const { rows } = await sql<{ def: string }>`
          select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'bookings_no_overlap' and contype = 'x'`.execute(data.db);
        expect(rows).toHaveLength(1);
        expect(rows[0].def).toMatch(/EXCLUDE USING gist \(machine_id WITH =, int8range\(start_at, hold_end_at\) WITH &&\)/);
        expect(rows[0].def).toMatch(/pending.*confirmed.*checked_in/);
      } else {
        const triggers = (sqliteHandle(data).prepare("select name from sqlite_master where type = 'trigger' order by name").all() as { name: string }[]).map(
          (r) => r.name,
        );
        expect(triggers.filter((t) => t.startsWith("bookings_"))).toEqual(["bookings_no_overlap_insert", "bookings_no_overlap_update"]);
      }
    } finally {
      await data.close();
    }
  });
});
