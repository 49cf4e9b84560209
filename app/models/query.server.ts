/**
 * A query written once with Kysely and run two ways (issue 31: the decision's hot path):
 *
 * - `execute(db, args)`: built for the values and run through Kysely, on SQLite or PostgreSQL,
 *   like any other query of the app;
 * - `all`/`get`/`run(sqlite, args)`: on SQLite, synchronously — the query is built and compiled
 *   ONCE with named placeholders, prepared once per connection, and only the values are bound on
 *   each call. No query building, no compiling, no promise.
 *
 * The builder receives `p(name)` for each value that varies; everything else (constant lists of
 * statuses, columns) is fixed in the SQL. A builder must not branch on the values (the SQL is
 * compiled from placeholders): a query whose shape depends on them needs one definition per shape.
 */
import type SqliteDatabase from "better-sqlite3";
import { type Compilable, DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import type { DbOrTx } from "#db/connection";
import type { Database } from "#db/schema";

/** Compiles SQLite SQL without a connection. */
const offline = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const MARK = "\u0000giliran-param:";

export type Param<A> = <K extends keyof A & string>(name: K) => A[K];

type Built = Compilable<unknown> & { execute(): Promise<unknown[]> };
type RowOf<Q extends Built> = Awaited<ReturnType<Q["execute"]>>[number];

export interface Query<A, R> {
  execute(db: DbOrTx, args: A): Promise<R[]>;
  all(sqlite: SqliteDatabase.Database, args: A): R[];
  get(sqlite: SqliteDatabase.Database, args: A): R | undefined;
  run(sqlite: SqliteDatabase.Database, args: A): SqliteDatabase.RunResult;
}

export function defineQuery<A extends object, Q extends Built>(build: (db: Kysely<Database>, p: Param<A>) => Q): Query<A, RowOf<Q>> {
  let compiled: { sql: string; bind: (args: A) => unknown[] } | null = null;
  const statements = new WeakMap<SqliteDatabase.Database, SqliteDatabase.Statement>();
  const statement = (sqlite: SqliteDatabase.Database) => {
    let s = statements.get(sqlite);
    if (!s) {
      if (!compiled) {
        const c = build(offline, ((name: string) => `${MARK}${name}`) as Param<A>).compile();
        // Each parameter: a named value bound per call, or a constant of the SQL (e.g. a status).
        const slots = c.parameters.map((v): { name: string | null; value: unknown } =>
          typeof v === "string" && v.startsWith(MARK) ? { name: v.slice(MARK.length), value: null } : { name: null, value: v },
        );
        compiled = { sql: c.sql, bind: (args) => slots.map((slot) => (slot.name === null ? slot.value : (args as Record<string, unknown>)[slot.name])) };
      }
      s = sqlite.prepare(compiled.sql);
      statements.set(sqlite, s);
    }
    return s;
  };
  const bind = (args: A) => (compiled as NonNullable<typeof compiled>).bind(args);
  return {
    execute: (db, args) => build(db, ((name: string) => (args as Record<string, unknown>)[name]) as Param<A>).execute() as Promise<RowOf<Q>[]>,
    all: (sqlite, args) => {
      const s = statement(sqlite);
      return s.all(bind(args)) as RowOf<Q>[];
    },
    get: (sqlite, args) => {
      const s = statement(sqlite);
      return s.get(bind(args)) as RowOf<Q> | undefined;
    },
    run: (sqlite, args) => {
      const s = statement(sqlite);
      return s.run(bind(args));
    },
  };
}
