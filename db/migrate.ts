import { type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Db } from "./connection";
import * as m20261128initial from "./migrations/2026-11-28T0900-initial-schema";
import * as m20261128assisted from "./migrations/2026-11-28T1300-bookings-assisted-index";
import * as m20261207contact from "./migrations/2026-12-07T2000-facility-contact";
import * as m20261208reference from "./migrations/2026-12-08T0100-reference-version";
import * as m20261208summary from "./migrations/2026-12-08T1000-report-summary";

/** Migrations are imported statically so that the server bundle carries them. Add new ones here. */
const migrations: Record<string, Migration> = {
  "2026-11-28T0900-initial-schema": m20261128initial,
  "2026-11-28T1300-bookings-assisted-index": m20261128assisted,
  "2026-12-07T2000-facility-contact": m20261207contact,
  "2026-12-08T0100-reference-version": m20261208reference,
  "2026-12-08T1000-report-summary": m20261208summary,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
