import { Id } from "~/schemas/common";
import { withdrawRoundRequest } from "~/services/rounds/requests.server";
import { apiRoute, apiUser, iso, json, parseWith } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** Withdraw one's own request before the cut-off (another IKM's request is a 404). */
  async POST({ request, params, requestId }) {
    const user = await apiUser(request);
    const roundId = parseWith(Id, params.id);
    const id = parseWith(Id, params.requestId);
    const r = await withdrawRoundRequest(db(), { user, now: now(), requestId }, id, roundId);
    return json({ request: { id: r.id, roundId: r.round_id, start: iso(r.start_at), end: iso(r.end_at), status: r.status } });
  },
});

export const loader = route.loader;
export const action = route.action;
