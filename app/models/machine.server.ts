import type { DbOrTx } from "#db/connection";

/** Machines with their type, ordered by type then code (retired ones excluded unless asked). */
export function listMachines(db: DbOrTx, opts: { includeRetired?: boolean } = {}) {
  let q = db
    .selectFrom("machines")
    .innerJoin("machine_types", "machine_types.id", "machines.type_id")
    .selectAll("machines")
    .select(["machine_types.name as type_name", "machine_types.code as type_code"])
    .orderBy("machine_types.name")
    .orderBy("machines.code");
  if (!opts.includeRetired) q = q.where("machines.status", "!=", "retired");
  return q.execute();
}
