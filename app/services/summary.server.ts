/** Service figures for the manager's home: this month so far (facility time). */
import { TZDate } from "@date-fns/tz";
import { db } from "~/utils/db.server";
import { facilityRow } from "./facility.server";

export async function monthSummary(at: number) {
  const { time_zone } = await facilityRow();
  const d = new TZDate(at, time_zone);
  const from = new TZDate(d.getFullYear(), d.getMonth(), 1, time_zone).getTime();
  const row = await db()
    .selectFrom("usage_records")
    .innerJoin("bookings", "bookings.id", "usage_records.booking_id")
    .select((eb) => [
      eb.fn.count<number>("bookings.id").as("bookings"),
      eb.fn.count<number>("bookings.ikm_id").distinct().as("ikms"),
      eb.fn.sum<number>(eb("usage_records.actual_end", "-", eb.ref("usage_records.actual_start"))).as("ms"),
      eb.fn.sum<number>("usage_records.fee").as("fees"),
    ])
    .where("bookings.status", "=", "completed")
    .where("usage_records.actual_start", ">=", from)
    .where("usage_records.actual_start", "<", at)
    .executeTakeFirst();
  return {
    from,
    ikmsServed: Number(row?.ikms ?? 0),
    bookingsServed: Number(row?.bookings ?? 0),
    hoursServed: Number(row?.ms ?? 0) / 3_600_000,
    fees: Number(row?.fees ?? 0),
  };
}
