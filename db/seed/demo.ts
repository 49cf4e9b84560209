/**
 * seedDemo(): fills an empty database with a realistic UPTD Logam Purbalingga (DESIGN.md,
 * "Demo data"): 12 machines, 25 IKMs of the knalpot cluster, staff and IKM logins, the 2026
 * closure days, 90 days of history with usage and fees, 30 days of future bookings,
 * maintenance, refused requests, a waitlist and notifications. Never for production.
 */
import { sql } from "kysely";
import { localDay } from "../../app/scheduling/calendar";
import { hashPassword } from "../../app/utils/password.server";
import type { Db, DbOrTx } from "../connection";
import { syncIdentitySequences } from "../dialect";
import { ensureFacility } from "../facility-defaults";
import { IKMS, STAFF, ikmEmail } from "./catalog";
import { parseClosureCsv, readClosureCsv } from "./closures";
import type { DemoPlan, IdBases } from "./model";
import { planDemo } from "./plan";
import { seedRounds } from "./rounds";

export const DEFAULT_DEMO_PASSWORD = "giliran-demo";

/** The logins the README lists; all share the demo password. */
export const DEMO_LOGINS: readonly { login: string; who: string }[] = [
  { login: STAFF.admin.email, who: "admin" },
  { login: STAFF.manager.email, who: "manager (Kepala UPTD)" },
  { login: STAFF.technicians[0].email, who: "technician" },
  { login: ikmEmail(1), who: `IKM member, ${IKMS[0].name}` },
  { login: ikmEmail(2), who: `IKM member, ${IKMS[1].name}` },
];

export interface SeedOptions {
  /** The current instant: history ends yesterday, future bookings start tomorrow. */
  now: number;
  /** Password of every demo user. */
  password: string;
}

export interface SeedSummary {
  machineTypes: number;
  machines: number;
  tariffs: number;
  ikms: number;
  users: number;
  qualifications: number;
  closureDays: number;
  maintenanceWindows: number;
  bookings: number;
  futureBookings: number;
  bookingsByStatus: Record<string, number>;
  usageRecords: number;
  /** Sum of the fees of all usage records, in rupiah. */
  fees: number;
  bookingAttempts: number;
  waitlistEntries: number;
  notifications: number;
}

/** Rows per INSERT statement (keeps each well under SQLite's bound-parameter limit). */
const CHUNK = 200;

/** The demo unit's WhatsApp/telephone number (not a real one). */
export const DEMO_CONTACT_PHONE = "+6281200001234";

/**
 * Seed the demo data in one transaction. Refuses (throws) when the database has users: the
 * demo is only for a fresh database. Deterministic for a given local day of `now`.
 */
export async function seedDemo(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  await assertNoUsers(db); // before the slow password hash
  const passwordHash = await hashPassword(opts.password); // once, shared by every demo user
  return db.transaction().execute(async (trx) => {
    await assertNoUsers(trx);
    await ensureFacility(trx, opts.now);
    // The unit's contact for members (a demo number), shown on the login page.
    await trx.updateTable("facility").set({ contact_phone: DEMO_CONTACT_PHONE }).where("id", "=", 1).execute();
    const facility = await trx.selectFrom("facility").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    const today = localDay(opts.now, facility.time_zone).start;
    const closureRows = parseClosureCsv(readClosureCsv(), today);
    await inChunks(closureRows, (rows) =>
      trx
        .insertInto("closure_days")
        .values(rows)
        .onConflict((oc) => oc.column("date").doNothing())
        .execute(),
    );
    const closures = new Set((await trx.selectFrom("closure_days").select("date").execute()).map((r) => r.date));
    const plan = planDemo({ now: opts.now, facility, closures, passwordHash, ids: await idBases(trx) });
    await writePlan(trx, plan);
    await seedRounds(trx, { plan, now: opts.now, facility, closures });
    await syncIdentitySequences(trx); // PostgreSQL: the plan inserted explicit ids
    const summary = summarize(plan, opts.now, closures.size);
    await trx
      .insertInto("audit_events")
      .values({
        actor_user_id: null,
        action: "seed",
        entity: "database",
        entity_id: "demo",
        after_json: JSON.stringify(summary),
        reason: "Data demo UPTD Logam Purbalingga",
        created_at: opts.now,
      })
      .execute();
    return summary;
  });
}

async function assertNoUsers(db: DbOrTx): Promise<void> {
  const user = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (user) throw new Error("Refusing to seed demo data: the database already has users.");
}

/** The next free id of each table that other demo rows refer to. */
async function idBases(db: DbOrTx): Promise<IdBases> {
  const next = async (table: string) => {
    const { rows } = await sql<{ max: number | null }>`select max(id) as max from ${sql.table(table)}`.execute(db);
    return (rows[0]?.max ?? 0) + 1;
  };
  return {
    machineTypes: await next("machine_types"),
    machines: await next("machines"),
    ikms: await next("ikms"),
    users: await next("users"),
    bookings: await next("bookings"),
  };
}

/** Insert every table of the plan, parents before children, in chunks. */
async function writePlan(trx: DbOrTx, plan: DemoPlan): Promise<void> {
  await inChunks(plan.machineTypes, (rows) => trx.insertInto("machine_types").values(rows).execute());
  await inChunks(plan.machines, (rows) => trx.insertInto("machines").values(rows).execute());
  await inChunks(plan.tariffs, (rows) => trx.insertInto("machine_tariffs").values(rows).execute());
  await inChunks(plan.ikms, (rows) => trx.insertInto("ikms").values(rows).execute());
  await inChunks(plan.users, (rows) => trx.insertInto("users").values(rows).execute());
  await inChunks(plan.qualifications, (rows) => trx.insertInto("qualifications").values(rows).execute());
  await inChunks(plan.maintenance, (rows) => trx.insertInto("maintenance_windows").values(rows).execute());
  await inChunks(plan.bookings, (rows) => trx.insertInto("bookings").values(rows).execute());
  await inChunks(plan.usage, (rows) => trx.insertInto("usage_records").values(rows).execute());
  await inChunks(plan.attempts, (rows) => trx.insertInto("booking_attempts").values(rows).execute());
  await inChunks(plan.waitlist, (rows) => trx.insertInto("waitlist_entries").values(rows).execute());
  await inChunks(plan.notifications, (rows) => trx.insertInto("notifications").values(rows).execute());
}

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

function summarize(plan: DemoPlan, now: number, closureDays: number): SeedSummary {
  const bookingsByStatus: Record<string, number> = {};
  for (const b of plan.bookings) bookingsByStatus[b.status] = (bookingsByStatus[b.status] ?? 0) + 1;
  return {
    machineTypes: plan.machineTypes.length,
    machines: plan.machines.length,
    tariffs: plan.tariffs.length,
    ikms: plan.ikms.length,
    users: plan.users.length,
    qualifications: plan.qualifications.length,
    closureDays,
    maintenanceWindows: plan.maintenance.length,
    bookings: plan.bookings.length,
    futureBookings: plan.bookings.filter((b) => b.start_at > now).length,
    bookingsByStatus,
    usageRecords: plan.usage.length,
    fees: plan.usage.reduce((sum, u) => sum + (u.fee ?? 0), 0),
    bookingAttempts: plan.attempts.length,
    waitlistEntries: plan.waitlist.length,
    notifications: plan.notifications.length,
  };
}
