/**
 * The approval queue: pending bookings, future first, grouped with the requests they compete
 * with and ranked by the engine's fair priority (rankCompetitors: least use of the machine
 * type in the last 30 days first, then the earliest request).
 *
 * Which requests compete: two slot-holding bookings of one machine can never overlap (the
 * database refuses it), so pending requests never overlap literally. They compete for the same
 * machine on the same day (its hours, its operator, its consumables); that is the group ranked.
 */
import type { DbOrTx } from "#db/connection";
import { type PriorityReason, localDateKey, rankCompetitors } from "~/scheduling";
import { pendingBookings } from "~/models/floor.server";
import { loadFacility, recentTypeMinutesByIkm } from "~/models/scheduling.server";
import { telLink } from "../contact.server";

export interface QueueItem {
  id: number;
  machineId: number;
  machineCode: string;
  machineName: string;
  typeName: string;
  ikmId: number;
  ikmName: string;
  tel: string | null;
  start: number;
  end: number;
  purpose: string;
  assisted: boolean;
  source: string;
  requestedAt: number;
  restrictedUntil: number | null;
  rank: number;
  reason: PriorityReason;
  /** Competitors in the group (1 = alone). */
  groupSize: number;
  /** Another request with the same recent use ranks before this one (tie broken by request time). */
  tieBefore: boolean;
}

export interface QueueGroup {
  key: string;
  machineCode: string;
  machineName: string;
  dateKey: string;
  start: number;
  past: boolean;
  items: QueueItem[];
}

export async function approvalQueue(db: DbOrTx, now: number): Promise<QueueGroup[]> {
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const rows = await pendingBookings(db);
  const used = new Map<number, Map<number, number>>();
  for (const typeId of new Set(rows.map((r) => r.machine_type_id))) {
    const ikms = [...new Set(rows.filter((r) => r.machine_type_id === typeId).map((r) => r.ikm_id))];
    used.set(typeId, await recentTypeMinutesByIkm(db, typeId, ikms, now));
  }
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.machine_id}:${localDateKey(Number(r.start_at), tz)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const groups: QueueGroup[] = [];
  for (const [key, list] of byKey) {
    const ranked = rankCompetitors(
      list.map((r) => ({ key: r.id, ikmId: r.ikm_id, requestedAt: Number(r.created_at), recentTypeMinutes: used.get(r.machine_type_id)?.get(r.ikm_id) ?? 0, row: r })),
    );
    const first = list[0];
    groups.push({
      key,
      machineCode: first.machine_code,
      machineName: first.machine_name,
      dateKey: localDateKey(Number(first.start_at), tz),
      start: Math.min(...list.map((r) => Number(r.start_at))),
      past: Math.min(...list.map((r) => Number(r.start_at))) < now,
      items: ranked.map((c, i) => ({
        id: c.row.id,
        machineId: c.row.machine_id,
        machineCode: c.row.machine_code,
        machineName: c.row.machine_name,
        typeName: c.row.type_name,
        ikmId: c.row.ikm_id,
        ikmName: c.row.ikm_name,
        tel: telLink(c.row.ikm_phone),
        start: Number(c.row.start_at),
        end: Number(c.row.end_at),
        purpose: c.row.purpose,
        assisted: c.row.assisted === 1,
        source: c.row.source,
        requestedAt: c.requestedAt,
        restrictedUntil: c.row.ikm_restricted_until !== null && Number(c.row.ikm_restricted_until) > now ? Number(c.row.ikm_restricted_until) : null,
        rank: c.rank,
        reason: c.reason,
        groupSize: ranked.length,
        tieBefore: i > 0 && ranked[i - 1].recentTypeMinutes === c.recentTypeMinutes,
      })),
    });
  }
  // Future first (soonest first), then requests whose start has already passed.
  return groups.sort((a, b) => Number(a.past) - Number(b.past) || a.start - b.start || a.machineCode.localeCompare(b.machineCode));
}
