/**
 * Closure days not entered for a coming year: without them 1 January and every holiday of that
 * year can be booked. From 60 days before such a year (or once the booking horizon reaches it) the
 * admin is warned on the admin home and once by a notification; members see those days marked.
 */
import type { DbOrTx } from "#db/connection";
import { listClosureYears } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { activeUserIds, usersNotified } from "~/models/user.server";
import { rolesWith } from "~/utils/permissions";
import { DAY_MS, localDateKey } from "~/scheduling";
import { notifyUsers } from "../messaging/notify.server";

/** How long before a year its closure days should be there. */
export const CLOSURE_WARN_DAYS = 60;

/** The years from this one up to 60 days ahead (or the booking horizon, if further) that have no closure day entered. */
export async function missingClosureYears(db: DbOrTx, now: number): Promise<string[]> {
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const entered = new Set(await listClosureYears(db));
  const first = Number(localDateKey(now, tz).slice(0, 4));
  const last = Number(localDateKey(now + Math.max(CLOSURE_WARN_DAYS, facility.horizon_days) * DAY_MS, tz).slice(0, 4));
  const missing: string[] = [];
  for (let year = first; year <= last; year++) if (!entered.has(String(year))) missing.push(String(year));
  return missing;
}

/** The job: one notification per missing year to each active user who may enter closure days, never twice. Returns how many were written. */
export async function notifyMissingClosureYears(db: DbOrTx, now: number): Promise<number> {
  let written = 0;
  const missing = await missingClosureYears(db, now);
  const admins = missing.length ? await activeUserIds(db, rolesWith("admin:write")) : [];
  for (const year of missing) {
    const params = { year };
    const told = await usersNotified(db, "closures_missing", params);
    const due = admins.filter((id) => !told.has(id));
    await notifyUsers(db, due, "closures_missing", null, params, now);
    written += due.length;
  }
  return written;
}
