/**
 * POST /api/v1/maintenance/:id/resolve {decisions?: [{bookingId, action: move|cancel|keep,
 * machineId?, start?, end?}]} → 200 {window, results}: in one transaction, each booking the
 * window touches is moved (to the given target, else to the engine's best alternative now) or
 * cancelled, its IKM notified. Without decisions the proposals are applied.
 * POST /api/v1/maintenance/:id/end → 200 {window, freed}: end a window or breakdown now (a
 * window not started yet is called off); the freed time goes to the waitlist.
 */
import { Id } from "~/schemas/common";
import { MaintenanceEndApi, MaintenanceResolveApi } from "~/schemas/floor";
import { apiAlternativeJson, apiBookingJson } from "~/services/api/views.server";
import { getVisibleBooking } from "~/services/booking/commands.server";
import { apiMaintenanceJson } from "~/services/api/floor.server";
import type { MaintenanceChoice } from "~/services/floor/maintenance-plan.server";
import { endMaintenance, resolveMaintenance } from "~/services/floor/maintenance-windows.server";
import { ApiError, apiPermission, apiRoute, iso, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  async POST({ request, params, requestId }) {
    const user = await apiPermission(request, "maintenance:manage");
    const id = parseWith(Id, params.id);
    const ctx = { user, now: now(), requestId };
    const body = await readJson(request);
    if (params.action === "resolve") {
      const { decisions = [] } = parseWith(MaintenanceResolveApi, body);
      const choices: MaintenanceChoice[] = decisions.map((d) =>
        d.action === "move"
          ? { bookingId: d.bookingId, action: "move", target: d.machineId !== undefined && d.start !== undefined && d.end !== undefined ? { machineId: d.machineId, start: d.start, end: d.end } : undefined }
          : { bookingId: d.bookingId, action: d.action },
      );
      const { window, applied } = await resolveMaintenance(db(), ctx, id, choices);
      const results = await Promise.all(
        applied.map(async (a) => ({
          booking: apiBookingJson((await getVisibleBooking(db(), user, a.booking.id)) ?? a.booking, user),
          action: a.action,
          to: a.action === "moved" ? { ...apiAlternativeJson(a.to), status: a.to.status } : null,
        })),
      );
      return json({ window: apiMaintenanceJson(window), results });
    }
    if (params.action === "end") {
      parseWith(MaintenanceEndApi, body);
      const { window, freed } = await endMaintenance(db(), ctx, id);
      return json({ window: window ? apiMaintenanceJson(window) : null, freed: { start: iso(freed.start), end: iso(freed.end) } });
    }
    throw new ApiError(404, "not_found", "api.error.notFound");
  },
});

export const loader = route.loader;
export const action = route.action;
