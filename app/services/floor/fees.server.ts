/** The fee of real usage: the engine's computeFee at the tariff in force at the actual start. */
import type { DbOrTx } from "#db/connection";
import type { Facility, Machine } from "#db/schema";
import {
  type FacilityCalendar,
  MINUTE_MS,
  breakIntervals,
  computeFee,
} from "~/scheduling";
import { tariffAt } from "~/models/scheduling.server";
import type { FeeBreakdown } from "~/views/floor";

function incrementOf(machine: Machine, facility: Facility): number {
  return machine.billing_increment_minutes ?? facility.billing_increment_minutes;
}

/** The engine's fee for a session at a given hourly rate (breaks of the session's day excluded). */
export function feeWithRate(machine: Machine, facility: Facility, calendar: FacilityCalendar, start: number, end: number, hourlyRate: number): FeeBreakdown {
  const breaks = breakIntervals({ start, end }, calendar);
  const fee = computeFee({ actualStart: start, actualEnd: end, billingIncrementMinutes: incrementOf(machine, facility), hourlyRate, breaks });
  const sessionMinutes = Math.round(Math.max(0, end - start) / MINUTE_MS);
  return {
    start,
    end,
    actualMinutes: fee.actualMinutes,
    breakMinutes: Math.max(0, sessionMinutes - fee.actualMinutes),
    billableMinutes: fee.billableMinutes,
    incrementMinutes: incrementOf(machine, facility),
    hourlyRate,
    fee: fee.fee,
  };
}

/** The fee with the tariff in force at the actual start. */
export async function feeAtTariff(db: DbOrTx, machine: Machine, facility: Facility, calendar: FacilityCalendar, start: number, end: number): Promise<FeeBreakdown> {
  const rate = await tariffAt(db, machine.id, start, facility);
  return feeWithRate(machine, facility, calendar, start, end, rate);
}
