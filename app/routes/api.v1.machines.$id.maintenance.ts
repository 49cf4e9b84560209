/**
 * POST /api/v1/machines/:id/maintenance {start, end?, reason, kind?} → 201 {window, affected}:
 * the window is written (no end = an open breakdown), and every booking it touches comes with
 * the engine's proposal (move to the best alternative, or cancel). Apply them with
 * POST /api/v1/maintenance/:id/resolve.
 */
import { Id } from "~/schemas/common";
import { MaintenanceCreateApi } from "~/schemas/floor";
import { apiBookingJson, apiAlternativeJson } from "~/services/api/views.server";
import { apiMaintenanceJson } from "~/services/api/floor.server";
import { createMaintenance } from "~/services/floor/maintenance-windows.server";
import { ApiError, apiPermission, apiRoute, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { getMachine } from "~/models/scheduling.server";

const route = apiRoute({
  async POST({ request, params, requestId }) {
    const user = await apiPermission(request, "maintenance:manage");
    const machineId = parseWith(Id, params.id);
    const body = parseWith(MaintenanceCreateApi, await readJson(request));
    if (!(await getMachine(db(), machineId))) throw new ApiError(404, "not_found", "api.error.notFound");
    const end = body.end ?? null;
    const { window, affected } = await createMaintenance(db(), { user, now: now(), requestId }, {
      machineId,
      kind: body.kind ?? (end === null ? "breakdown" : "planned"),
      start: body.start,
      end,
      reason: body.reason,
    });
    return json(
      {
        window: apiMaintenanceJson(window),
        affected: affected.map((a) => ({
          booking: apiBookingJson(a.booking, user),
          movable: a.movable,
          proposal: !a.movable ? null : a.proposal ? { action: "move", ...apiAlternativeJson(a.proposal) } : { action: "cancel" },
        })),
      },
      201,
    );
  },
});

export const loader = route.loader;
export const action = route.action;
