/**
 * The demo's allocation round: the weekly_round machine (CUT-01, the plasma cutter) gets an open
 * round for next week with eight requests from five IKMs, competing for the same hours, so the
 * demo shows the whole flow (collect → allocate at the cut-off → explain):
 *
 * - two IKMs with the same recent use of the machine type both want the first window (the
 *   lottery decides), and so does the IKM with the most recent use (it loses on use);
 * - the heaviest user also wants the second and third windows: one goes to an IKM with less
 *   recent use, the other depends on the lottery (round-robin share);
 * - one IKM asks for a window nobody else wants.
 *
 * Every request is in free time of the machine and within its IKM's quotas, as the request form
 * would have accepted it. IKM #1 and #2 (the ikm1/ikm2 logins) and any restricted IKM are left
 * out: ikm1/ikm2 can still book at once elsewhere and try the round themselves.
 *
 * Deterministic: everything is derived from the plan and `now`'s week and local day.
 */
import { roundCutoff, roundWeek } from "../../app/scheduling/allocation";
import { ceilToSlot, dayRange, isoWeekRange, openIntervals } from "../../app/scheduling/calendar";
import { DAY_MS, HOUR_MS, MINUTE_MS, normalize, overlaps, subtract } from "../../app/scheduling/intervals";
import type { Instant, Interval, WeeklyHours } from "../../app/scheduling/types";
import type { DbOrTx } from "../connection";
import { TYPE_WORK } from "./catalog";
import type { DemoPlan, FacilitySettings } from "./model";

export interface RoundSeedInput {
  plan: DemoPlan;
  now: Instant;
  facility: FacilitySettings;
  closures: ReadonlySet<string>;
}

export interface SeededRound {
  roundId: number;
  requests: number;
}

const HOLDING = ["pending", "confirmed", "checked_in"];
/** The requests' length: two hours, shorter when the week has too few free two-hour windows. */
const REQUEST_MINUTES = [120, 90, 60] as const;

/** Free windows of `minutes` in the week on the slot grid, spread: each day's first, then each day's second, … */
function freeWindows(week: Interval, timeZone: string, hours: WeeklyHours, machineHours: WeeklyHours | null, closures: ReadonlySet<string>, busy: Interval[], slotMinutes: number, minutes: number): Interval[] {
  const calendar = { timeZone, hours, closures };
  const perDay: Interval[][] = [];
  for (let t = week.start; t < week.end; t = dayRange(t, timeZone).end) {
    const windows: Interval[] = [];
    for (const piece of subtract(openIntervals(dayRange(t, timeZone), calendar, machineHours), normalize(busy))) {
      for (let s = ceilToSlot(piece.start, slotMinutes, timeZone); s + minutes * MINUTE_MS <= piece.end; s += minutes * MINUTE_MS) {
        windows.push({ start: s, end: s + minutes * MINUTE_MS });
      }
    }
    if (windows.length) perDay.push(windows);
  }
  const out: Interval[] = [];
  for (let i = 0; perDay.some((d) => d.length > i); i++) for (const d of perDay) if (d[i]) out.push(d[i]);
  return out;
}

interface Candidate {
  ikmId: number;
  userId: number;
  /** Minutes of completed use of the machine type in the 30 days before the cut-off. */
  recentUse: number;
}

export async function seedRounds(trx: DbOrTx, input: RoundSeedInput): Promise<SeededRound | null> {
  const { plan, now, facility, closures } = input;
  const machine = plan.machines.find((m) => m.allocation_mode === "weekly_round" && m.status === "active");
  if (!machine || machine.id === undefined) return null;
  const tz = facility.time_zone;
  const week = roundWeek(now, tz);
  const cutoff = roundCutoff(week.start, facility.allocation_cutoff_weekday, facility.allocation_cutoff_time, tz);
  const bufferMs = (machine.buffer_minutes ?? facility.buffer_minutes) * MINUTE_MS;
  const held = plan.bookings.filter((b) => b.machine_id === machine.id && HOLDING.includes(b.status) && overlaps({ start: b.start_at - bufferMs, end: b.hold_end_at }, week));
  const busy = held.map((b) => ({ start: b.start_at - bufferMs, end: b.hold_end_at }));
  const machineHours = machine.hours_json ? (JSON.parse(machine.hours_json) as WeeklyHours) : null;
  const hours = JSON.parse(facility.hours_json) as WeeklyHours;
  const slotMinutes = machine.slot_minutes ?? facility.slot_minutes;
  let windows: Interval[] = [];
  for (const minutes of REQUEST_MINUTES) {
    windows = freeWindows(week, tz, hours, machineHours, closures, busy, slotMinutes, minutes);
    if (windows.length >= 4) break;
  }

  // Who may ask: not IKM #1/#2, not restricted, room in the weekly quota for three requests.
  const quota = machine.weekly_quota_minutes ?? facility.weekly_quota_minutes;
  const maxActive = machine.max_active_bookings ?? facility.max_active_bookings;
  const typeMachines = new Set(plan.machines.filter((m) => m.type_id === machine.type_id).map((m) => m.id));
  const recentFrom = cutoff - 30 * DAY_MS;
  // Active bookings count when the job allocates: at the cut-off, or at once when seeded after it.
  const allocatedAt = Math.max(now, cutoff);
  const all: (Candidate & { room: number })[] = [];
  for (const ikm of plan.ikms.slice(2)) {
    const member = plan.users.find((u) => u.ikm_id === ikm.id && u.role === "ikm");
    if (ikm.id === undefined || !member || member.id === undefined || ikm.restricted_until) continue;
    const mine = plan.bookings.filter((b) => b.ikm_id === ikm.id);
    const typeUsed = mine
      .filter((b) => typeMachines.has(b.machine_id) && [...HOLDING, "completed"].includes(b.status) && overlaps({ start: b.start_at, end: b.end_at }, week))
      .reduce((sum, b) => sum + (b.end_at - b.start_at) / MINUTE_MS, 0);
    if (typeUsed + 3 * REQUEST_MINUTES[0] > quota) continue;
    const room = maxActive - mine.filter((b) => HOLDING.includes(b.status) && b.start_at > allocatedAt).length;
    const recentUse = mine
      // Use by the cut-off: completed, and held bookings that will have been used by then
      // (today's bookings are completed or held depending on the hour of seeding).
      .filter((b) => typeMachines.has(b.machine_id) && [...HOLDING, "completed"].includes(b.status) && b.end_at > recentFrom && b.start_at < cutoff)
      .reduce((sum, b) => sum + (Math.min(b.end_at, cutoff) - Math.max(b.start_at, recentFrom)) / MINUTE_MS, 0);
    all.push({ ikmId: ikm.id, userId: member.id, recentUse, room });
  }
  // Most demo IKMs hold their maximum of active bookings: prefer those with room for three
  // requests, then for one; otherwise some requests will be refused for QUOTA_ACTIVE (also a lesson).
  const roomy = all.filter((c) => c.room >= 3);
  const some = all.filter((c) => c.room >= 1);
  const candidates = roomy.length >= 5 ? roomy : some.length >= 5 ? some : all;
  if (candidates.length < 5 || windows.length < 4) return null;
  const byUse = [...candidates].sort((a, b) => a.recentUse - b.recentUse || a.ikmId - b.ikmId);
  // The tied pair: the lowest recent use shared by two IKMs (else simply the two lowest).
  const tieAt = byUse.findIndex((c, i) => byUse[i + 1]?.recentUse === c.recentUse);
  const [t1, t2] = tieAt >= 0 ? byUse.slice(tieAt, tieAt + 2) : byUse.slice(0, 2);
  const rest = byUse.filter((c) => c !== t1 && c !== t2);
  const heavy = rest[rest.length - 1];
  const [mid, other] = rest.slice(rest.length - 3, rest.length - 1);
  const [w0, w1, w2, w3] = windows;
  const wishes: [Candidate, Interval][] = [
    [heavy, w0],
    [t1, w0],
    [t2, w0],
    [mid, w1],
    [heavy, w1],
    [t1, w2],
    [heavy, w2],
    [other, w3],
  ];

  // The round opened on Monday of this week; the requests came in from 08.00 on, before now.
  const opened = isoWeekRange(now, tz).start;
  const round = await trx
    .insertInto("allocation_rounds")
    .values({ machine_id: machine.id, week_start: week.start, cutoff_at: cutoff, status: "open", seed: null, allocated_at: null, result_json: null, created_at: Math.min(opened, now) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const purposes = TYPE_WORK.CUTTING.purposes;
  await trx
    .insertInto("allocation_requests")
    .values(
      wishes.map(([c, w], i) => ({
        round_id: round.id,
        ikm_id: c.ikmId,
        user_id: c.userId,
        start_at: w.start,
        end_at: w.end,
        purpose: purposes[i % purposes.length],
        assisted: 0,
        status: "requested",
        booking_id: null,
        explanation_json: null,
        created_at: Math.min(opened + 8 * HOUR_MS + i * 47 * MINUTE_MS, now - (wishes.length - i) * MINUTE_MS),
      })),
    )
    .execute();
  return { roundId: round.id, requests: wishes.length };
}
