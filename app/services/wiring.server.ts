/**
 * How the services are wired together, in one place: the listener that offers freed time to the
 * waitlist, and the background jobs of the server process (waitlist offer expiry, reminders the
 * day before, allocation rounds at their cut-off, the admins told of a coming year without closure days,
 * the reports' per-day summary kept built). The server entry calls wireServices() once;
 * no service registers anything when it is imported.
 */
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { onSlotFreed } from "./booking/freed-time.server";
import { expireWaitlist, offerFreedTime } from "./booking/waitlist.server";
import { registerJob } from "./jobs.server";
import { notifyMissingClosureYears } from "./admin/closure-years.server";
import { sendReminders } from "./messaging/reminders.server";
import { refreshSummary } from "./reports/summary.server";
import { runDueRounds } from "./rounds/allocate.server";

let wired = false;

/** Register the freed-time listener and the jobs; a second call does nothing. */
export function wireServices(): void {
  if (wired) return;
  wired = true;
  onSlotFreed(offerFreedTime);
  registerJob({ name: "waitlist-expiry", everyMs: 60_000, run: () => expireWaitlist(db(), now()) });
  registerJob({ name: "reminders", everyMs: 10 * 60_000, run: () => sendReminders(db(), now()) });
  registerJob({ name: "allocation-rounds", everyMs: 60_000, run: () => runDueRounds(db(), now()) });
  registerJob({ name: "closure-years", everyMs: 60 * 60_000, run: () => notifyMissingClosureYears(db(), now()) });
  // A month of days per run at most (well under a second of write lock); a year is built within minutes of a start.
  registerJob({ name: "report-summary", everyMs: 15_000, run: () => refreshSummary(db(), now(), { limitDays: 31 }) });
}
