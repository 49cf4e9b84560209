import { listMachines } from "~/models/machine.server";
import { apiMachineJson } from "~/services/api/machine-views.server";
import { apiCreateMachine } from "~/services/api/machines.server";
import { apiPermission, apiRoute, apiUser, json } from "~/utils/api.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** Every machine (retired ones too, flagged) with its type and effective rule settings. */
  async GET({ request }) {
    await apiUser(request);
    const machines = await listMachines(db(), { includeRetired: true });
    return json({ machines: await apiMachineJson(machines) });
  },
  /** Create a machine (admin): the same schema and service as the admin form. */
  async POST({ request, requestId }) {
    const user = await apiPermission(request, "admin:write");
    return apiCreateMachine(request, user, requestId);
  },
});

export const loader = route.loader;
export const action = route.action;
