import type { Db } from "./connection";
import type { FacilityTable } from "./schema";

/** The civil-service week of 37.5 h (DESIGN.md): Mon–Thu 07.30–16.00 with a 12.00–13.00 break,
 * Fri 07.30–16.30 with an 11.30–13.00 break, Sat–Sun closed. */
export const DEFAULT_HOURS = {
  1: [{ start: "07:30", end: "12:00" }, { start: "13:00", end: "16:00" }],
  2: [{ start: "07:30", end: "12:00" }, { start: "13:00", end: "16:00" }],
  3: [{ start: "07:30", end: "12:00" }, { start: "13:00", end: "16:00" }],
  4: [{ start: "07:30", end: "12:00" }, { start: "13:00", end: "16:00" }],
  5: [{ start: "07:30", end: "11:30" }, { start: "13:00", end: "16:30" }],
  6: [],
  7: [],
};

export const DEFAULT_FACILITY: Omit<FacilityTable, "id" | "updated_at"> = {
  name: "UPTD Logam Purbalingga",
  time_zone: "Asia/Jakarta",
  hours_json: JSON.stringify(DEFAULT_HOURS),
  operators_on_duty: 2,
  slot_minutes: 30,
  min_minutes: 30,
  max_minutes: 480,
  buffer_minutes: 0,
  notice_minutes: 120,
  horizon_days: 30,
  weekly_quota_minutes: 960,
  max_active_bookings: 10,
  billing_increment_minutes: 30,
  hourly_rate: 100000,
  grace_minutes: 30,
  noshow_count: 3,
  noshow_window_days: 60,
  restrict_days: 30,
  waitlist_offer_minutes: 120,
  allocation_cutoff_weekday: 4,
  allocation_cutoff_time: "12:00",
  contact_phone: null,
};

/** Make sure the single facility row exists (with defaults), on every start. */
export async function ensureFacility(db: Db, now: number): Promise<void> {
  const row = await db.selectFrom("facility").select("id").where("id", "=", 1).executeTakeFirst();
  if (!row) {
    await db.insertInto("facility").values({ id: 1, ...DEFAULT_FACILITY, updated_at: now }).execute();
  }
}
