import { roundJson } from "~/services/api/rounds.server";
import { listRounds } from "~/services/rounds/views.server";
import { loadFacilityBasics } from "~/services/root.server";
import { apiRoute, apiUser, json } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** The open rounds (next week's, created when missing) and the recent allocated ones, as the caller may see them. */
  async GET({ request }) {
    const user = await apiUser(request);
    const [rounds, { timeZone }] = await Promise.all([listRounds(db(), user, now()), loadFacilityBasics()]);
    return json({ rounds: rounds.map((r) => roundJson(r, user.language, timeZone)) });
  },
});

export const loader = route.loader;
export const action = route.action;
