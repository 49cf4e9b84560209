/**
 * The initial schema: the whole domain of DESIGN.md. Frozen: never import app code here.
 * Instants are bigint epoch ms; booleans 0/1 integers; money integer rupiah.
 */
import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect";

const HOLDING = "('pending','confirmed','checked_in')";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  const id = (t: any) => (pg ? t.addColumn("id", "integer", (c: any) => c.primaryKey().generatedByDefaultAsIdentity()) : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement()));

  await db.schema
    .createTable("facility")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("hours_json", "text", (c) => c.notNull())
    .addColumn("operators_on_duty", "integer", (c) => c.notNull())
    .addColumn("slot_minutes", "integer", (c) => c.notNull())
    .addColumn("min_minutes", "integer", (c) => c.notNull())
    .addColumn("max_minutes", "integer", (c) => c.notNull())
    .addColumn("buffer_minutes", "integer", (c) => c.notNull())
    .addColumn("notice_minutes", "integer", (c) => c.notNull())
    .addColumn("horizon_days", "integer", (c) => c.notNull())
    .addColumn("weekly_quota_minutes", "integer", (c) => c.notNull())
    .addColumn("max_active_bookings", "integer", (c) => c.notNull())
    .addColumn("billing_increment_minutes", "integer", (c) => c.notNull())
    .addColumn("hourly_rate", "bigint", (c) => c.notNull())
    .addColumn("grace_minutes", "integer", (c) => c.notNull())
    .addColumn("noshow_count", "integer", (c) => c.notNull())
    .addColumn("noshow_window_days", "integer", (c) => c.notNull())
    .addColumn("restrict_days", "integer", (c) => c.notNull())
    .addColumn("waitlist_offer_minutes", "integer", (c) => c.notNull())
    .addColumn("allocation_cutoff_weekday", "integer", (c) => c.notNull())
    .addColumn("allocation_cutoff_time", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("closure_days")
    .addColumn("date", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await id(db.schema.createTable("machine_types"))
    .addColumn("code", "text", (c: any) => c.notNull().unique())
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("description", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable("machines"))
    .addColumn("code", "text", (c: any) => c.notNull().unique())
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("type_id", "integer", (c: any) => c.notNull().references("machine_types.id"))
    .addColumn("status", "text", (c: any) => c.notNull().check(sql`status in ('active','maintenance','retired')`))
    .addColumn("description", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("location", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("slot_minutes", "integer")
    .addColumn("min_minutes", "integer")
    .addColumn("max_minutes", "integer")
    .addColumn("buffer_minutes", "integer")
    .addColumn("notice_minutes", "integer")
    .addColumn("horizon_days", "integer")
    .addColumn("weekly_quota_minutes", "integer")
    .addColumn("max_active_bookings", "integer")
    .addColumn("billing_increment_minutes", "integer")
    .addColumn("requires_approval", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("requires_qualification", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("operator_mode", "text", (c: any) => c.notNull().check(sql`operator_mode in ('self','assisted','both')`))
    .addColumn("allocation_mode", "text", (c: any) => c.notNull().check(sql`allocation_mode in ('first_come','weekly_round')`))
    .addColumn("hours_json", "text")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("machines_type").on("machines").column("type_id").execute();

  await id(db.schema.createTable("machine_tariffs"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("hourly_rate", "bigint", (c: any) => c.notNull().check(sql`hourly_rate >= 0`))
    .addColumn("effective_from", "bigint", (c: any) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("machine_tariffs_machine").on("machine_tariffs").columns(["machine_id", "effective_from"]).execute();

  await id(db.schema.createTable("ikms"))
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("owner_name", "text", (c: any) => c.notNull())
    .addColumn("nib", "text", (c: any) => c.notNull().unique())
    .addColumn("phone", "text", (c: any) => c.notNull())
    .addColumn("address", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("sector", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("active", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("restricted_until", "bigint")
    .addColumn("restriction_reason", "text")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable("users"))
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("email", "text", (c: any) => c.unique())
    .addColumn("phone", "text", (c: any) => c.unique())
    .addColumn("password_hash", "text", (c: any) => c.notNull())
    .addColumn("role", "text", (c: any) => c.notNull().check(sql`role in ('ikm','technician','manager','admin')`))
    .addColumn("ikm_id", "integer", (c: any) => c.references("ikms.id"))
    .addColumn("language", "text", (c: any) => c.notNull().defaultTo("id"))
    .addColumn("active", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("calendar_token_hash", "text", (c: any) => c.unique())
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .addCheckConstraint("users_login_present", sql`email is not null or phone is not null`)
    .addCheckConstraint("users_ikm_role", sql`(role = 'ikm') = (ikm_id is not null)`)
    .execute();
  await db.schema.createIndex("users_ikm").on("users").column("ikm_id").execute();

  await id(db.schema.createTable("qualifications"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("machine_type_id", "integer", (c: any) => c.notNull().references("machine_types.id"))
    .addColumn("valid_until", "bigint", (c: any) => c.notNull())
    .addColumn("notes", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("created_by", "integer")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("qualifications_user").on("qualifications").columns(["user_id", "machine_type_id"]).execute();

  await id(db.schema.createTable("booking_series"))
    .addColumn("ikm_id", "integer", (c: any) => c.notNull().references("ikms.id"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("created_by", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("first_start", "bigint", (c: any) => c.notNull())
    .addColumn("duration_minutes", "integer", (c: any) => c.notNull())
    .addColumn("weeks", "integer", (c: any) => c.notNull())
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable("bookings"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("ikm_id", "integer", (c: any) => c.notNull().references("ikms.id"))
    .addColumn("booked_by", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("start_at", "bigint", (c: any) => c.notNull())
    .addColumn("end_at", "bigint", (c: any) => c.notNull())
    .addColumn("hold_end_at", "bigint", (c: any) => c.notNull())
    .addColumn("status", "text", (c: any) =>
      c.notNull().check(sql`status in ('pending','confirmed','checked_in','completed','cancelled','rejected','no_show')`),
    )
    .addColumn("source", "text", (c: any) =>
      c.notNull().check(sql`source in ('web','api','waitlist','backfill','walk_in','allocation')`),
    )
    .addColumn("purpose", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("assisted", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("series_id", "integer", (c: any) => c.references("booking_series.id"))
    .addColumn("override_reason", "text")
    .addColumn("status_reason", "text")
    .addColumn("cancelled_at", "bigint")
    .addColumn("late_cancel", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .addCheckConstraint(
      "bookings_span",
      sql`end_at > start_at and hold_end_at >= end_at and hold_end_at - start_at <= 172800000`,
    )
    .execute();
  await db.schema.createIndex("bookings_machine_start").on("bookings").columns(["machine_id", "start_at"]).execute();
  await db.schema.createIndex("bookings_ikm_start").on("bookings").columns(["ikm_id", "start_at"]).execute();
  await db.schema.createIndex("bookings_start").on("bookings").columns(["start_at"]).execute();
  await db.schema.createIndex("bookings_status_start").on("bookings").columns(["status", "start_at"]).execute();
  await db.schema.createIndex("bookings_series").on("bookings").column("series_id").execute();

  await id(db.schema.createTable("usage_records"))
    .addColumn("booking_id", "integer", (c: any) => c.notNull().unique().references("bookings.id"))
    .addColumn("actual_start", "bigint", (c: any) => c.notNull())
    .addColumn("actual_end", "bigint")
    .addColumn("operator_name", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("operator_kind", "text", (c: any) => c.notNull().check(sql`operator_kind in ('ikm','unit')`))
    .addColumn("output_quantity", pg ? "double precision" : "real") // float8: as exact as SQLite's REAL
    .addColumn("output_unit", "text")
    .addColumn("consumables", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("condition", "text")
    .addColumn("notes", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("billable_minutes", "integer")
    .addColumn("hourly_rate", "bigint")
    .addColumn("fee", "bigint")
    .addColumn("checked_in_by", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("confirmed_by", "integer", (c: any) => c.references("users.id"))
    .addColumn("confirmed_at", "bigint")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .addCheckConstraint("usage_span", sql`actual_end is null or actual_end > actual_start`)
    .execute();
  await db.schema.createIndex("usage_actual_start").on("usage_records").column("actual_start").execute();

  await id(db.schema.createTable("maintenance_windows"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("start_at", "bigint", (c: any) => c.notNull())
    .addColumn("end_at", "bigint")
    .addColumn("kind", "text", (c: any) => c.notNull().check(sql`kind in ('planned','breakdown')`))
    .addColumn("reason", "text", (c: any) => c.notNull())
    .addColumn("created_by", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("resolved_at", "bigint")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addCheckConstraint("maintenance_span", sql`end_at is null or end_at > start_at`)
    .execute();
  await db.schema.createIndex("maintenance_machine_start").on("maintenance_windows").columns(["machine_id", "start_at"]).execute();

  await id(db.schema.createTable("waitlist_entries"))
    .addColumn("ikm_id", "integer", (c: any) => c.notNull().references("ikms.id"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("machine_id", "integer", (c: any) => c.references("machines.id"))
    .addColumn("machine_type_id", "integer", (c: any) => c.notNull().references("machine_types.id"))
    .addColumn("earliest_start", "bigint", (c: any) => c.notNull())
    .addColumn("latest_end", "bigint", (c: any) => c.notNull())
    .addColumn("duration_minutes", "integer", (c: any) => c.notNull())
    .addColumn("assisted", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("purpose", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c: any) =>
      c.notNull().check(sql`status in ('waiting','offered','booked','expired','withdrawn')`),
    )
    .addColumn("offered_booking_id", "integer", (c: any) => c.references("bookings.id"))
    .addColumn("offer_expires_at", "bigint")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addColumn("updated_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("waitlist_status_type").on("waitlist_entries").columns(["status", "machine_type_id"]).execute();
  await db.schema.createIndex("waitlist_ikm").on("waitlist_entries").column("ikm_id").execute();

  await id(db.schema.createTable("booking_attempts"))
    .addColumn("ikm_id", "integer", (c: any) => c.notNull().references("ikms.id"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("machine_type_id", "integer", (c: any) => c.notNull().references("machine_types.id"))
    .addColumn("start_at", "bigint", (c: any) => c.notNull())
    .addColumn("end_at", "bigint", (c: any) => c.notNull())
    .addColumn("codes", "text", (c: any) => c.notNull())
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("attempts_start").on("booking_attempts").column("start_at").execute();
  await db.schema.createIndex("attempts_ikm_type").on("booking_attempts").columns(["ikm_id", "machine_type_id"]).execute();

  await id(db.schema.createTable("allocation_rounds"))
    .addColumn("machine_id", "integer", (c: any) => c.notNull().references("machines.id"))
    .addColumn("week_start", "bigint", (c: any) => c.notNull())
    .addColumn("cutoff_at", "bigint", (c: any) => c.notNull())
    .addColumn("status", "text", (c: any) => c.notNull().check(sql`status in ('open','allocated')`))
    .addColumn("seed", "text")
    .addColumn("allocated_at", "bigint")
    .addColumn("result_json", "text")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .addUniqueConstraint("allocation_rounds_machine_week", ["machine_id", "week_start"])
    .execute();

  await id(db.schema.createTable("allocation_requests"))
    .addColumn("round_id", "integer", (c: any) => c.notNull().references("allocation_rounds.id"))
    .addColumn("ikm_id", "integer", (c: any) => c.notNull().references("ikms.id"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("start_at", "bigint", (c: any) => c.notNull())
    .addColumn("end_at", "bigint", (c: any) => c.notNull())
    .addColumn("purpose", "text", (c: any) => c.notNull().defaultTo(""))
    .addColumn("assisted", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c: any) =>
      c.notNull().check(sql`status in ('requested','granted','refused','withdrawn')`),
    )
    .addColumn("booking_id", "integer", (c: any) => c.references("bookings.id"))
    .addColumn("explanation_json", "text")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("allocation_requests_round").on("allocation_requests").column("round_id").execute();

  await id(db.schema.createTable("notifications"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c: any) => c.notNull())
    .addColumn("booking_id", "integer", (c: any) => c.references("bookings.id"))
    .addColumn("params_json", "text", (c: any) => c.notNull().defaultTo("{}"))
    .addColumn("read_at", "bigint")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "created_at"]).execute();

  await id(db.schema.createTable("audit_events"))
    .addColumn("actor_user_id", "integer", (c: any) => c.references("users.id"))
    .addColumn("action", "text", (c: any) => c.notNull())
    .addColumn("entity", "text", (c: any) => c.notNull())
    .addColumn("entity_id", "text", (c: any) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("reason", "text")
    .addColumn("request_id", "text")
    .addColumn("created_at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_entity").on("audit_events").columns(["entity", "entity_id"]).execute();
  await db.schema.createIndex("audit_created").on("audit_events").column("created_at").execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('cookie','api')`))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await id(db.schema.createTable("login_failures"))
    .addColumn("key", "text", (c: any) => c.notNull())
    .addColumn("at", "bigint", (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failures_key_at").on("login_failures").columns(["key", "at"]).execute();

  if (pg) {
    // The no-overlap guarantee on PostgreSQL: an exclusion constraint over the held span.
    await sql`create extension if not exists btree_gist`.execute(db);
    await sql`alter table bookings add constraint bookings_no_overlap exclude using gist (
      machine_id with =, int8range(start_at, hold_end_at) with &&) where (status in ${sql.raw(HOLDING)})`.execute(db);
  } else {
    // The no-overlap guarantee on SQLite: triggers refuse any slot-holding booking whose held span
    // [start_at, hold_end_at) meets another's on the same machine. Bounded on both sides so the
    // (machine_id, start_at) index serves it.
    const clash = (extra: string) => `
      SELECT RAISE(ABORT, 'BOOKING_OVERLAP') WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.machine_id = NEW.machine_id
          AND b.start_at < NEW.hold_end_at
          AND b.start_at > NEW.start_at - 172800000
          AND b.hold_end_at > NEW.start_at
          AND b.status IN ${HOLDING}${extra});`;
    await sql
      .raw(`CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
        WHEN NEW.status IN ${HOLDING}
        BEGIN ${clash("")} END`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF status, start_at, end_at, hold_end_at, machine_id ON bookings
        WHEN NEW.status IN ${HOLDING} AND (OLD.status NOT IN ${HOLDING} OR OLD.start_at <> NEW.start_at
          OR OLD.hold_end_at <> NEW.hold_end_at OR OLD.machine_id <> NEW.machine_id)
        BEGIN ${clash(" AND b.id <> NEW.id")} END`)
      .execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error("The initial schema is not reversible; restore a backup instead.");
}
