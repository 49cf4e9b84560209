/** JSON views and write handlers of the machine administration API (POST/PATCH /api/v1/machines). */
import type { Lang } from "~/i18n";
import { violationMessage } from "~/i18n/violations";
import { loadFacility } from "~/models/scheduling.server";
import { MachineCreateSchema, MachinePatchSchema } from "~/schemas/admin";
import type { AuthUser } from "~/utils/auth.server";
import { ApiError, iso, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { apiFieldErrors } from "../admin/forms.server";
import { createMachine, machineWithType, updateMachine } from "../admin/machines.server";
import type { AffectedBooking } from "~/views/admin";
import { machineFormValues } from "../admin/views.server";
import { apiMachineJson } from "./machine-views.server";

/** One machine: the effective rules (as GET /api/v1/machines), plus its own settings (null = facility default) and hours. */
export async function apiMachineDetailJson(id: number) {
  const m = await machineWithType(db(), id);
  const [view] = await apiMachineJson([m]);
  const own = machineFormValues(m);
  return {
    ...view,
    settings: {
      slotMinutes: own.slotMinutes,
      minMinutes: own.minMinutes,
      maxMinutes: own.maxMinutes,
      bufferMinutes: own.bufferMinutes,
      noticeMinutes: own.noticeMinutes,
      horizonDays: own.horizonDays,
      weeklyQuotaMinutes: own.weeklyQuotaMinutes,
      maxActiveBookings: own.maxActiveBookings,
      billingIncrementMinutes: own.billingIncrementMinutes,
    },
    hours: own.hours,
  };
}

function affectedJson(list: AffectedBooking[], lang: Lang, tz: string) {
  return list.map((b) => ({
    id: b.id,
    start: iso(b.start),
    end: iso(b.end),
    status: b.status,
    ikmId: b.ikmId,
    ikmName: b.ikmName,
    violations: b.violations.map((v) => ({ code: v.code, message: violationMessage(v, lang, tz, b.start) })),
  }));
}

/** Service field errors (a taken code, inconsistent rules) as the API's 400. */
async function withApiErrors<T>(user: AuthUser, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw apiFieldErrors(error, user.language);
  }
}

export async function apiCreateMachine(request: Request, user: AuthUser, requestId: string): Promise<Response> {
  const body = parseWith(MachineCreateSchema, await readJson(request));
  const machine = await withApiErrors(user, () => createMachine(db(), { user, now: now(), requestId }, body));
  return json({ machine: await apiMachineDetailJson(machine.id) }, 201, { Location: `/api/v1/machines/${machine.id}` });
}

/**
 * Change a machine. When the change would make future bookings break a rule, 409
 * `rules_affect_bookings` lists them; send again with `confirmAffected: true` to save anyway
 * (the bookings stay, flagged to staff).
 */
export async function apiUpdateMachine(request: Request, user: AuthUser, id: number, requestId: string): Promise<Response> {
  const body = parseWith(MachinePatchSchema, await readJson(request));
  const result = await withApiErrors(user, () => updateMachine(db(), { user, now: now(), requestId }, id, body));
  const { time_zone } = await loadFacility(db());
  if (!result.saved) {
    throw new ApiError(409, "rules_affect_bookings", "admin.api.affected", { bookings: affectedJson(result.affected, user.language, time_zone) });
  }
  return json({ machine: await apiMachineDetailJson(id), affectedBookings: affectedJson(result.affected, user.language, time_zone) });
}

