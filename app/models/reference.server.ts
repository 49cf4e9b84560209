/**
 * The reference data of a booking decision, held in memory per process: the facility row and
 * its calendar, every machine, their tariffs and maintenance windows. They change rarely; a
 * decision reads only `reference_version` (one row whose random stamp triggers draw anew on every
 * change to those tables, by any process or a direct edit) and reloads everything when the stamp
 * differs from the one held. A stamp seen inside a transaction that rolled back never comes again. Read inside a decision's transaction, the version and the data are those the decision
 * sees. The objects are frozen: a caller that needs to change one copies it.
 */
import type SqliteDatabase from "better-sqlite3";
import type { DbOrTx } from "#db/connection";
import type { Facility, Machine } from "#db/schema";
import type { FacilityCalendar, MaintenanceWindow } from "~/scheduling";
import { calendarOf } from "./calendar.server";
import { defineQuery } from "./query.server";

interface Tariff {
  machineId: number;
  effectiveFrom: number;
  id: number;
  hourlyRate: number;
}

export interface Reference {
  /** reference_version's stamp when this was loaded. */
  version: string;
  facility: Facility;
  calendar: FacilityCalendar;
  machines: ReadonlyMap<number, Machine>;
  /** Per machine, newest first (effective_from, then id, descending). */
  tariffs: ReadonlyMap<number, readonly Tariff[]>;
  /** Per machine, by start. */
  maintenance: ReadonlyMap<number, readonly (MaintenanceWindow & { machineId: number })[]>;
}

let held: Reference | null = null;

const versionQuery = defineQuery((db) => db.selectFrom("reference_version").select("stamp").where("id", "=", 1));
const facilityQuery = defineQuery((db) => db.selectFrom("facility").selectAll().where("id", "=", 1));
const closuresQuery = defineQuery((db) => db.selectFrom("closure_days").select("date").orderBy("date"));
const machinesQuery = defineQuery((db) => db.selectFrom("machines").selectAll().orderBy("id"));
const tariffsQuery = defineQuery((db) =>
  db.selectFrom("machine_tariffs").select(["id", "machine_id", "effective_from", "hourly_rate"]).orderBy("machine_id").orderBy("effective_from", "desc").orderBy("id", "desc"),
);
const maintenanceQuery = defineQuery((db) =>
  db.selectFrom("maintenance_windows").select(["id", "machine_id", "start_at", "end_at", "kind"]).orderBy("machine_id").orderBy("start_at").orderBy("id"),
);

function stampOf(row: { stamp: string } | undefined): string {
  if (!row) throw new Error("reference_version is missing: run the migrations (npm run db:migrate)");
  return row.stamp;
}

function group<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  for (const list of out.values()) Object.freeze(list);
  return out;
}

type Rows<Q> = Q extends { all(...args: never[]): infer R } ? R : never;

function build(
  version: string,
  facility: Facility | undefined,
  closures: Rows<typeof closuresQuery>,
  machines: Rows<typeof machinesQuery>,
  tariffs: Rows<typeof tariffsQuery>,
  maintenance: Rows<typeof maintenanceQuery>,
): Reference {
  if (!facility) throw new Error("The facility row is missing: run the migrations (npm run db:migrate)");
  return Object.freeze({
    version,
    facility: Object.freeze(facility),
    calendar: calendarOf(facility, closures.map((c) => c.date)),
    machines: new Map(machines.map((m) => [m.id, Object.freeze(m)])),
    tariffs: group(
      tariffs.map((t) => Object.freeze({ machineId: t.machine_id, effectiveFrom: Number(t.effective_from), id: t.id, hourlyRate: Number(t.hourly_rate) })),
      (t) => t.machineId,
    ),
    maintenance: group(
      maintenance.map((m) =>
        Object.freeze({ machineId: m.machine_id, id: m.id, start: Number(m.start_at), end: m.end_at === null ? null : Number(m.end_at), kind: m.kind as MaintenanceWindow["kind"] }),
      ),
      (m) => m.machineId,
    ),
  });
}

/** Forget what is held (a database opened or closed: another database may come next). */
export function forgetReferenceData(): void {
  held = null;
}

/** The reference data as `db` sees it now: one small read when nothing changed. */
export async function referenceData(db: DbOrTx): Promise<Reference> {
  const version = stampOf((await versionQuery.execute(db, {}))[0]);
  if (held?.version === version) return held;
  const [[facility], closures, machines, tariffs, maintenance] = await Promise.all([
    facilityQuery.execute(db, {}),
    closuresQuery.execute(db, {}),
    machinesQuery.execute(db, {}),
    tariffsQuery.execute(db, {}),
    maintenanceQuery.execute(db, {}),
  ]);
  held = build(version, facility, closures, machines, tariffs, maintenance);
  return held;
}

/** referenceData on SQLite, synchronously (inside the decision's own transaction). */
export function referenceDataSync(sqlite: SqliteDatabase.Database): Reference {
  const version = stampOf(versionQuery.get(sqlite, {}));
  if (held?.version === version) return held;
  held = build(
    version,
    facilityQuery.get(sqlite, {}),
    closuresQuery.all(sqlite, {}),
    machinesQuery.all(sqlite, {}),
    tariffsQuery.all(sqlite, {}),
    maintenanceQuery.all(sqlite, {}),
  );
  return held;
}

/** The other active machines of a machine's type, by id (as sameTypeMachines). */
export function sameTypeIn(ref: Reference, machine: Pick<Machine, "id" | "type_id">): Machine[] {
  return [...ref.machines.values()].filter((m) => m.type_id === machine.type_id && m.id !== machine.id && m.status === "active");
}
