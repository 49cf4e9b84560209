import { BookingMoveSchema, ReasonSchema, RejectSchema } from "~/schemas/booking";
import { Id } from "~/schemas/common";
import { bookingOutcomeResponse, visibleBookingJson } from "~/services/api/booking.server";
import { approveBooking, cancelBooking, getVisibleBooking, moveBooking, rejectBooking } from "~/services/booking/commands.server";
import { floorApiActions } from "~/services/api/floor.server";
import { ApiError, type BookingAction, apiRoute, apiUser, json, parseWith, readJson } from "~/utils/api.server";
import type { AuthUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

async function bookingResponse(user: AuthUser, id: number): Promise<Response> {
  return json({ booking: await visibleBookingJson(user, id) });
}

/** Staff-only actions answer 404 to an IKM member for another IKM's booking, 403 for their own. */
async function requireStaffAction(user: AuthUser, id: number) {
  if (can(user, "booking:approve")) return;
  const visible = await getVisibleBooking(db(), user, id);
  if (!visible) throw new ApiError(404, "not_found", "api.error.notFound");
  throw new ApiError(403, "forbidden", "api.error.forbidden");
}

const actions: Record<string, BookingAction> = {
  async cancel({ user, id, body, requestId }) {
    const { reason } = parseWith(ReasonSchema, body);
    await cancelBooking(db(), { user, now: now(), requestId }, id, reason);
    return bookingResponse(user, id);
  },
  async approve({ user, id, body, requestId }) {
    parseWith(ReasonSchema, body);
    await requireStaffAction(user, id);
    await approveBooking(db(), { user, now: now(), requestId }, id);
    return bookingResponse(user, id);
  },
  async reject({ user, id, body, requestId }) {
    await requireStaffAction(user, id);
    const { reason } = parseWith(RejectSchema, body);
    await rejectBooking(db(), { user, now: now(), requestId }, id, reason);
    return bookingResponse(user, id);
  },
  async move({ user, id, body, requestId }) {
    const to = parseWith(BookingMoveSchema, body);
    const outcome = await moveBooking(db(), { user, now: now(), requestId }, id, to);
    return bookingOutcomeResponse(outcome, user, to.start, 200);
  },
  ...floorApiActions,
};

const route = apiRoute({
  async POST(args) {
    const user = await apiUser(args.request);
    const id = parseWith(Id, args.params.id);
    const fn = actions[args.params.action ?? ""];
    if (!fn) throw new ApiError(404, "not_found", "api.error.notFound");
    const body = await readJson(args.request);
    if (fn !== actions.cancel && fn !== actions.move && !can(user, "floor:operate")) await requireStaffAction(user, id);
    return fn({ ...args, user, id, body });
  },
});

export const loader = route.loader;
export const action = route.action;
