/** No-shows, and the restriction they lead to (the engine's restrictionUntil, never a rule written here). */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, Facility } from "#db/schema";
import { translate } from "~/i18n";
import { formatTime } from "~/i18n/format";
import {
  DAY_MS,
  MINUTE_MS,
  restrictionUntil,
} from "~/scheduling";
import {
  noShowInstants,
} from "~/models/floor.server";
import { loadFacility } from "~/models/scheduling.server";
import { audit } from "../audit.server";
import type { Ctx } from "../booking/decision-input.server";
import { slotFreed } from "../booking/freed-time.server";
import { ServiceError } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { lockBooking, requireFloor } from "./common.server";

export interface NoShowOutlook {
  /** When the grace period ends (the booking may be marked from then on). */
  graceEnd: number;
  allowed: boolean;
  /** No-shows of the IKM in the policy window, counting this one. */
  count: number;
  windowDays: number;
  /** The restriction the IKM would get (or keep) after this no-show; null when none. */
  restrictedUntil: number | null;
  /** True when marking this one would start or extend a restriction. */
  newRestriction: boolean;
}

function policyOf(f: Facility) {
  return { count: f.noshow_count, windowDays: f.noshow_window_days, restrictDays: f.restrict_days };
}

/** What marking this booking as a no-show would mean for its IKM (shown before the tap). */
export async function noShowOutlook(db: DbOrTx, ctx: Ctx, b: Booking): Promise<NoShowOutlook> {
  const facility = await loadFacility(db);
  const policy = policyOf(facility);
  const graceEnd = Number(b.start_at) + facility.grace_minutes * MINUTE_MS;
  const since = ctx.now - (policy.windowDays + policy.restrictDays) * DAY_MS;
  const instants = await noShowInstants(db, b.ikm_id, since);
  if (b.status !== "no_show") instants.push(Number(b.start_at));
  const count = instants.filter((t) => t > ctx.now - policy.windowDays * DAY_MS && t <= ctx.now).length;
  const until = restrictionUntil(instants, ctx.now, policy);
  const ikm = await db.selectFrom("ikms").select("restricted_until").where("id", "=", b.ikm_id).executeTakeFirstOrThrow();
  const current = ikm.restricted_until === null ? null : Number(ikm.restricted_until);
  return {
    graceEnd,
    allowed: b.status === "confirmed" && ctx.now >= graceEnd,
    count,
    windowDays: policy.windowDays,
    restrictedUntil: until ?? (current !== null && current > ctx.now ? current : null),
    newRestriction: until !== null && (current === null || until > current),
  };
}

/**
 * Mark a confirmed booking not checked in within the grace period as a no-show: the slot frees
 * at once (offered to the waitlist), and the IKM is restricted when the policy says so.
 */
export async function markNoShow(db: Db, ctx: Ctx, id: number, reason?: string): Promise<{ booking: Booking; restrictedUntil: number | null }> {
  requireFloor(ctx);
  return immediate(db, async (trx) => {
    const before = await lockBooking(trx, id);
    if (before.status !== "confirmed") throw new ServiceError("invalid_state", "floor.error.notNoShowable");
    const facility = await loadFacility(trx);
    const graceEnd = Number(before.start_at) + facility.grace_minutes * MINUTE_MS;
    if (ctx.now < graceEnd) {
      throw new ServiceError("invalid_state", "floor.error.noShowTooEarly", { params: { time: formatTime(graceEnd, "id", facility.time_zone) } });
    }
    const booking = await trx
      .updateTable("bookings")
      .set({ status: "no_show", status_reason: reason?.trim() || null, updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "booking.no_show", entity: "booking", entityId: id, before, after: booking, reason: reason?.trim() || null, requestId: ctx.requestId, at: ctx.now });
    await slotFreed(trx, ctx, booking);

    const policy = policyOf(facility);
    const instants = await noShowInstants(trx, booking.ikm_id, ctx.now - (policy.windowDays + policy.restrictDays) * DAY_MS);
    const until = restrictionUntil(instants, ctx.now, policy);
    const ikm = await trx.selectFrom("ikms").selectAll().where("id", "=", booking.ikm_id).executeTakeFirstOrThrow();
    const current = ikm.restricted_until === null ? null : Number(ikm.restricted_until);
    if (until === null || (current !== null && until <= current)) return { booking, restrictedUntil: current !== null && current > ctx.now ? current : null };
    const count = instants.filter((t) => t > ctx.now - policy.windowDays * DAY_MS && t <= ctx.now).length;
    const restrictionReason = translate("id", "floor.noShow.restrictionReason", { count, days: policy.windowDays });
    const after = await trx
      .updateTable("ikms")
      .set({ restricted_until: until, restriction_reason: restrictionReason, updated_at: ctx.now })
      .where("id", "=", ikm.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "ikm.restrict", entity: "ikm", entityId: ikm.id, before: ikm, after, reason: restrictionReason, requestId: ctx.requestId, at: ctx.now });
    await notifyIkm(trx, ikm.id, "restricted", id, { until, count, days: policy.windowDays }, ctx.now);
    return { booking, restrictedUntil: until };
  });
}
