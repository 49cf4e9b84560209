/** The technician's booking actions for the API (check-in, check-out, no-show), dispatched by POST /api/v1/bookings/:id/:action. */
import type { BookingAction } from "~/utils/api.server";

export const floorApiActions: Record<string, BookingAction> = {};
