/** What the administration pages show: records turned into plain, serialisable views. */
import type { Db } from "#db/connection";
import type { Facility, Machine } from "#db/schema";
import { listMachineTypes, listMachinesForAdmin, listTariffs } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { type AdminCtx, todayKey } from "./common.server";
import { judgeFutureBookings } from "./machines.server";
import type { RuleDefaults } from "~/views/admin";

export function ruleDefaults(f: Facility): RuleDefaults {
  return {
    slotMinutes: f.slot_minutes,
    minMinutes: f.min_minutes,
    maxMinutes: f.max_minutes,
    bufferMinutes: f.buffer_minutes,
    noticeMinutes: f.notice_minutes,
    horizonDays: f.horizon_days,
    weeklyQuotaMinutes: f.weekly_quota_minutes,
    maxActiveBookings: f.max_active_bookings,
    billingIncrementMinutes: f.billing_increment_minutes,
    hourlyRate: Number(f.hourly_rate),
  };
}

export function machineFormValues(m: Machine) {
  return {
    code: m.code,
    name: m.name,
    typeId: m.type_id,
    status: m.status,
    description: m.description,
    location: m.location,
    slotMinutes: m.slot_minutes,
    minMinutes: m.min_minutes,
    maxMinutes: m.max_minutes,
    bufferMinutes: m.buffer_minutes,
    noticeMinutes: m.notice_minutes,
    horizonDays: m.horizon_days,
    weeklyQuotaMinutes: m.weekly_quota_minutes,
    maxActiveBookings: m.max_active_bookings,
    billingIncrementMinutes: m.billing_increment_minutes,
    requiresApproval: m.requires_approval === 1,
    requiresQualification: m.requires_qualification === 1,
    operatorMode: m.operator_mode,
    allocationMode: m.allocation_mode,
    hours: m.hours_json ? (JSON.parse(m.hours_json) as Record<string, Array<{ start: string; end: string }>>) : null,
  };
}

/** The tariff in force now per machine (the latest effective_from ≤ now). */
async function currentRates(db: Db, now: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("machine_tariffs")
    .select(["machine_id", "hourly_rate"])
    .where("effective_from", "<=", now)
    .orderBy("effective_from")
    .orderBy("id")
    .execute();
  return new Map(rows.map((r) => [r.machine_id, Number(r.hourly_rate)]));
}

export async function machineListView(db: Db, now: number) {
  const [machines, types, facility, rates] = await Promise.all([listMachinesForAdmin(db, now), listMachineTypes(db), loadFacility(db), currentRates(db, now)]);
  const perType = new Map<number, number>();
  for (const m of machines) perType.set(m.type_id, (perType.get(m.type_id) ?? 0) + 1);
  return {
    machines: machines.map((m) => ({
      id: m.id,
      code: m.code,
      name: m.name,
      type: m.type_name,
      status: m.status,
      location: m.location,
      futureBookings: Number(m.future_bookings ?? 0),
      rate: rates.get(m.id) ?? Number(facility.hourly_rate),
      ownRate: rates.has(m.id),
    })),
    types: types.map((ty) => ({ id: ty.id, code: ty.code, name: ty.name, description: ty.description, machines: perType.get(ty.id) ?? 0 })),
  };
}

export async function machinePageView(db: Db, ctx: AdminCtx, machine: Machine) {
  const [types, facility, tariffs] = await Promise.all([listMachineTypes(db), loadFacility(db), listTariffs(db, machine.id)]);
  // The tariff in force now: the first (newest) with effective_from ≤ now.
  const inForce = tariffs.find((tr) => Number(tr.effective_from) <= ctx.now);
  const flagged = await judgeFutureBookings(db, ctx, machine);
  const futureCount = await db
    .selectFrom("bookings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("machine_id", "=", machine.id)
    .where("start_at", ">", ctx.now)
    .where("status", "in", ["pending", "confirmed", "checked_in"])
    .executeTakeFirst();
  return {
    machine: { id: machine.id, ...machineFormValues(machine) },
    types: types.map((ty) => ({ id: ty.id, code: ty.code, name: ty.name })),
    defaults: ruleDefaults(facility),
    facilityHours: JSON.parse(facility.hours_json) as Record<string, Array<{ start: string; end: string }>>,
    today: todayKey(ctx.now, facility.time_zone),
    tariffs: tariffs.map((tr) => ({
      id: tr.id,
      hourlyRate: Number(tr.hourly_rate),
      effectiveFrom: Number(tr.effective_from),
      createdAt: Number(tr.created_at),
      createdBy: tr.created_by_name,
      state: tr === inForce ? ("current" as const) : Number(tr.effective_from) > ctx.now ? ("future" as const) : ("past" as const),
    })),
    defaultRate: Number(facility.hourly_rate),
    flagged: flagged.map((f) => ({ id: f.id, start: f.start, end: f.end, status: f.status, ikmName: f.ikmName, violations: f.violations })),
    futureBookings: Number(futureCount?.n ?? 0),
  };
}
