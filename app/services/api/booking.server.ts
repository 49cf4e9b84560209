/** The API's booking responses, shared by the create and move endpoints: 201/200 with the booking, or 409 with every violation and the alternatives. */
import type { BookingOutcome } from "../booking/decision-input.server";
import { loadFacilityBasics } from "../root.server";
import { apiAlternativeJson, apiBookingJson, apiViolationJson } from "./views.server";
import { getVisibleBooking } from "../booking/commands.server";
import { translate } from "~/i18n";
import { usageOf } from "~/models/booking.server";
import { ApiError, json } from "~/utils/api.server";
import type { AuthUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

export async function bookingOutcomeResponse(outcome: BookingOutcome, user: AuthUser, requestStart: number, successStatus: number): Promise<Response> {
  if (outcome.ok) {
    const row = await getVisibleBooking(db(), user, outcome.booking.id);
    return json(
      {
        booking: apiBookingJson(row ?? outcome.booking, user),
        feeEstimate: outcome.feeEstimate,
        notices: outcome.decision.notices.map((v) => v.code),
        overridden: outcome.decision.overridden.map((v) => v.code),
      },
      successStatus,
    );
  }
  const { timeZone } = await loadFacilityBasics();
  return json(
    {
      error: {
        code: "booking_rejected",
        message: translate(user.language, "api.error.rejected"),
        details: {
          violations: outcome.violations.map((v) => apiViolationJson(v, user.language, timeZone, requestStart)),
          alternatives: outcome.alternatives.map(apiAlternativeJson),
        },
      },
    },
    409,
  );
}

/** A booking as the API shows it, with its usage; 404 when absent or another IKM's. */
export async function visibleBookingJson(user: AuthUser, id: number) {
  const b = await getVisibleBooking(db(), user, id);
  if (!b) throw new ApiError(404, "not_found", "api.error.notFound");
  return apiBookingJson(b, user, await usageOf(db(), id));
}
