import { Id } from "~/schemas/common";
import { roundJson } from "~/services/api/rounds.server";
import { getRound } from "~/services/rounds/views.server";
import { loadFacilityBasics } from "~/services/root.server";
import { apiRoute, apiUser, json, parseWith } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** One round: staff see every request and the named IKM order; an IKM its own requests and the anonymous order. */
  async GET({ request, params }) {
    const user = await apiUser(request);
    const id = parseWith(Id, params.id);
    const [round, { timeZone }] = await Promise.all([getRound(db(), user, id, now()), loadFacilityBasics()]);
    return json({ round: roundJson(round, user.language, timeZone) });
  },
});

export const loader = route.loader;
export const action = route.action;
