/** The facility's settings: name, zone, opening hours, operators, and the default of every rule. */
import { type Db, immediate } from "#db/connection";
import type { Facility } from "#db/schema";
import type { FacilityInput } from "~/schemas/admin";
import { loadFacility } from "~/models/scheduling.server";
import { type AdminCtx, fieldError } from "./common.server";
import { checkRuleConsistency, checkSpan } from "./machines.server";
import { ruleDefaults } from "./views.server";
import { audit } from "../audit.server";
import { ServiceError } from "../errors.server";

export function facilityToInput(f: Facility): FacilityInput {
  return {
    name: f.name,
    timeZone: f.time_zone as FacilityInput["timeZone"],
    hours: JSON.parse(f.hours_json),
    operatorsOnDuty: f.operators_on_duty,
    ...ruleDefaults(f),
    graceMinutes: f.grace_minutes,
    noshowCount: f.noshow_count,
    noshowWindowDays: f.noshow_window_days,
    restrictDays: f.restrict_days,
    waitlistOfferMinutes: f.waitlist_offer_minutes,
    allocationCutoffWeekday: f.allocation_cutoff_weekday,
    allocationCutoffTime: f.allocation_cutoff_time,
    contactPhone: f.contact_phone ?? "",
  };
}

/**
 * Save the settings. The defaults must make sense for the facility itself and for every machine
 * that relies on them (a machine's own minimum may not exceed a lowered default maximum).
 */
export async function updateFacility(db: Db, ctx: AdminCtx, input: FacilityInput): Promise<Facility> {
  return immediate(db, async (trx) => {
    const before = await loadFacility(trx);
    const values = {
      name: input.name,
      time_zone: input.timeZone,
      hours_json: JSON.stringify(input.hours),
      operators_on_duty: input.operatorsOnDuty,
      slot_minutes: input.slotMinutes,
      min_minutes: input.minMinutes,
      max_minutes: input.maxMinutes,
      buffer_minutes: input.bufferMinutes,
      notice_minutes: input.noticeMinutes,
      horizon_days: input.horizonDays,
      weekly_quota_minutes: input.weeklyQuotaMinutes,
      max_active_bookings: input.maxActiveBookings,
      billing_increment_minutes: input.billingIncrementMinutes,
      hourly_rate: input.hourlyRate,
      grace_minutes: input.graceMinutes,
      noshow_count: input.noshowCount,
      noshow_window_days: input.noshowWindowDays,
      restrict_days: input.restrictDays,
      waitlist_offer_minutes: input.waitlistOfferMinutes,
      allocation_cutoff_weekday: input.allocationCutoffWeekday,
      allocation_cutoff_time: input.allocationCutoffTime,
      contact_phone: input.contactPhone === undefined ? before.contact_phone : input.contactPhone,
      updated_at: ctx.now,
    };
    const next: Facility = { ...before, ...values };
    const machines = await trx.selectFrom("machines").selectAll().where("status", "!=", "retired").orderBy("code").execute();
    // The facility's own defaults, as a machine that sets nothing would use them.
    checkSpan({ slot: next.slot_minutes, min: next.min_minutes, max: next.max_minutes, buffer: next.buffer_minutes }, () => true);
    for (const m of machines) {
      try {
        checkRuleConsistency(m, next);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const f = (error.details.fields as Array<{ field: string }> | undefined)?.[0]?.field ?? "minMinutes";
        throw fieldError(f, "admin.facility.v.machineConflict", { machine: m.code });
      }
    }
    const facility = await trx.updateTable("facility").set(values).where("id", "=", 1).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "facility.update", entity: "facility", entityId: 1, before, after: facility, requestId: ctx.requestId, at: ctx.now });
    return facility;
  });
}
