/**
 * The technician's booking actions for the API (check-in, check-out, no-show), dispatched by
 * POST /api/v1/bookings/:id/:action. The dispatcher has already answered an IKM member 404 (a
 * booking of another IKM) or 403 (their own); the services check the permission again.
 */
import type { MaintenanceWindowRow } from "#db/schema";
import { bookingsInWindow } from "~/models/floor.server";
import { CheckInApi, CheckOutApi, NoShowApi } from "~/schemas/floor";
import { ApiError, type BookingAction, iso, json, parseWith } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { apiBookingJson } from "./views.server";
import { visibleBookingJson } from "./booking.server";
import { checkIn, checkOut } from "../floor/check-in-out.server";
import { markNoShow } from "../floor/no-show.server";
import { getMaintenanceWindow } from "../floor/maintenance-windows.server";


export function apiMaintenanceJson(w: MaintenanceWindowRow & { machine_code?: string }) {
  return {
    id: w.id,
    machineId: w.machine_id,
    machineCode: w.machine_code,
    kind: w.kind,
    start: iso(Number(w.start_at)),
    end: w.end_at === null ? null : iso(Number(w.end_at)),
    reason: w.reason,
    createdBy: w.created_by,
    resolvedAt: w.resolved_at === null ? null : iso(Number(w.resolved_at)),
    createdAt: iso(Number(w.created_at)),
  };
}

export const floorApiActions: Record<string, BookingAction> = {
  /** {at?, operatorName?, operatorKind?} → 200 {booking} (status checked_in, usage with actualStart). */
  async "check-in"({ user, id, body, requestId }) {
    const input = parseWith(CheckInApi, body);
    await checkIn(db(), { user, now: now(), requestId }, id, input);
    return json({ booking: await visibleBookingJson(user, id) });
  },
  /**
   * {at?, outputQuantity?, outputUnit?, consumables?, condition?, notes?, fault?} → 200
   * {booking (completed, usage with billableMinutes and fee), breakdown: null | {window, affected}}.
   */
  async "check-out"({ user, id, body, requestId }) {
    const input = parseWith(CheckOutApi, body);
    const t = now();
    const result = await checkOut(db(), { user, now: t, requestId }, id, input);
    if (!result.saved) throw new ApiError(409, "invalid_state", "api.error.invalidState");
    let breakdown = null;
    if (result.breakdownId !== null) {
      const w = await getMaintenanceWindow(db(), result.breakdownId);
      if (w) {
        const later = await bookingsInWindow(db(), w.machine_id, { start: Math.max(t, Number(w.start_at)), end: null });
        breakdown = { window: apiMaintenanceJson(w), affected: later.map((b) => apiBookingJson(b, user)) };
      }
    }
    return json({ booking: await visibleBookingJson(user, id), breakdown });
  },
  /** {reason?} → 200 {booking (no_show), ikmRestrictedUntil}. */
  async "no-show"({ user, id, body, requestId }) {
    const { reason } = parseWith(NoShowApi, body);
    const result = await markNoShow(db(), { user, now: now(), requestId }, id, reason);
    return json({ booking: await visibleBookingJson(user, id), ikmRestrictedUntil: iso(result.restrictedUntil) });
  },
};
