import { listBookings } from "~/models/booking.server";
import { BookingCreateSchema, BookingListQuery } from "~/schemas/booking";
import { apiBookingJson } from "~/services/api/views.server";
import { bookingOutcomeResponse } from "~/services/api/booking.server";
import { requestBooking } from "~/services/booking/commands.server";
import { apiRoute, apiUser, json, parseWith, queryObject, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { isStaff } from "~/utils/permissions";

const route = apiRoute({
  /** Bookings visible to the caller: an IKM's own, or all for staff. */
  async GET({ request }) {
    const user = await apiUser(request);
    const q = parseWith(BookingListQuery, queryObject(request));
    const rows = await listBookings(db(), {
      ikmId: isStaff(user) ? undefined : (user.ikmId ?? -1),
      machineId: q.machineId,
      from: q.from,
      to: q.to,
      statuses: q.status ? [q.status] : undefined,
      limit: 2000,
    });
    return json({ bookings: rows.map((b) => apiBookingJson(b, user)) });
  },
  /** Book: 201 with the booking, or 409 with every violation and the alternatives. */
  async POST({ request, requestId }) {
    const user = await apiUser(request);
    const body = parseWith(BookingCreateSchema, await readJson(request));
    const outcome = await requestBooking(db(), { user, now: now(), requestId }, {
      machineId: body.machineId,
      start: body.start,
      end: body.end,
      purpose: body.purpose,
      assisted: body.assisted,
      ikmId: body.ikmId,
      source: body.source ?? "api",
      overrideReason: body.overrideReason,
    });
    return bookingOutcomeResponse(outcome, user, body.start, 201);
  },
});

export const loader = route.loader;
export const action = route.action;
