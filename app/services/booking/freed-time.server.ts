/**
 * Freed time (a cancellation, rejection or no-show, or a maintenance window ended early) is
 * offered to the waitlist by the listeners registered here (the waitlist service). Call
 * `slotFreed` for a booking or `timeFreed` for any interval, inside the same transaction.
 */
import type { DbOrTx } from "#db/connection";
import type { Booking } from "#db/schema";
import type {
  Interval,
} from "~/scheduling";
import type { Ctx } from "./decision-input.server";

type FreedListener = (trx: DbOrTx, ctx: Ctx, freed: { machineId: number } & Interval) => Promise<void>;
const freedListeners: FreedListener[] = [];
export function onSlotFreed(listener: FreedListener): void {
  freedListeners.push(listener);
}
export async function timeFreed(trx: DbOrTx, ctx: Ctx, freed: { machineId: number } & Interval): Promise<void> {
  for (const l of freedListeners) await l(trx, ctx, freed);
}
export function slotFreed(trx: DbOrTx, ctx: Ctx, b: Booking): Promise<void> {
  return timeFreed(trx, ctx, { machineId: b.machine_id, start: Number(b.start_at), end: Number(b.end_at) });
}
