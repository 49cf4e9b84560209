/**
 * The fee (retribusi) of one usage: hourly tariff × billable time, in whole rupiah.
 */
import { MINUTE_MS, minutesWithin, normalize } from "./intervals";
import type { Instant, Interval } from "./types";

export interface FeeInput {
  actualStart: Instant;
  actualEnd: Instant;
  billingIncrementMinutes: number;
  /** Rupiah per hour. */
  hourlyRate: number;
  /** The unit's breaks around the session (breakIntervals of its day): not used, not billed. */
  breaks: Interval[];
}

export interface Fee {
  actualMinutes: number;
  billableMinutes: number;
  /** Whole rupiah. */
  fee: number;
}

/**
 * Actual minutes are the session's length minus the time it spent in breaks, rounded to the
 * nearest whole minute (a check-out a few seconds late is not billed another increment; an end
 * at or before the start counts as 0). Billable minutes are the actual minutes rounded up to the
 * billing increment, at least one increment. The fee is hourlyRate × billable hours, rounded to
 * whole rupiah.
 */
export function computeFee(input: FeeInput): Fee {
  const session = { start: input.actualStart, end: input.actualEnd };
  const sessionMs = Math.max(0, session.end - session.start);
  const breakMs = minutesWithin(normalize(input.breaks), session) * MINUTE_MS;
  const actualMinutes = Math.round((sessionMs - breakMs) / MINUTE_MS);
  const increment = input.billingIncrementMinutes;
  const billableMinutes = Math.max(1, Math.ceil(actualMinutes / increment)) * increment;
  return { actualMinutes, billableMinutes, fee: Math.round((input.hourlyRate * billableMinutes) / 60) };
}
