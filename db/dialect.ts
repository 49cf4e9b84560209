/**
 * The few places where SQLite and PostgreSQL spell SQL differently, in one module, so app code
 * stays portable (docs/decisions/0005-postgresql.md). Imported by frozen migrations too: keep it
 * free of app imports.
 */
import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";

export type DialectName = "sqlite" | "postgres";

/** Which SQL engine a Kysely instance talks to (for the few statements the two spell differently). */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * `text LIKE pattern ESCAPE '\'`, case-insensitive on both engines: SQLite's LIKE already ignores
 * ASCII case; PostgreSQL's does not, so it gets ILIKE. `pattern` is bound, never spliced.
 */
export function likeInsensitive(db: Kysely<any>, text: Expression<unknown> | string, pattern: string): RawBuilder<boolean> {
  const left = typeof text === "string" ? sql.ref(text) : text;
  return dialectOf(db) === "postgres" ? sql<boolean>`${left} ilike ${pattern} escape '\\'` : sql<boolean>`${left} like ${pattern} escape '\\'`;
}

/**
 * The larger / smaller of several SQL expression texts, for SQL assembled as text: SQLite's
 * scalar max(a, b) and min(a, b) are PostgreSQL's greatest(a, b) and least(a, b). Both return
 * NULL when any argument is NULL on SQLite but skip NULLs on PostgreSQL: pass non-null values.
 */
export function greatestSql(dialect: DialectName, ...exprs: string[]): string {
  return `${dialect === "postgres" ? "greatest" : "max"}(${exprs.join(", ")})`;
}

export function leastSql(dialect: DialectName, ...exprs: string[]): string {
  return `${dialect === "postgres" ? "least" : "min"}(${exprs.join(", ")})`;
}

/**
 * The values of `expr` in a group joined by `separator` (a string literal, spliced: pass only
 * constants): SQLite's group_concat, PostgreSQL's string_agg (which wants text). Order is
 * unspecified on both unless the query orders the rows it aggregates.
 */
export function groupConcatSql(dialect: DialectName, expr: string, separator: string): string {
  const sep = `'${separator.replace(/'/g, "''")}'`;
  return dialect === "postgres" ? `string_agg((${expr})::text, ${sep})` : `group_concat(${expr}, ${sep})`;
}

/** groupConcatSql for a query built with Kysely's sql tag: `expr` may carry bound values. */
export function groupConcat(db: Kysely<any>, expr: Expression<unknown>, separator: string): RawBuilder<string | null> {
  return dialectOf(db) === "postgres"
    ? sql<string | null>`string_agg((${expr})::text, ${sql.lit(separator)})`
    : sql<string | null>`group_concat(${expr}, ${sql.lit(separator)})`;
}

/** A condition as a 0/1 integer on both engines (PostgreSQL's comparisons are booleans, which sum() refuses). */
export function flagSql(condition: string): string {
  return `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

/**
 * After rows were inserted with explicit ids (the demo seed, a copy from SQLite), move each
 * PostgreSQL identity sequence past the largest id, so the next insert without an id gets a free
 * one. SQLite's AUTOINCREMENT follows explicit ids by itself: nothing to do there.
 */
export async function syncIdentitySequences(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'
    order by table_name`.execute(db);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(
      db,
    );
  }
}
