import { Id } from "~/schemas/common";
import { apiBookingJson } from "~/services/api-views.server";
import { getVisibleBooking } from "~/services/booking.server";
import { ApiError, apiRoute, apiUser, json, parseWith } from "~/utils/api.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** One booking with its usage; 404 when absent or another IKM's. */
  async GET({ request, params }) {
    const user = await apiUser(request);
    const id = parseWith(Id, params.id);
    const b = await getVisibleBooking(db(), user, id);
    if (!b) throw new ApiError(404, "not_found", "api.error.notFound");
    const usage = await db().selectFrom("usage_records").selectAll().where("booking_id", "=", id).executeTakeFirst();
    return json({ booking: apiBookingJson(b, user, usage) });
  },
});

export const loader = route.loader;
export const action = route.action;
