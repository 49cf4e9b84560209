/**
 * Reminders the day before: every confirmed booking that starts tomorrow (facility-local day)
 * gets one "reminder" notification for its IKM's members, once per booking. Run by the job in
 * ikm-jobs.server.ts; takes `now` so tests fix the clock.
 */
import { type Db, immediate } from "#db/connection";
import { loadFacility } from "~/models/scheduling.server";
import { localDay } from "~/scheduling";
import { notifyIkm } from "./notify.server";

export async function sendReminders(db: Db, now: number): Promise<number> {
  return immediate(db, async (trx) => {
    const { time_zone } = await loadFacility(trx);
    const tomorrow = localDay(localDay(now, time_zone).end, time_zone);
    const due = await trx
      .selectFrom("bookings")
      .innerJoin("machines", "machines.id", "bookings.machine_id")
      .select(["bookings.id", "bookings.ikm_id", "bookings.start_at", "bookings.end_at", "machines.code"])
      .where("bookings.status", "=", "confirmed")
      .where("bookings.start_at", ">=", tomorrow.start)
      .where("bookings.start_at", "<", tomorrow.end)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("notifications")
              .select("notifications.id")
              .whereRef("notifications.booking_id", "=", "bookings.id")
              .where("notifications.kind", "=", "reminder"),
          ),
        ),
      )
      .orderBy("bookings.start_at")
      .execute();
    for (const b of due) {
      await notifyIkm(trx, b.ikm_id, "reminder", b.id, { machine: b.code, start: Number(b.start_at), end: Number(b.end_at) }, now);
    }
    return due.length;
  });
}
