/** JSON views of records for the API: instants as UTC ISO strings, ids as numbers, no other IKM's name to an IKM. */
import type { Booking, UsageRecord } from "#db/schema";
import type { AuthUser } from "~/utils/auth.server";
import { iso } from "~/utils/api.server";
import { isOwnIkm, isStaff } from "~/utils/permissions";
import type { Alternative, Violation } from "~/scheduling";
import type { Lang } from "~/i18n";
import { violationMessage } from "~/i18n/violations";

export function apiUserJson(u: AuthUser) {
  return { id: u.id, name: u.name, role: u.role, ikmId: u.ikmId, email: u.email, phone: u.phone, language: u.language };
}

type BookingRow = Booking & { machine_code?: string; machine_name?: string; ikm_name?: string };

export function apiUsageJson(u: UsageRecord) {
  return {
    actualStart: iso(u.actual_start),
    actualEnd: iso(u.actual_end),
    operatorName: u.operator_name,
    operatorKind: u.operator_kind,
    outputQuantity: u.output_quantity,
    outputUnit: u.output_unit,
    consumables: u.consumables,
    condition: u.condition,
    notes: u.notes,
    billableMinutes: u.billable_minutes,
    hourlyRate: u.hourly_rate === null ? null : Number(u.hourly_rate),
    fee: u.fee === null ? null : Number(u.fee),
  };
}

export function apiBookingJson(b: BookingRow, viewer: AuthUser, usage?: UsageRecord | null) {
  const own = isOwnIkm(viewer, b.ikm_id);
  return {
    id: b.id,
    machineId: b.machine_id,
    machineCode: b.machine_code,
    machineName: b.machine_name,
    ikmId: b.ikm_id,
    ikmName: isStaff(viewer) || own ? b.ikm_name : undefined,
    bookedBy: b.booked_by,
    start: iso(b.start_at),
    end: iso(b.end_at),
    status: b.status,
    source: b.source,
    purpose: b.purpose,
    assisted: b.assisted === 1,
    seriesId: b.series_id,
    statusReason: b.status_reason,
    lateCancel: b.late_cancel === 1,
    cancelledAt: iso(b.cancelled_at),
    createdAt: iso(b.created_at),
    updatedAt: iso(b.updated_at),
    usage: usage ? apiUsageJson(usage) : null,
  };
}


export function apiViolationJson(v: Violation, lang: Lang, tz: string, requestStart?: number) {
  return {
    code: v.code,
    message: violationMessage(v, lang, tz, requestStart),
    overridable: v.overridable,
    params: v.params,
    conflict: v.conflict
      ? { kind: v.conflict.kind, start: iso(v.conflict.start), end: v.conflict.end === null ? null : iso(v.conflict.end), ...(v.conflict.id !== undefined ? { id: v.conflict.id } : {}) }
      : null,
  };
}

export function apiAlternativeJson(a: Alternative) {
  return { machineId: a.machineId, machineCode: a.machineCode, machineName: a.machineName, start: iso(a.start), end: iso(a.end), assisted: a.assisted };
}
