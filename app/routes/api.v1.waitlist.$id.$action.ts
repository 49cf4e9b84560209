import { Id } from "~/schemas/common";
import { acceptOffer, declineOffer, withdrawEntry } from "~/services/booking/waitlist.server";
import { ApiError, apiRoute, apiUser, json, parseWith } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** accept | decline | withdraw one's own entry (another IKM's is a 404). */
  async POST({ request, params, requestId }) {
    const user = await apiUser(request);
    const id = parseWith(Id, params.id);
    const ctx = { user, now: now(), requestId };
    switch (params.action) {
      case "accept": {
        const booking = await acceptOffer(db(), ctx, id);
        return json({ bookingId: booking.id, status: booking.status });
      }
      case "decline":
        await declineOffer(db(), ctx, id);
        return json({ status: "withdrawn" });
      case "withdraw":
        await withdrawEntry(db(), ctx, id);
        return json({ status: "withdrawn" });
      default:
        throw new ApiError(404, "not_found", "api.error.notFound");
    }
  },
});

export const loader = route.loader;
export const action = route.action;
