import { Id } from "~/schemas/common";
import { replayRound } from "~/services/rounds/allocate.server";
import { ApiError, apiRoute, apiUser, json, parseWith } from "~/utils/api.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

const route = apiRoute({
  /** Staff: recompute an allocated round from its recorded inputs and seed; `matches` when the published result is reproduced. */
  async GET({ request, params }) {
    const user = await apiUser(request);
    if (!can(user, "allocation:replay")) throw new ApiError(403, "forbidden", "api.error.forbidden");
    const out = await replayRound(db(), parseWith(Id, params.id));
    return json({
      matches: out.matches,
      seed: out.seed,
      totals: out.recomputed.totals,
      requests: out.recomputed.requests.map((r) => ({ requestId: r.requestId, status: r.status })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;
