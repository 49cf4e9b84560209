import { Id } from "~/schemas/common";
import { AllocateBodySchema } from "~/schemas/rounds";
import { roundJson } from "~/services/api/rounds.server";
import { allocate } from "~/services/rounds/allocate.server";
import { getRound } from "~/services/rounds/views.server";
import { loadFacilityBasics } from "~/services/root.server";
import { apiPermission, apiRoute, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /**
   * Allocate the round now (manager/admin), also before its cut-off (closing it early). `seed` is
   * optional: without it a random one is generated and recorded. 409 when already allocated.
   */
  async POST({ request, params, requestId }) {
    const user = await apiPermission(request, "allocation:run");
    const id = parseWith(Id, params.id);
    const body = parseWith(AllocateBodySchema, await readJson(request));
    const t = now();
    const out = await allocate(db(), { user, now: t, requestId }, id, body.seed);
    const [round, { timeZone }] = await Promise.all([getRound(db(), user, id, t), loadFacilityBasics()]);
    return json({ round: roundJson(round, user.language, timeZone), totals: out.result.totals, seed: out.round.seed });
  },
});

export const loader = route.loader;
export const action = route.action;
