/**
 * What follows from the generated bookings: waitlist entries for slots other IKMs hold, and the
 * in-app notifications of the ikm1 login (and of the restricted IKM).
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../app/scheduling/intervals";
import type { BookingGenerator, Placed } from "./bookings";
import { TYPE_WORK, UNRELIABLE_IKM_INDEX } from "./catalog";
import type { PlanContext, Row } from "./model";

/** The contested machines people queue for. */
const WAITLIST_MACHINES = ["CUT-01", "PRS-01", "PLT-01", "CNC-01", "PWD-01"];

/**
 * One waiting entry per contested machine: an IKM asked for a slot in the next ten days that
 * another IKM holds, was refused (OVERLAP) and joined the waitlist for exactly that time, so
 * it is offered the slot if it frees. IKM #1 and #2 stay off the waitlist: an offer would
 * change their bookings under the feet of whoever is trying the demo.
 */
export function planWaitlist(ctx: PlanContext, generator: BookingGenerator): Row<"waitlist_entries">[] {
  const { rng, today } = ctx;
  const keptOff = ctx.ikms.slice(0, 2);
  const entries: Row<"waitlist_entries">[] = [];
  for (const code of WAITLIST_MACHINES) {
    const held = generator.placed.filter(
      (p) => p.machine.spec.code === code && p.start > today && p.start < today + 10 * DAY_MS && p.source === "web",
    );
    if (held.length === 0) continue;
    const taken = rng.pick(held);
    const ikm = generator.eligibleIkm(taken.machine, taken.end, [taken.ikm, ...keptOff]);
    const askedAt = rng.minuteBetween(taken.createdAt, today - MINUTE_MS);
    if (!ikm || askedAt === null) continue;
    generator.refuse(ikm, taken.machine, taken, ["OVERLAP"], askedAt);
    entries.push({
      ikm_id: ikm.id,
      user_id: ikm.memberId,
      machine_id: taken.machine.id,
      machine_type_id: taken.machine.typeId,
      earliest_start: taken.start,
      latest_end: taken.end,
      duration_minutes: (taken.end - taken.start) / MINUTE_MS,
      assisted: taken.row.assisted,
      purpose: rng.pick(TYPE_WORK[taken.machine.spec.type].purposes),
      status: "waiting",
      created_at: askedAt + MINUTE_MS,
      updated_at: askedAt + MINUTE_MS,
    });
  }
  return entries;
}

/**
 * ikm1's notifications: for its last two completed bookings the confirmation and the reminder
 * of the day before (both read), and an unread confirmation (or "waiting for approval") for
 * each future booking. The restricted IKM is told of its restriction.
 */
export function planNotifications(ctx: PlanContext, generator: BookingGenerator): Row<"notifications">[] {
  const ikm1 = ctx.ikms[0];
  const mine = generator.placed.filter((p) => p.ikm === ikm1);
  const past = mine.filter((p) => p.status === "completed" && p.source === "web").slice(-2);
  const future = mine.filter((p) => p.start > ctx.today);
  const rows: Row<"notifications">[] = [];
  for (const p of past) {
    rows.push(notification(ikm1.memberId, "booking_confirmed", p, p.createdAt, p.createdAt + 2 * HOUR_MS));
    rows.push(notification(ikm1.memberId, "reminder", p, p.start - DAY_MS, p.start - 20 * HOUR_MS));
  }
  for (const p of future) {
    rows.push(notification(ikm1.memberId, p.status === "pending" ? "booking_pending" : "booking_confirmed", p, p.createdAt, null));
  }
  const unreliable = ctx.ikms[UNRELIABLE_IKM_INDEX];
  const until = generator.restrictedUntil(unreliable);
  if (until !== null) {
    const since = until - ctx.facility.restrict_days * DAY_MS;
    rows.push({
      user_id: unreliable.memberId,
      kind: "restricted",
      booking_id: null,
      params_json: JSON.stringify({ until }),
      read_at: null,
      created_at: since,
    });
  }
  return rows;
}

function notification(
  userId: number,
  kind: string,
  booking: Placed,
  createdAt: number,
  readAt: number | null,
): Row<"notifications"> {
  return {
    user_id: userId,
    kind,
    booking_id: booking.id,
    params_json: JSON.stringify({ machine: booking.machine.spec.code, start: booking.start, end: booking.end }),
    read_at: readAt,
    created_at: createdAt,
  };
}
