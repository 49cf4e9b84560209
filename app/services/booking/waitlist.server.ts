/**
 * The waitlist: an IKM that could not get a slot waits for a machine (or any machine of a type)
 * within a window. When time frees (cancellation, rejection, no-show, maintenance ended early),
 * the best-placed fitting entry — fair priority: least recent use of the type, then first come —
 * is offered the slot as a pending booking and told; an offer not accepted in time (default 2 h,
 * never past the slot's start) expires and the time passes to the next entry.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { Booking, WaitlistEntry } from "#db/schema";
import { type Interval, candidateSlots, decide, offerExpiry, rankCompetitors, wishFits } from "~/scheduling";
import { getMachine, loadFacility, recentTypeMinutesByIkm } from "~/models/scheduling.server";
import { type Principal, can, isOwnIkm } from "~/utils/permissions";
import { audit } from "../audit.server";
import { type Ctx, holdEnd, loadDecisionInput } from "./decision-input.server";
import { slotFreed } from "./freed-time.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";
import { insertBooking } from "~/models/booking.server";

const MAX_OPEN_ENTRIES_PER_IKM = 5;

/** The user behind an action, or null for the system (jobs). */
const actorId = (ctx: Ctx) => (ctx.user.id > 0 ? ctx.user.id : null);

export interface JoinInput {
  machineId?: number;
  machineTypeId?: number;
  earliestStart: number;
  latestEnd: number;
  durationMinutes: number;
  purpose: string;
  assisted?: boolean;
}

export async function joinWaitlist(db: Db, ctx: Ctx, input: JoinInput): Promise<WaitlistEntry> {
  const user = ctx.user;
  if (!can(user, "waitlist:join") || user.ikmId === null) throw new ServiceError("forbidden", "error.forbidden.title");
  const ikmId = user.ikmId;
  return immediate(db, async (trx) => {
    let typeId = input.machineTypeId;
    if (input.machineId !== undefined) {
      const machine = await getMachine(trx, input.machineId);
      if (!machine || machine.status === "retired") throw new ServiceError("invalid", "waitlist.error.machine", { field: "machineId" });
      typeId = machine.type_id;
    } else {
      const type = await trx.selectFrom("machine_types").select("id").where("id", "=", typeId as number).executeTakeFirst();
      if (!type) throw new ServiceError("invalid", "waitlist.error.machine", { field: "machineTypeId" });
    }
    if (input.latestEnd <= ctx.now) throw new ServiceError("invalid", "waitlist.error.past", { field: "latestEnd" });
    const open = await trx
      .selectFrom("waitlist_entries")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ikm_id", "=", ikmId)
      .where("status", "in", ["waiting", "offered"])
      .executeTakeFirstOrThrow();
    if (Number(open.n) >= MAX_OPEN_ENTRIES_PER_IKM) throw new ServiceError("invalid", "waitlist.error.tooMany", { max: MAX_OPEN_ENTRIES_PER_IKM });
    const entry = await trx
      .insertInto("waitlist_entries")
      .values({
        ikm_id: ikmId,
        user_id: user.id,
        machine_id: input.machineId ?? null,
        machine_type_id: typeId as number,
        earliest_start: Math.max(input.earliestStart, ctx.now),
        latest_end: input.latestEnd,
        duration_minutes: input.durationMinutes,
        assisted: input.assisted ? 1 : 0,
        purpose: input.purpose,
        status: "waiting",
        offered_booking_id: null,
        offer_expires_at: null,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: user.id, action: "waitlist.join", entity: "waitlist_entry", entityId: entry.id, after: entry, requestId: ctx.requestId, at: ctx.now });
    return entry;
  });
}

/**
 * Offer freed time on a machine to the waitlist (registered as the booking service's freed-time
 * listener, so it runs inside the transaction that freed the time). Entries are tried in fair
 * priority order; each gets the earliest slot inside its window that the engine accepts for it.
 * Several entries can be served from one long freed stretch.
 */
export async function offerFreedTime(trx: DbOrTx, ctx: Ctx, freed: { machineId: number } & Interval): Promise<void> {
  const machine = await getMachine(trx, freed.machineId);
  if (machine?.status !== "active") return;
  const candidates = (
    await trx
      .selectFrom("waitlist_entries")
      .innerJoin("ikms", "ikms.id", "waitlist_entries.ikm_id")
      .selectAll("waitlist_entries")
      .where("waitlist_entries.status", "=", "waiting")
      // A deactivated IKM is not offered anything.
      .where("ikms.active", "=", 1)
      .where((eb) => eb.or([eb("machine_id", "=", machine.id), eb.and([eb("machine_id", "is", null), eb("machine_type_id", "=", machine.type_id)])]))
      .where("earliest_start", "<", freed.end)
      .where("latest_end", ">", freed.start)
      .execute()
  ).filter((e) => wishFits(wishOf(e), { id: machine.id, typeId: machine.type_id }, freed));
  if (!candidates.length) return;
  const facility = await loadFacility(trx);
  const recent = await recentTypeMinutesByIkm(trx, machine.type_id, [...new Set(candidates.map((e) => e.ikm_id))], ctx.now);
  const ranked = rankCompetitors(candidates.map((e) => ({ key: e.id, ikmId: e.ikm_id, requestedAt: Number(e.created_at), recentTypeMinutes: recent.get(e.ikm_id) ?? 0, entry: e })));
  const slotMinutes = machine.slot_minutes ?? facility.slot_minutes;
  const noticeMinutes = machine.notice_minutes ?? facility.notice_minutes;
  for (const { entry, rank } of ranked) {
    const member: Principal = { id: entry.user_id, role: "ikm", ikmId: entry.ikm_id };
    const asMember: Ctx = { user: member, now: ctx.now, requestId: ctx.requestId };
    const slots = candidateSlots(wishOf(entry), freed, { slotMinutes, timeZone: facility.time_zone, notBefore: ctx.now + noticeMinutes * 60_000 });
    for (const slot of slots) {
      const req = { machineId: machine.id, start: slot.start, end: slot.end, purpose: entry.purpose, assisted: entry.assisted === 1, source: "waitlist" as const };
      const loaded = await loadDecisionInput(trx, asMember, machine, entry.ikm_id, req);
      if (!decide(loaded.input).ok) continue;
      const booking = await insertBooking(
        trx,
        {
          machine_id: machine.id,
          ikm_id: entry.ikm_id,
          booked_by: entry.user_id,
          start_at: slot.start,
          end_at: slot.end,
          hold_end_at: holdEnd(loaded, slot.end),
          status: "pending",
          source: "waitlist",
          purpose: entry.purpose,
          assisted: loaded.input.request.assisted,
        },
        ctx.now,
      );
      const expiresAt = offerExpiry(ctx.now, facility.waitlist_offer_minutes, slot.start);
      const after = await trx
        .updateTable("waitlist_entries")
        .set({ status: "offered", offered_booking_id: booking.id, offer_expires_at: expiresAt, updated_at: ctx.now })
        .where("id", "=", entry.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actorUserId: actorId(ctx),
        action: "waitlist.offer",
        entity: "waitlist_entry",
        entityId: entry.id,
        before: entry,
        after: { ...after, rank, recentTypeMinutes: recent.get(entry.ikm_id) ?? 0 },
        requestId: ctx.requestId,
        at: ctx.now,
      });
      await notifyIkm(trx, entry.ikm_id, "waitlist_offer", booking.id, { machine: machine.code, start: slot.start, end: slot.end, expiresAt }, ctx.now);
      break;
    }
  }
}

function wishOf(e: WaitlistEntry) {
  return {
    machineId: e.machine_id,
    machineTypeId: e.machine_type_id,
    earliestStart: Number(e.earliest_start),
    latestEnd: Number(e.latest_end),
    durationMinutes: e.duration_minutes,
  };
}

async function ownEntry(trx: DbOrTx, user: Principal, id: number): Promise<WaitlistEntry> {
  const e = await trx.selectFrom("waitlist_entries").selectAll().where("id", "=", id).executeTakeFirst();
  if (!e || !isOwnIkm(user, e.ikm_id)) throw notFound();
  return e;
}

/** The IKM accepts an offer: the booking is confirmed (or waits for approval on approval machines). */
export async function acceptOffer(db: Db, ctx: Ctx, id: number): Promise<Booking> {
  return immediate(db, async (trx) => {
    const entry = await ownEntry(trx, ctx.user, id);
    if (entry.status !== "offered" || entry.offered_booking_id === null || Number(entry.offer_expires_at) <= ctx.now) {
      throw new ServiceError("invalid_state", "waitlist.error.noOffer");
    }
    const before = await trx.selectFrom("bookings").selectAll().where("id", "=", entry.offered_booking_id).executeTakeFirstOrThrow();
    const machine = await getMachine(trx, before.machine_id);
    const status = machine?.requires_approval ? "pending" : "confirmed";
    const booking = await trx.updateTable("bookings").set({ status, updated_at: ctx.now }).where("id", "=", before.id).returningAll().executeTakeFirstOrThrow();
    await trx.updateTable("waitlist_entries").set({ status: "booked", updated_at: ctx.now }).where("id", "=", id).execute();
    await audit(trx, { actorUserId: ctx.user.id, action: "waitlist.accept", entity: "booking", entityId: booking.id, before, after: booking, requestId: ctx.requestId, at: ctx.now });
    return booking;
  });
}

/** The IKM declines an offer: the entry is withdrawn and the time passes to the next entry. */
export async function declineOffer(db: Db, ctx: Ctx, id: number): Promise<void> {
  await immediate(db, async (trx) => {
    const entry = await ownEntry(trx, ctx.user, id);
    if (entry.status !== "offered" || entry.offered_booking_id === null) throw new ServiceError("invalid_state", "waitlist.error.noOffer");
    await trx.updateTable("waitlist_entries").set({ status: "withdrawn", updated_at: ctx.now }).where("id", "=", id).execute();
    const booking = await releaseOffer(trx, ctx, entry.offered_booking_id, "waitlist_declined");
    await audit(trx, { actorUserId: ctx.user.id, action: "waitlist.decline", entity: "waitlist_entry", entityId: id, before: entry, requestId: ctx.requestId, at: ctx.now });
    if (booking) await slotFreed(trx, ctx, booking);
  });
}

/** The IKM leaves the waitlist (a waiting entry; an offered one is declined instead). */
export async function withdrawEntry(db: Db, ctx: Ctx, id: number): Promise<void> {
  const entry = await ownEntry(db, ctx.user, id);
  if (entry.status === "offered") return declineOffer(db, ctx, id);
  if (entry.status !== "waiting") throw new ServiceError("invalid_state", "waitlist.error.notWaiting");
  await immediate(db, async (trx) => {
    await trx.updateTable("waitlist_entries").set({ status: "withdrawn", updated_at: ctx.now }).where("id", "=", id).where("status", "=", "waiting").execute();
    await audit(trx, { actorUserId: ctx.user.id, action: "waitlist.withdraw", entity: "waitlist_entry", entityId: id, before: entry, requestId: ctx.requestId, at: ctx.now });
  });
}

/** Cancel an offer's pending booking (declined or expired); returns it when it still held the slot. */
async function releaseOffer(trx: DbOrTx, ctx: Ctx, bookingId: number, reason: string): Promise<Booking | null> {
  const released = await trx
    .updateTable("bookings")
    .set({ status: "cancelled", cancelled_at: ctx.now, status_reason: reason, updated_at: ctx.now })
    .where("id", "=", bookingId)
    .where("status", "=", "pending")
    .returningAll()
    .executeTakeFirst();
  return released ?? null;
}

/**
 * The job: offers not accepted in time expire (their time passes to the next entry), and
 * waiting entries whose window has passed expire (they count as unmet demand).
 */
export async function expireWaitlist(db: Db, now: number): Promise<{ offers: number; entries: number }> {
  const system: Ctx = { user: { id: 0, role: "admin", ikmId: null }, now };
  return immediate(db, async (trx) => {
    const lapsed = await trx.selectFrom("waitlist_entries").selectAll().where("status", "=", "offered").where("offer_expires_at", "<=", now).execute();
    for (const entry of lapsed) {
      await trx.updateTable("waitlist_entries").set({ status: "expired", updated_at: now }).where("id", "=", entry.id).execute();
      const booking = entry.offered_booking_id === null ? null : await releaseOffer(trx, system, entry.offered_booking_id, "waitlist_offer_expired");
      await audit(trx, { actorUserId: null, action: "waitlist.offer_expired", entity: "waitlist_entry", entityId: entry.id, before: entry, at: now });
      if (booking) await slotFreed(trx, system, booking);
    }
    const stale = await trx
      .updateTable("waitlist_entries")
      .set({ status: "expired", updated_at: now })
      .where("status", "=", "waiting")
      .where("latest_end", "<=", now)
      .returning("id")
      .execute();
    return { offers: lapsed.length, entries: stale.length };
  });
}

/** An IKM's own entries (newest first), with the offered booking's time. */
export function listOwnEntries(db: DbOrTx, ikmId: number) {
  return db
    .selectFrom("waitlist_entries")
    .leftJoin("machines", "machines.id", "waitlist_entries.machine_id")
    .innerJoin("machine_types", "machine_types.id", "waitlist_entries.machine_type_id")
    .leftJoin("bookings", "bookings.id", "waitlist_entries.offered_booking_id")
    .selectAll("waitlist_entries")
    .select(["machines.code as machine_code", "machines.name as machine_name", "machine_types.name as type_name", "bookings.start_at as offer_start", "bookings.end_at as offer_end"])
    .where("waitlist_entries.ikm_id", "=", ikmId)
    .orderBy("waitlist_entries.created_at", "desc")
    .limit(50)
    .execute();
}

/** Staff: every waiting or offered entry, grouped per machine type in fair-priority order with the reason. */
export async function rankedWaitlist(db: DbOrTx, now: number) {
  const entries = await db
    .selectFrom("waitlist_entries")
    .innerJoin("ikms", "ikms.id", "waitlist_entries.ikm_id")
    .innerJoin("machine_types", "machine_types.id", "waitlist_entries.machine_type_id")
    .leftJoin("machines", "machines.id", "waitlist_entries.machine_id")
    .selectAll("waitlist_entries")
    .select(["ikms.name as ikm_name", "ikms.phone as ikm_phone", "machine_types.name as type_name", "machines.code as machine_code"])
    .where("waitlist_entries.status", "in", ["waiting", "offered"])
    .orderBy("waitlist_entries.created_at")
    .execute();
  const byType = new Map<number, typeof entries>();
  for (const e of entries) byType.set(e.machine_type_id, [...(byType.get(e.machine_type_id) ?? []), e]);
  const groups = [];
  for (const [typeId, list] of byType) {
    const recent = await recentTypeMinutesByIkm(db, typeId, [...new Set(list.map((e) => e.ikm_id))], now);
    const ranked = rankCompetitors(list.map((e) => ({ key: e.id, ikmId: e.ikm_id, requestedAt: Number(e.created_at), recentTypeMinutes: recent.get(e.ikm_id) ?? 0, entry: e })));
    groups.push({ typeId, typeName: list[0].type_name, entries: ranked });
  }
  return groups;
}
