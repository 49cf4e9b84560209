/**
 * A version of the reference data a booking decision reads — the facility row (settings, hours,
 * rule defaults), closure days, machines (rules, status), tariffs and maintenance windows — so a
 * process can hold them in memory and see any change, by any process or a direct edit: a trigger
 * on every insert, update and delete of those tables adds one to `reference_version.n` and draws
 * a new random `stamp`. The decision reads the one row inside its transaction and reloads when
 * the stamp differs from what it holds. A stamp is never reused, so data read inside a
 * transaction that later rolled back can never pass for a committed state (a counter alone would
 * come back to the same value). Frozen: never import app code here.
 */
import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect";

export const VERSIONED_TABLES = ["facility", "closure_days", "machines", "machine_tariffs", "maintenance_windows"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  await db.schema
    .createTable("reference_version")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("n", "bigint", (c) => c.notNull())
    .addColumn("stamp", "text", (c) => c.notNull())
    .execute();
  const stamp = pg ? "md5(random()::text || clock_timestamp()::text)" : "lower(hex(randomblob(16)))";
  await sql`insert into reference_version (id, n, stamp) values (1, 0, ${sql.raw(stamp)})`.execute(db);
  if (pg) {
    await sql
      .raw(`create function bump_reference_version() returns trigger language plpgsql as $$
        begin update reference_version set n = n + 1, stamp = ${stamp} where id = 1; return null; end $$`)
      .execute(db);
    for (const table of VERSIONED_TABLES) {
      await sql
        .raw(`create trigger ${table}_reference_version after insert or update or delete or truncate on ${table}
          for each statement execute function bump_reference_version()`)
        .execute(db);
    }
  } else {
    for (const table of VERSIONED_TABLES) {
      for (const op of ["insert", "update", "delete"]) {
        await sql
          .raw(`create trigger ${table}_reference_version_${op} after ${op} on ${table}
            begin update reference_version set n = n + 1, stamp = ${stamp} where id = 1; end`)
          .execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  for (const table of VERSIONED_TABLES) {
    if (pg) await sql.raw(`drop trigger if exists ${table}_reference_version on ${table}`).execute(db);
    else for (const op of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists ${table}_reference_version_${op}`).execute(db);
  }
  if (pg) await sql`drop function if exists bump_reference_version()`.execute(db);
  await db.schema.dropTable("reference_version").execute();
}
