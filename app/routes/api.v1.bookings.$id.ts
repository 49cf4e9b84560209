import { Id } from "~/schemas/common";
import { visibleBookingJson } from "~/services/api/booking.server";
import { apiRoute, apiUser, json, parseWith } from "~/utils/api.server";

const route = apiRoute({
  /** One booking with its usage; 404 when absent or another IKM's. */
  async GET({ request, params }) {
    const user = await apiUser(request);
    const id = parseWith(Id, params.id);
    return json({ booking: await visibleBookingJson(user, id) });
  },
});

export const loader = route.loader;
export const action = route.action;
