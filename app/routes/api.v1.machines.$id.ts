import { Id } from "~/schemas/common";
import { apiMachineDetailJson, apiUpdateMachine } from "~/services/api/machines.server";
import { apiPermission, apiRoute, apiUser, json, parseWith } from "~/utils/api.server";

const route = apiRoute({
  /** One machine with its type, effective rules, own settings (null = facility default) and hours. */
  async GET({ request, params }) {
    await apiUser(request);
    return json({ machine: await apiMachineDetailJson(parseWith(Id, params.id)) });
  },
  /** Change a machine (admin): any subset of the POST fields; null resets a rule to the facility default. */
  async PATCH({ request, params, requestId }) {
    const user = await apiPermission(request, "admin:write");
    return apiUpdateMachine(request, user, parseWith(Id, params.id), requestId);
  },
});

export const loader = route.loader;
export const action = route.action;
