/**
 * The approval queue: pending bookings, future first, grouped with the requests they compete
 * with and ranked by the engine's fair priority (rankCompetitors: least use of the machine
 * type in the last 30 days first, then the earliest request).
 *
 * Which requests compete: two slot-holding bookings of one machine can never overlap (the
 * database refuses it), so pending requests never overlap literally. They compete for the same
 * machine on the same day (its hours, its operator, its consumables); that is the group ranked.
 */
import type { Db, DbOrTx } from "#db/connection";
import { type PriorityReason, localDateKey, rankCompetitors } from "~/scheduling";
import { pendingBookings } from "~/models/floor.server";
import { loadFacility, recentTypeMinutesByIkm } from "~/models/scheduling.server";
import { telLink } from "../contact.server";
import { approveBooking } from "../booking/commands.server";
import type { Ctx } from "../booking/decision-input.server";
import { ServiceError } from "../errors.server";
import { bookingWithNames } from "~/models/booking.server";

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
  typeId: number;
  typeName: string;
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
      typeId: first.machine_type_id,
      typeName: first.type_name,
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

/** One day of the queue: its machines' groups, soonest first. */
export interface QueueDay {
  dateKey: string;
  start: number;
  past: boolean;
  count: number;
  groups: QueueGroup[];
}

export interface QueueFilter {
  /** Only this facility-local day ("YYYY-MM-DD"). */
  date?: string;
  /** Only machines of this type. */
  typeId?: number;
}

/**
 * The queue a technician works through: filtered by day and machine type, grouped by day (each
 * day's machines as approvalQueue ranks them), with the days and types there are to choose from
 * (counted over the whole queue, so a filter never hides where the rest is).
 */
export async function approvalDays(db: DbOrTx, now: number, filter: QueueFilter = {}) {
  const all = await approvalQueue(db, now);
  const count = (gs: QueueGroup[]) => gs.reduce((n, g) => n + g.items.length, 0);
  const dates = [...new Set(all.map((g) => g.dateKey))].map((dateKey) => ({ dateKey, count: count(all.filter((g) => g.dateKey === dateKey)) }));
  const types = [...new Map(all.map((g) => [g.typeId, g.typeName])).entries()]
    .map(([id, name]) => ({ id, name, count: count(all.filter((g) => g.typeId === id)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const shown = all.filter((g) => (!filter.date || g.dateKey === filter.date) && (!filter.typeId || g.typeId === filter.typeId));
  const days: QueueDay[] = [];
  for (const g of shown) {
    const day = days.find((d) => d.dateKey === g.dateKey && d.past === g.past);
    if (day) day.groups.push(g);
    else days.push({ dateKey: g.dateKey, start: g.start, past: g.past, count: 0, groups: [g] });
  }
  for (const d of days) d.count = count(d.groups);
  return { days, dates: dates.sort((a, b) => a.dateKey.localeCompare(b.dateKey)), types, total: count(all) };
}

export interface ApprovalResult {
  id: number;
  ok: boolean;
  /** Why not, as a message key (the booking was cancelled meanwhile, already decided, …). */
  error?: string;
  ikmName: string;
  machineCode: string;
  start: number;
  end: number;
}

/**
 * Approve several requests in one action (a day's group as the technician saw it): each one
 * through the same approveBooking as a single tap — its own transaction, audit entry and message
 * to the IKM — so one that cannot be approved any more is reported and the others still are.
 */
export async function approveMany(db: Db, ctx: Ctx, ids: number[]): Promise<ApprovalResult[]> {
  const results: ApprovalResult[] = [];
  for (const id of [...new Set(ids)]) {
    let error: string | undefined;
    try {
      await approveBooking(db, ctx, id);
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      error = e.messageKey;
    }
    const b = await bookingWithNames(db, id);
    if (!b) results.push({ id, ok: false, error: error ?? "floor.approvals.gone", ikmName: "", machineCode: "", start: 0, end: 0 });
    else results.push({ id, ok: !error, error, ikmName: b.ikm_name, machineCode: b.machine_code, start: Number(b.start_at), end: Number(b.end_at) });
  }
  return results;
}
