/**
 * An index for the operators-on-duty check (NO_OPERATOR): assisted, slot-holding bookings of all
 * machines by time. Without it the query walks every slot-holding booking in its window (all
 * machines) and reads each row to test `assisted`; with it, only the assisted ones, from the index
 * alone (bench/README.md: 395 µs → about 60 µs on the benchmark data set). Frozen: no app imports.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("bookings_assisted_status_start")
    .on("bookings")
    .columns(["assisted", "status", "start_at", "end_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("bookings_assisted_status_start").execute();
}
