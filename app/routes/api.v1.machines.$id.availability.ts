import { getMachine } from "~/models/scheduling.server";
import { AvailabilityQuery } from "~/schemas/machine";
import { Id } from "~/schemas/common";
import { availability } from "~/services/booking/availability.server";
import { ApiError, apiRoute, apiUser, iso, json, parseWith, queryObject } from "~/utils/api.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  /** {free: [{start, end}], busy: [{start, end, kind}]}; closed time is in neither list. */
  async GET({ request, params }) {
    await apiUser(request);
    const id = parseWith(Id, params.id);
    const q = parseWith(AvailabilityQuery, queryObject(request));
    const machine = await getMachine(db(), id);
    if (!machine) throw new ApiError(404, "not_found", "api.error.notFound");
    const [a] = await availability([machine], { start: q.from, end: q.to });
    return json({
      machineId: id,
      from: iso(q.from),
      to: iso(q.to),
      free: a.free.map((f) => ({ start: iso(f.start), end: iso(f.end) })),
      busy: a.busy.map((b) => ({ start: iso(b.start), end: iso(b.end), kind: b.kind })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;
