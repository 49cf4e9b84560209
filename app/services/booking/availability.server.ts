/**
 * Free/busy per machine over a range, for the board, the machine page and the API. Reads are
 * plain (no transaction): availability is a view, the decision re-checks everything.
 */
import type { Machine } from "#db/schema";
import { type FreeBusy, freeBusy } from "~/scheduling";
import { loadCalendar, loadFacility, loadMachineStates } from "~/models/scheduling.server";
import { db } from "~/utils/db.server";

export interface MachineAvailability extends FreeBusy {
  machineId: number;
}

export async function availability(machines: Machine[], range: { start: number; end: number }): Promise<MachineAvailability[]> {
  const database = db();
  const facility = await loadFacility(database);
  const [calendar, states] = await Promise.all([loadCalendar(database, facility), loadMachineStates(database, machines, facility, range, range.start)]);
  return states.map((s) => ({ machineId: s.machine.id, ...freeBusy(s, calendar, range) }));
}
