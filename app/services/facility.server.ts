/** The facility's settings as the engine needs them (calendar, default rules), loaded from the database. */
import { TZDate } from "@date-fns/tz";
import type { DbOrTx } from "#db/connection";
import { db } from "~/utils/db.server";

export async function facilityRow(database: DbOrTx = db()) {
  return database.selectFrom("facility").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}

/** [00:00, next 00:00) of the local day of `instant` in the facility zone. */
export async function localDayRange(instant: number, database: DbOrTx = db()): Promise<{ start: number; end: number }> {
  const { time_zone } = await facilityRow(database);
  const d = new TZDate(instant, time_zone);
  const start = new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), time_zone).getTime();
  const end = new TZDate(d.getFullYear(), d.getMonth(), d.getDate() + 1, time_zone).getTime();
  return { start, end };
}
