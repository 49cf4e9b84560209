import type { Machine } from "#db/schema";
import { effectiveRules, loadFacility, tariffAt } from "~/models/scheduling.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

/** Machines as the API shows them: type and every effective rule setting (machine value or facility default). */
export async function apiMachineJson(machines: Array<Machine & { type_name: string; type_code: string }>) {
  const facility = await loadFacility(db());
  const t = now();
  return Promise.all(
    machines.map(async (m) => {
      const rules = effectiveRules(m, facility, await tariffAt(db(), m.id, t, facility));
      return {
        id: m.id,
        code: m.code,
        name: m.name,
        type: { id: m.type_id, code: m.type_code, name: m.type_name },
        status: m.status,
        description: m.description,
        location: m.location,
        allocationMode: m.allocation_mode,
        ...rules,
      };
    }),
  );
}
