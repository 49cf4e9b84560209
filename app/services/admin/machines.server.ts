/**
 * Machines, machine types and tariffs. A rule change is judged before it is written: every
 * future slot-holding booking of the machine is decided again by the engine with the new rules
 * (as a staff actor, excluding itself), and the violations the change would introduce are shown
 * first. Nothing is stored about them: they stay, and the machine page flags every future booking
 * that no longer fits, computed when the page is listed.
 */
import { createHash } from "node:crypto";
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, Facility, Machine, MachineTariff } from "#db/schema";
import { MAX_HOLD_MS } from "#db/schema";
import { futureHoldingBookings, getMachineWithType } from "~/models/admin.server";
import { loadFacility, machineInfo } from "~/models/scheduling.server";
import { type BookingSource, type OperatorMode, type Violation, decide, effectiveAssisted } from "~/scheduling";
import type { MachineCreate, MachinePatch } from "~/schemas/admin";
import { type AdminCtx, fieldError, startOfLocalDate, todayKey, withUniqueFields } from "./common.server";
import { audit } from "../audit.server";
import { loadDecisionInput } from "../booking/decision-input.server";
import { ServiceError, notFound } from "../errors.server";
import type { AffectedBooking } from "~/views/admin";

/** The rule columns of a machine (null = the facility default) and their API names. */
const RULE_COLUMNS = {
  slotMinutes: "slot_minutes",
  minMinutes: "min_minutes",
  maxMinutes: "max_minutes",
  bufferMinutes: "buffer_minutes",
  noticeMinutes: "notice_minutes",
  horizonDays: "horizon_days",
  weeklyQuotaMinutes: "weekly_quota_minutes",
  maxActiveBookings: "max_active_bookings",
  billingIncrementMinutes: "billing_increment_minutes",
} as const;

type MachineChange = Omit<MachinePatch, "confirmAffected" | "hourlyRate" | "tariffFrom">;

/** A machine row with the changes applied (not written). */
function applyChange(m: Machine, c: MachineChange, now: number): Machine {
  const next: Machine = { ...m, updated_at: now };
  if (c.code !== undefined) next.code = c.code;
  if (c.name !== undefined) next.name = c.name;
  if (c.typeId !== undefined) next.type_id = c.typeId;
  if (c.status !== undefined) next.status = c.status;
  if (c.description !== undefined) next.description = c.description;
  if (c.location !== undefined) next.location = c.location;
  for (const [key, column] of Object.entries(RULE_COLUMNS) as Array<[keyof typeof RULE_COLUMNS, (typeof RULE_COLUMNS)[keyof typeof RULE_COLUMNS]]>) {
    const v = c[key];
    if (v !== undefined) next[column] = v;
  }
  if (c.requiresApproval !== undefined) next.requires_approval = c.requiresApproval ? 1 : 0;
  if (c.requiresQualification !== undefined) next.requires_qualification = c.requiresQualification ? 1 : 0;
  if (c.operatorMode !== undefined) next.operator_mode = c.operatorMode;
  if (c.allocationMode !== undefined) next.allocation_mode = c.allocationMode;
  if (c.hours !== undefined) next.hours_json = c.hours === null ? null : JSON.stringify(c.hours);
  return next;
}

type SpanField = "slotMinutes" | "minMinutes" | "maxMinutes" | "bufferMinutes";

/**
 * Effective slot, minimum, maximum and buffer must make sense together. `own` tells which of
 * them the record sets itself (the error goes on a field the user can change).
 */
export function checkSpan(r: { slot: number; min: number; max: number; buffer: number }, own: (f: SpanField) => boolean): void {
  if (r.min < r.slot) throw fieldError(own("minMinutes") ? "minMinutes" : "slotMinutes", "admin.rule.v.minSlot", { slot: r.slot, min: r.min });
  if (r.max < r.min) throw fieldError(own("maxMinutes") ? "maxMinutes" : "minMinutes", "admin.rule.v.minMax", { min: r.min, max: r.max });
  if ((r.max + r.buffer) * 60_000 > MAX_HOLD_MS) {
    throw fieldError(own("maxMinutes") ? "maxMinutes" : "bufferMinutes", "admin.rule.v.hold", { hours: MAX_HOLD_MS / 3_600_000 });
  }
}

/** A machine's effective rules (facility defaults filled in) must make sense together. */
export function checkRuleConsistency(m: Machine, f: Facility): void {
  const set: Record<SpanField, number | null> = { slotMinutes: m.slot_minutes, minMinutes: m.min_minutes, maxMinutes: m.max_minutes, bufferMinutes: m.buffer_minutes };
  checkSpan(
    { slot: m.slot_minutes ?? f.slot_minutes, min: m.min_minutes ?? f.min_minutes, max: m.max_minutes ?? f.max_minutes, buffer: m.buffer_minutes ?? f.buffer_minutes },
    (field) => set[field] !== null,
  );
}

async function requireType(db: DbOrTx, typeId: number): Promise<void> {
  const t = await db.selectFrom("machine_types").select("id").where("id", "=", typeId).executeTakeFirst();
  if (!t) throw fieldError("typeId", "admin.machine.v.type");
}

/**
 * The instant a new tariff takes effect: local midnight of its date. A date before today is
 * refused once the machine has a tariff, so fees already charged never change their basis.
 */
async function tariffStart(db: DbOrTx, machineId: number | null, dateKey: string | undefined, now: number, tz: string): Promise<number> {
  const today = todayKey(now, tz);
  const key = dateKey ?? today;
  if (key < today && machineId !== null) {
    const any = await db.selectFrom("machine_tariffs").select("id").where("machine_id", "=", machineId).limit(1).executeTakeFirst();
    if (any) throw fieldError("tariffFrom", "admin.tariff.v.past");
  }
  return startOfLocalDate(key, tz);
}

export async function createMachine(db: Db, ctx: AdminCtx, input: MachineCreate): Promise<Machine> {
  return withUniqueFields({ code: ["code", "admin.machine.v.codeTaken"] }, () =>
    immediate(db, async (trx) => {
      const facility = await loadFacility(trx);
      await requireType(trx, input.typeId);
      const base: Machine = {
        id: 0,
        code: input.code,
        name: input.name,
        type_id: input.typeId,
        status: "active",
        description: "",
        location: "",
        slot_minutes: null,
        min_minutes: null,
        max_minutes: null,
        buffer_minutes: null,
        notice_minutes: null,
        horizon_days: null,
        weekly_quota_minutes: null,
        max_active_bookings: null,
        billing_increment_minutes: null,
        requires_approval: 0,
        requires_qualification: 0,
        operator_mode: "self",
        allocation_mode: "first_come",
        hours_json: null,
        created_at: ctx.now,
        updated_at: ctx.now,
      };
      const row = applyChange(base, input, ctx.now);
      checkRuleConsistency(row, facility);
      const { id: _id, ...values } = row;
      const machine = await trx.insertInto("machines").values(values).returningAll().executeTakeFirstOrThrow();
      let tariff: MachineTariff | null = null;
      if (input.hourlyRate !== undefined) {
        const from = await tariffStart(trx, null, input.tariffFrom, ctx.now, facility.time_zone);
        tariff = await trx
          .insertInto("machine_tariffs")
          .values({ machine_id: machine.id, hourly_rate: input.hourlyRate, effective_from: from, created_by: ctx.user.id, created_at: ctx.now })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      await audit(trx, { actorUserId: ctx.user.id, action: "machine.create", entity: "machine", entityId: machine.id, after: { ...machine, tariff }, requestId: ctx.requestId, at: ctx.now });
      return machine;
    }),
  );
}

function sameViolation(a: Violation, b: Violation): boolean {
  return a.code === b.code && (a.conflict?.id ?? null) === (b.conflict?.id ?? null) && (a.conflict?.kind ?? null) === (b.conflict?.kind ?? null);
}

/**
 * Future slot-holding bookings of a machine judged again by the engine, as a staff member would
 * enter them (their own override reason kept), excluding themselves. Without `candidate`: those
 * that do not fit the current rules, with every violation. With `candidate` (the machine as it
 * would be after a change): those to which the change adds a violation, with only the added ones.
 */
export async function judgeFutureBookings(db: DbOrTx, ctx: AdminCtx, machine: Machine, candidate?: Machine): Promise<AffectedBooking[]> {
  const bookings = await futureHoldingBookings(db, machine.id, ctx.now);
  const out: AffectedBooking[] = [];
  for (const b of bookings) {
    const violations = await judgeOne(db, ctx, machine, b, candidate);
    if (violations.length) {
      out.push({ id: b.id, start: Number(b.start_at), end: Number(b.end_at), status: b.status, ikmId: b.ikm_id, ikmName: b.ikm_name, violations });
    }
  }
  return out;
}

async function judgeOne(db: DbOrTx, ctx: AdminCtx, machine: Machine, b: Booking, candidate?: Machine): Promise<Violation[]> {
  const { input, facility } = await loadDecisionInput(
    db,
    ctx,
    machine,
    b.ikm_id,
    {
      machineId: machine.id,
      start: Number(b.start_at),
      end: Number(b.end_at),
      purpose: b.purpose,
      assisted: b.assisted === 1,
      source: b.source as BookingSource,
      overrideReason: b.override_reason ?? undefined,
    },
    b.id,
    "decision",
  );
  const now = decide(input).violations;
  if (!candidate) return now;
  const next = decide({
    ...input,
    request: { ...input.request, assisted: effectiveAssisted(candidate.operator_mode as OperatorMode, b.assisted === 1) },
    state: { ...input.state, machine: machineInfo(candidate, facility, input.state.machine.rules.hourlyRate) },
  }).violations;
  return next.filter((v) => !now.some((w) => sameViolation(v, w)));
}

/** A token naming exactly this change of this machine: the form's "save anyway" carries it back. */
export function changeToken(machineId: number, change: unknown): string {
  return createHash("sha256").update(`${machineId}:${JSON.stringify(change)}`).digest("hex").slice(0, 24);
}

export type UpdateResult =
  | { saved: true; machine: Machine; affected: AffectedBooking[] }
  | { saved: false; affected: AffectedBooking[]; token: string };

/**
 * Change a machine (and optionally add a tariff). When the change would make future bookings
 * break a rule, nothing is written unless `confirmAffected`: the caller shows the list first.
 */
export async function updateMachine(db: Db, ctx: AdminCtx, id: number, patch: MachinePatch): Promise<UpdateResult> {
  const { confirmAffected, hourlyRate, tariffFrom, ...change } = patch;
  const before = await db.selectFrom("machines").selectAll().where("id", "=", id).executeTakeFirst();
  if (!before) throw notFound();
  const facility = await loadFacility(db);
  if (change.typeId !== undefined) await requireType(db, change.typeId);
  const candidate = applyChange(before, change, ctx.now);
  checkRuleConsistency(candidate, facility);
  const affected = await judgeFutureBookings(db, ctx, before, candidate);
  const token = changeToken(id, change);
  if (affected.length && !confirmAffected) return { saved: false, affected, token };
  const machine = await withUniqueFields({ code: ["code", "admin.machine.v.codeTaken"] }, () =>
    immediate(db, async (trx) => {
      const current = await trx.selectFrom("machines").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      const { id: _id, created_at: _c, ...values } = applyChange(current, change, ctx.now);
      const machine = await trx.updateTable("machines").set(values).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, {
        actorUserId: ctx.user.id,
        action: machine.status === "retired" && current.status !== "retired" ? "machine.retire" : "machine.update",
        entity: "machine",
        entityId: id,
        before: current,
        after: machine,
        // Stored as written for people reading the audit log (Indonesian, as the unit's records are).
        reason: affected.length ? `berdampak pada ${affected.length} pemesanan mendatang: #${affected.map((a) => a.id).join(", #")}` : null,
        requestId: ctx.requestId,
        at: ctx.now,
      });
      if (hourlyRate !== undefined) await insertTariff(trx, ctx, id, hourlyRate, tariffFrom, facility);
      return machine;
    }),
  );
  return { saved: true, machine, affected };
}

async function insertTariff(trx: Db, ctx: AdminCtx, machineId: number, hourlyRate: number, dateKey: string | undefined, facility: Facility) {
  const from = await tariffStart(trx, machineId, dateKey, ctx.now, facility.time_zone);
  const tariff = await trx
    .insertInto("machine_tariffs")
    .values({ machine_id: machineId, hourly_rate: hourlyRate, effective_from: from, created_by: ctx.user.id, created_at: ctx.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, { actorUserId: ctx.user.id, action: "tariff.create", entity: "machine_tariff", entityId: tariff.id, after: tariff, requestId: ctx.requestId, at: ctx.now });
  return tariff;
}

/** Add a tariff from a date on: history is kept, so fees already charged keep their rate. */
export async function addTariff(db: Db, ctx: AdminCtx, machineId: number, input: { hourlyRate: number; effectiveFrom: string }): Promise<MachineTariff> {
  return immediate(db, async (trx) => {
    const m = await trx.selectFrom("machines").select("id").where("id", "=", machineId).executeTakeFirst();
    if (!m) throw notFound();
    const facility = await loadFacility(trx);
    try {
      return await insertTariff(trx, ctx, machineId, input.hourlyRate, input.effectiveFrom, facility);
    } catch (error) {
      // The form names the date field "effectiveFrom".
      if (error instanceof ServiceError && error.details.field === "tariffFrom") throw fieldError("effectiveFrom", "admin.tariff.v.past");
      throw error;
    }
  });
}

/** Remove a tariff that is not in force yet (a mistake); tariffs in force are history. */
export async function removeFutureTariff(db: Db, ctx: AdminCtx, machineId: number, tariffId: number): Promise<void> {
  await immediate(db, async (trx) => {
    const t = await trx.selectFrom("machine_tariffs").selectAll().where("id", "=", tariffId).where("machine_id", "=", machineId).executeTakeFirst();
    if (!t) throw notFound();
    if (Number(t.effective_from) <= ctx.now) throw new ServiceError("invalid_state", "admin.tariff.inForce");
    await trx.deleteFrom("machine_tariffs").where("id", "=", tariffId).execute();
    await audit(trx, { actorUserId: ctx.user.id, action: "tariff.delete", entity: "machine_tariff", entityId: tariffId, before: t, requestId: ctx.requestId, at: ctx.now });
  });
}

export async function addMachineType(db: Db, ctx: AdminCtx, input: { code: string; name: string; description?: string }) {
  return withUniqueFields({ code: ["code", "admin.type.v.codeTaken"] }, () =>
    immediate(db, async (trx) => {
      const type = await trx
        .insertInto("machine_types")
        .values({ code: input.code, name: input.name, description: input.description ?? "", created_at: ctx.now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "machine_type.create", entity: "machine_type", entityId: type.id, after: type, requestId: ctx.requestId, at: ctx.now });
      return type;
    }),
  );
}

/** The machine with its type, for the API and the pages. */
export async function machineWithType(db: DbOrTx, id: number) {
  const m = await getMachineWithType(db, id);
  if (!m) throw notFound();
  return m;
}
