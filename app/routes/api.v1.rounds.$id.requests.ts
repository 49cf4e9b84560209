import { translate } from "~/i18n";
import { Id } from "~/schemas/common";
import { RoundRequestCreateSchema } from "~/schemas/rounds";
import { apiViolationJson } from "~/services/api/views.server";
import { submitRoundRequest } from "~/services/rounds/requests.server";
import { ServiceError } from "~/services/errors.server";
import { loadFacilityBasics } from "~/services/root.server";
import { ApiError, apiRoute, apiUser, iso, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

const route = apiRoute({
  /**
   * Ask for a slot in the round: 201 with the request, or 409 (code "request_rejected") with every
   * violation when it could never be granted. IKM members ask for their IKM, staff name `ikmId`.
   */
  async POST({ request, params, requestId }) {
    const user = await apiUser(request);
    if (!can(user, "booking:make")) throw new ApiError(403, "forbidden", "api.error.forbidden");
    const roundId = parseWith(Id, params.id);
    const body = parseWith(RoundRequestCreateSchema, await readJson(request));
    let out: Awaited<ReturnType<typeof submitRoundRequest>>;
    try {
      out = await submitRoundRequest(db(), { user, now: now(), requestId }, { roundId, ...body });
    } catch (error) {
      // The frame translates a service error without its parameters; this one has some ({max}).
      if (!(error instanceof ServiceError) || error.code !== "invalid") throw error;
      const params = Object.fromEntries(Object.entries(error.details).filter((e): e is [string, string | number] => typeof e[1] === "string" || typeof e[1] === "number"));
      return json({ error: { code: "invalid_input", message: translate(user.language, error.messageKey, params), details: error.details } }, 400);
    }
    if (out.ok) {
      const r = out.request;
      return json(
        {
          request: { id: r.id, roundId: r.round_id, ikmId: r.ikm_id, start: iso(r.start_at), end: iso(r.end_at), purpose: r.purpose, assisted: r.assisted === 1, status: r.status, createdAt: iso(r.created_at) },
        },
        201,
      );
    }
    const { timeZone } = await loadFacilityBasics();
    return json(
      {
        error: {
          code: "request_rejected",
          message: translate(user.language, "round.refusedNow"),
          details: { violations: out.violations.map((v) => apiViolationJson(v, user.language, timeZone, body.start)) },
        },
      },
      409,
    );
  },
});

export const loader = route.loader;
export const action = route.action;
