/** Queries of the administration pages. Each takes the database or a transaction first. */
import { sql } from "kysely";
import type { DbOrTx } from "#db/connection";
import { likeInsensitive } from "#db/dialect";
import { SLOT_HOLDING_STATUSES } from "#db/schema";

const HOLDING = SLOT_HOLDING_STATUSES as unknown as string[];

export function listMachineTypes(db: DbOrTx) {
  return db.selectFrom("machine_types").selectAll().orderBy("name").execute();
}

export function getMachineWithType(db: DbOrTx, id: number) {
  return db
    .selectFrom("machines")
    .innerJoin("machine_types", "machine_types.id", "machines.type_id")
    .selectAll("machines")
    .select(["machine_types.name as type_name", "machine_types.code as type_code"])
    .where("machines.id", "=", id)
    .executeTakeFirst();
}

/** Every machine with its type and the number of future slot-holding bookings. */
export function listMachinesForAdmin(db: DbOrTx, now: number) {
  return db
    .selectFrom("machines")
    .innerJoin("machine_types", "machine_types.id", "machines.type_id")
    .selectAll("machines")
    .select((eb) => [
      "machine_types.name as type_name",
      "machine_types.code as type_code",
      eb
        .selectFrom("bookings")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("bookings.machine_id", "=", "machines.id")
        .where("bookings.start_at", ">", now)
        .where("bookings.status", "in", HOLDING)
        .as("future_bookings"),
    ])
    .orderBy("machine_types.name")
    .orderBy("machines.code")
    .execute();
}

/** Tariff history of a machine, newest first. */
export function listTariffs(db: DbOrTx, machineId: number) {
  return db
    .selectFrom("machine_tariffs")
    .leftJoin("users", "users.id", "machine_tariffs.created_by")
    .selectAll("machine_tariffs")
    .select("users.name as created_by_name")
    .where("machine_id", "=", machineId)
    .orderBy("effective_from", "desc")
    .orderBy("machine_tariffs.id", "desc")
    .execute();
}

/** Future slot-holding bookings of a machine, in time order. */
export function futureHoldingBookings(db: DbOrTx, machineId: number, now: number) {
  return db
    .selectFrom("bookings")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .selectAll("bookings")
    .select("ikms.name as ikm_name")
    .where("bookings.machine_id", "=", machineId)
    .where("bookings.start_at", ">", now)
    .where("bookings.status", "in", HOLDING)
    .orderBy("bookings.start_at")
    .execute();
}

export function listClosureYears(db: DbOrTx) {
  return db
    .selectFrom("closure_days")
    .select(sql<string>`substr(date, 1, 4)`.as("year"))
    .distinct()
    .orderBy("year")
    .execute()
    .then((rows) => rows.map((r) => r.year));
}

export function listClosures(db: DbOrTx, year: string) {
  return db
    .selectFrom("closure_days")
    .selectAll()
    .where("date", ">=", `${year}-01-01`)
    .where("date", "<=", `${year}-12-31`)
    .orderBy("date")
    .execute();
}

/** IKMs with their number of active members, by name; `q` filters by name, owner or NIB. */
export function listIkms(db: DbOrTx, q?: string) {
  let query = db
    .selectFrom("ikms")
    .selectAll("ikms")
    .select((eb) => [
      eb
        .selectFrom("users")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("users.ikm_id", "=", "ikms.id")
        .where("users.active", "=", 1)
        .as("members"),
    ])
    .orderBy("ikms.active", "desc")
    .orderBy("ikms.name");
  if (q) {
    const like = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        likeInsensitive(db, "ikms.name", like),
        likeInsensitive(db, "ikms.owner_name", like),
        eb("ikms.nib", "like", like),
      ]),
    );
  }
  return query.execute();
}

export function getIkm(db: DbOrTx, id: number) {
  return db.selectFrom("ikms").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listMembers(db: DbOrTx, ikmId: number) {
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "phone", "active", "language"])
    .where("ikm_id", "=", ikmId)
    .orderBy("active", "desc")
    .orderBy("name")
    .execute();
}

/** No-shows of an IKM since an instant (for the restriction status). */
export async function countNoShows(db: DbOrTx, ikmId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom("bookings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("ikm_id", "=", ikmId)
    .where("status", "=", "no_show")
    .where("start_at", ">=", since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listUsers(db: DbOrTx, filter: { role?: string; q?: string } = {}) {
  let query = db
    .selectFrom("users")
    .leftJoin("ikms", "ikms.id", "users.ikm_id")
    .select(["users.id", "users.name", "users.email", "users.phone", "users.role", "users.ikm_id", "users.active", "users.language", "ikms.name as ikm_name"])
    .orderBy("users.active", "desc")
    .orderBy("users.role")
    .orderBy("users.name");
  if (filter.role) query = query.where("users.role", "=", filter.role);
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        likeInsensitive(db, "users.name", like),
        likeInsensitive(db, "users.email", like),
        likeInsensitive(db, "users.phone", like),
        likeInsensitive(db, "ikms.name", like),
      ]),
    );
  }
  return query.execute();
}

export function getUserRow(db: DbOrTx, id: number) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("active", "=", 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Sessions (cookie or API) of a user that are still usable. */
export async function countLiveSessions(db: DbOrTx, userId: number, now: number): Promise<number> {
  const row = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listQualifications(db: DbOrTx) {
  return db
    .selectFrom("qualifications")
    .innerJoin("users", "users.id", "qualifications.user_id")
    .innerJoin("machine_types", "machine_types.id", "qualifications.machine_type_id")
    .leftJoin("ikms", "ikms.id", "users.ikm_id")
    .selectAll("qualifications")
    .select(["users.name as user_name", "users.role as user_role", "users.active as user_active", "ikms.name as ikm_name", "machine_types.name as type_name"])
    .orderBy("qualifications.valid_until", "desc")
    .orderBy("users.name")
    .execute();
}

/** Active users for the qualification form, IKM members grouped by their IKM. */
export function listQualifiableUsers(db: DbOrTx) {
  return db
    .selectFrom("users")
    .leftJoin("ikms", "ikms.id", "users.ikm_id")
    .select(["users.id", "users.name", "users.role", "ikms.name as ikm_name"])
    .where("users.active", "=", 1)
    .orderBy("ikms.name")
    .orderBy("users.name")
    .execute();
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actor?: number;
  from?: number;
  to?: number;
}

/** Audit events, newest first; `limit + 1` rows tell whether another page follows. */
export function listAuditEvents(db: DbOrTx, f: AuditFilter, limit: number, offset: number) {
  let q = db
    .selectFrom("audit_events")
    .leftJoin("users", "users.id", "audit_events.actor_user_id")
    .selectAll("audit_events")
    .select(["users.name as actor_name", "users.role as actor_role"])
    .orderBy("audit_events.created_at", "desc")
    .orderBy("audit_events.id", "desc")
    .limit(limit)
    .offset(offset);
  if (f.entity) q = q.where("audit_events.entity", "=", f.entity);
  if (f.entityId) q = q.where("audit_events.entity_id", "=", f.entityId);
  if (f.actor !== undefined) q = q.where("audit_events.actor_user_id", "=", f.actor);
  if (f.from !== undefined) q = q.where("audit_events.created_at", ">=", f.from);
  if (f.to !== undefined) q = q.where("audit_events.created_at", "<", f.to);
  return q.execute();
}

export function listAuditEntities(db: DbOrTx) {
  return db
    .selectFrom("audit_events")
    .select("entity")
    .distinct()
    .orderBy("entity")
    .execute()
    .then((rows) => rows.map((r) => r.entity));
}

/** Every user for the audit filter: staff first, then IKM members, by name. */
export function listAuditActors(db: DbOrTx) {
  return db
    .selectFrom("users")
    .select(["id", "name", "role"])
    .orderBy(sql`case role when 'admin' then 0 when 'manager' then 1 when 'technician' then 2 else 3 end`)
    .orderBy("name")
    .execute();
}

/** IKMs to choose from in a form: the active ones, plus the one already chosen even if inactive. */
export function listIkmOptions(db: DbOrTx, keepId: number | null = null) {
  return db
    .selectFrom("ikms")
    .select(["id", "name", "active"])
    .where((eb) => eb.or([eb("active", "=", 1), eb("id", "=", keepId ?? -1)]))
    .orderBy("name")
    .execute();
}

/** Names of the records an audit page refers to by id, to show "PRS-01 · Press …" instead of an id. */
export async function auditNames(db: DbOrTx, ids: { machines: number[]; ikms: number[]; users: number[]; types: number[] }) {
  const none = Promise.resolve([] as Array<{ id: number; label: string }>);
  const [machines, ikms, users, types] = await Promise.all([
    ids.machines.length ? db.selectFrom("machines").select(["id", "code", "name"]).where("id", "in", ids.machines).execute().then((r) => r.map((m) => ({ id: m.id, label: `${m.code} · ${m.name}` }))) : none,
    ids.ikms.length ? db.selectFrom("ikms").select(["id", "name as label"]).where("id", "in", ids.ikms).execute() : none,
    ids.users.length ? db.selectFrom("users").select(["id", "name as label"]).where("id", "in", ids.users).execute() : none,
    ids.types.length ? db.selectFrom("machine_types").select(["id", "name as label"]).where("id", "in", ids.types).execute() : none,
  ]);
  const map = (rows: Array<{ id: number; label: string }>) => new Map(rows.map((r) => [r.id, r.label]));
  return { machines: map(machines), ikms: map(ikms), users: map(users), types: map(types) };
}
