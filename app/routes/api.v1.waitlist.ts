import { WaitlistJoinSchema } from "~/schemas/waitlist";
import { joinWaitlist, listOwnEntries, rankedWaitlist } from "~/services/booking/waitlist.server";
import type { WaitlistEntry } from "#db/schema";
import { ApiError, apiRoute, apiUser, iso, json, parseWith, readJson } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can, isStaff } from "~/utils/permissions";

function entryJson(e: WaitlistEntry & { offer_start?: number | null; offer_end?: number | null }) {
  return {
    id: e.id,
    ikmId: e.ikm_id,
    machineId: e.machine_id,
    machineTypeId: e.machine_type_id,
    earliestStart: iso(e.earliest_start),
    latestEnd: iso(e.latest_end),
    durationMinutes: e.duration_minutes,
    purpose: e.purpose,
    status: e.status,
    offeredBookingId: e.offered_booking_id,
    offerExpiresAt: iso(e.offer_expires_at),
    createdAt: iso(e.created_at),
  };
}

const route = apiRoute({
  /** An IKM's own entries; for staff, every waiting entry per machine type in fair-priority order with the reason. */
  async GET({ request }) {
    const user = await apiUser(request);
    if (isStaff(user)) {
      const groups = await rankedWaitlist(db(), now());
      return json({
        ranking: groups.map((g) => ({
          machineTypeId: g.typeId,
          machineTypeName: g.typeName,
          entries: g.entries.map((r) => ({ ...entryJson(r.entry), ikmName: r.entry.ikm_name, rank: r.rank, reason: { code: r.reason.code, recentTypeMinutes: r.reason.recentTypeMinutes } })),
        })),
      });
    }
    return json({ entries: (await listOwnEntries(db(), user.ikmId ?? -1)).map(entryJson) });
  },
  /** Join the waitlist (IKM members). */
  async POST({ request, requestId }) {
    const user = await apiUser(request);
    if (!can(user, "waitlist:join")) throw new ApiError(403, "forbidden", "api.error.forbidden");
    const body = parseWith(WaitlistJoinSchema, await readJson(request));
    const entry = await joinWaitlist(db(), { user, now: now(), requestId }, body);
    return json({ entry: entryJson(entry) }, 201);
  },
});

export const loader = route.loader;
export const action = route.action;
