/** What every floor command shares: the permission check, the field error, the booking read, facility-local times. */
import type { DbOrTx } from "#db/connection";
import type { Booking } from "#db/schema";
import { formatTime } from "~/i18n/format";
import {
  localDateKey,
  zonedInstant,
} from "~/scheduling";
import { can } from "~/utils/permissions";
import type { Ctx } from "../booking/decision-input.server";
import { ServiceError, notFound } from "../errors.server";
import { bookingForUpdate } from "~/models/booking.server";

/** The operator name stored when the unit's own operator runs the machine. */
export const UNIT_OPERATOR_NAME = "Operator UPTD";

export function requireFloor(ctx: Ctx): void {
  if (!can(ctx.user, "floor:operate")) throw new ServiceError("forbidden", "error.forbidden.title");
}

export function invalid(key: string, field: string, params: Record<string, string | number> = {}): ServiceError {
  return new ServiceError("invalid", key, { field, params });
}

export async function lockBooking(trx: DbOrTx, id: number): Promise<Booking> {
  const b = await bookingForUpdate(trx, id);
  if (!b) throw notFound();
  return b;
}



/** The instant a facility-local "HH:mm" shows on the local day of `dayOf`. */
export function localTimeOn(dayOf: number, time: string, timeZone: string): number {
  return zonedInstant(localDateKey(dayOf, timeZone), time, timeZone);
}

/** "HH:mm" of an instant in the facility zone (for <input type="time">). */
export function inputTime(instant: number, timeZone: string): string {
  return formatTime(instant, "en", timeZone);
}
