/**
 * Booking generation. Each machine's open days are walked in time order: the free time is
 * filled with bookings of 1–4 h on the slot grid (never across a break, the machine's buffer
 * kept between them), thinned to the machine's utilization, and each booking is given to an IKM
 * the way the engine would allow it (qualification, weekly quota, active bookings, operators on
 * duty). Past bookings get an outcome and, when completed, a usage record with its fee. The
 * requests the rules refuse along the way are recorded as booking attempts ("unmet demand").
 *
 * Slot-holding bookings of a machine never overlap by construction, buffers included, so the
 * database triggers that guard that rule never fire.
 */
import { breakIntervals, isoWeekRange, localDateKey, localDay, openIntervals } from "../../app/scheduling/calendar";
import type { LocalDay } from "../../app/scheduling/calendar";
import { computeFee } from "../../app/scheduling/fees";
import { DAY_MS, HOUR_MS, MINUTE_MS, gapMs, overlaps, subtract, totalMinutes } from "../../app/scheduling/intervals";
import { restrictionUntil } from "../../app/scheduling/restriction";
import type { BookingStatus, Instant, Interval } from "../../app/scheduling/types";
import { CANCEL_REASONS, REJECT_REASONS, SECTOR_TYPES, TYPE_WORK, UNRELIABLE_IKM_INDEX, WORKER_NAMES } from "./catalog";
import type { PlanContext, Row, SeedIkm, SeedMachine } from "./model";
import { Rng, hashSeed } from "./random";

/** A booking placed on a machine's day, with what later steps need to know about it. */
export interface Placed extends Interval {
  id: number;
  machine: SeedMachine;
  ikm: SeedIkm;
  status: BookingStatus;
  source: "web" | "backfill" | "walk_in";
  createdAt: Instant;
  /** The open period (less maintenance) the booking lies in. */
  period: Interval;
  row: Row<"bookings">;
}

/** Booking lengths in minutes and how often each is asked for, in the past… */
const PAST_DURATIONS: readonly [number, number][] = [
  [60, 1],
  [90, 1],
  [120, 3],
  [150, 2],
  [180, 3],
  [210, 1],
  [240, 3],
];
/** …and ahead: firms booking weeks ahead reserve longer blocks. Longer blocks also keep the
 * IKMs under their limit of active bookings at a realistic utilization. */
const FUTURE_DURATIONS: readonly [number, number][] = [
  [120, 1],
  [150, 1],
  [180, 3],
  [210, 2],
  [240, 4],
  [270, 2], // a whole morning, Monday to Thursday
];

/** IKM #1 and #2 (the ikm1/ikm2 logins) keep room to book: at most this many future bookings… */
const DEMO_IKM_MAX_FUTURE = 3;
/** …and at most this many minutes per ISO week and machine type from the current week on. */
const DEMO_IKM_WEEKLY_MINUTES = 240;

export class BookingGenerator {
  readonly bookings: Row<"bookings">[] = [];
  readonly usage: Row<"usage_records">[] = [];
  readonly attempts: Row<"booking_attempts">[] = [];
  /** Every placed booking, in generation order. */
  readonly placed: Placed[] = [];

  private nextId: number;
  private readonly slotMs: number;
  private readonly timeZone: string;
  private readonly currentWeekStart: Instant;
  /** Minutes booked per IKM, machine type and ISO week: `${ikmId}:${typeId}:${weekStart}`. */
  private readonly weekMinutes = new Map<string, number>();
  /** Future slot-holding bookings per IKM. */
  private readonly activeFuture = new Map<number, number>();
  private readonly noShows = new Map<number, Instant[]>();
  /** Assisted bookings (all machines) per local day, to respect the operators on duty. */
  private readonly assisted = new Map<string, Interval[]>();
  private readonly quotaRefused = new Set<string>();
  /** IKMs under the no-show restriction, known once the history is generated. */
  private readonly restrictions = new Map<number, Interval>();
  /** Today's bookings, settled against `now` at the end of planning. */
  private todayPlaced: Placed[] = [];

  constructor(
    private readonly ctx: PlanContext,
    firstBookingId: number,
    /** Maintenance windows per machine id: no booking is placed on them. */
    private readonly maintenance: Map<number, Interval[]>,
  ) {
    this.nextId = firstBookingId;
    this.slotMs = ctx.facility.slot_minutes * MINUTE_MS;
    this.timeZone = ctx.calendar.timeZone;
    this.currentWeekStart = isoWeekRange(ctx.today, this.timeZone).start;
  }

  /** The days from `from` up to yesterday: completed, cancelled, rejected and no-show bookings. */
  generateHistory(from: Instant): void {
    for (let day = localDay(from, this.timeZone); day.start < this.ctx.today; day = localDay(day.end, this.timeZone)) {
      for (const machine of this.ctx.machines) {
        this.planMachineDay(machine, day, false);
      }
      this.refusedOutsideHours(day);
    }
    this.deriveRestrictions();
  }

  /**
   * The days from tomorrow to the last one that starts within the booking horizon from today's
   * midnight (so from `now` too): confirmed and pending bookings.
   */
  generateFuture(): void {
    const horizonEnd = this.ctx.today + this.ctx.facility.horizon_days * DAY_MS;
    const tomorrow = this.ctx.today + DAY_MS;
    for (let day = localDay(tomorrow, this.timeZone); day.start < horizonEnd; day = localDay(day.end, this.timeZone)) {
      for (const machine of this.ctx.machines) this.planMachineDay(machine, day, true);
    }
  }

  /**
   * Today's bookings, laid out like any future day (so the set depends only on the date), then
   * settled against `now` by settleToday once everything else is planned: what has ended is
   * completed with its usage, what is running is checked in. The technician's board has a day
   * to run.
   */
  generateToday(): void {
    const day = localDay(this.ctx.today, this.timeZone);
    const before = this.placed.length;
    this.withRng(this.todayRng, () => {
      for (const machine of this.ctx.machines) this.planMachineDay(machine, day, true);
    });
    this.todayPlaced = this.placed.slice(before);
  }

  /** Today's own random stream, so adding today leaves every other day of the demo unchanged. */
  private get todayRng(): Rng {
    this.todayRandom ??= new Rng(hashSeed(`giliran-demo-today:${localDateKey(this.ctx.today, this.timeZone)}`));
    return this.todayRandom;
  }
  private todayRandom: Rng | null = null;

  private withRng(rng: Rng, fn: () => void): void {
    const shared = this.ctx.rng;
    (this.ctx as { rng: Rng }).rng = rng;
    try {
      fn();
    } finally {
      (this.ctx as { rng: Rng }).rng = shared;
    }
  }

  settleToday(now: Instant): void {
    this.withRng(this.todayRng, () => this.settle(now));
  }

  private settle(now: Instant): void {
    const breaks = breakIntervals(localDay(this.ctx.today, this.timeZone), this.ctx.calendar);
    for (const b of this.todayPlaced) {
      if (b.start >= now) continue;
      const actualStart = Math.min(now - MINUTE_MS, b.start + this.ctx.rng.int(0, 10) * MINUTE_MS);
      if (b.end <= now) {
        const actualEnd = Math.max(actualStart + 15 * MINUTE_MS, Math.min(b.end, now) - this.ctx.rng.int(0, 10) * MINUTE_MS);
        b.status = "completed";
        b.row.status = "completed";
        const usage = this.usageRow(b, actualStart, actualEnd, breaks);
        b.row.updated_at = usage.updated_at;
        this.usage.push(usage);
      } else {
        b.status = "checked_in";
        b.row.status = "checked_in";
        const usage = this.usageRow(b, actualStart, actualStart, breaks);
        this.usage.push({ ...usage, actual_end: null, billable_minutes: null, hourly_rate: null, fee: null, condition: null, output_quantity: null, output_unit: null, confirmed_by: null, confirmed_at: null, updated_at: actualStart });
        b.row.updated_at = actualStart;
      }
    }
  }

  /** Until when an IKM is restricted to approval-only bookings, or null. */
  restrictedUntil(ikm: SeedIkm): Instant | null {
    return this.restrictions.get(ikm.id)?.end ?? null;
  }

  // -------------------------------------------------------------------------------------------
  // One machine, one day

  private planMachineDay(machine: SeedMachine, day: LocalDay, future: boolean): void {
    const open = openIntervals(day, this.ctx.calendar, machine.spec.hours);
    const free = subtract(open, this.maintenance.get(machine.id) ?? []);
    const utilization = future ? futureUtilization(machine, (day.start - this.ctx.today) / DAY_MS) : machine.spec.busyness;
    const placed: Placed[] = [];
    const durations = future ? FUTURE_DURATIONS : PAST_DURATIONS;
    for (const slot of this.layOut(machine, free, utilization, durations)) {
      const booking = future ? this.placeFuture(machine, day, slot) : this.placePast(machine, day, slot);
      if (booking) placed.push(booking);
    }
    if (!future) this.recordUsage(placed, day);
    this.refusedOverlaps(machine, placed, future);
  }

  /**
   * Candidate bookings for one machine-day: each free period is filled back to back (plus the
   * buffer) with random lengths that fit, then each is kept with the probability that makes the
   * kept time `utilization` of the free time on average.
   */
  private layOut(
    machine: SeedMachine,
    free: Interval[],
    utilization: number,
    durations: readonly [number, number][],
  ): (Interval & { period: Interval })[] {
    const { rng } = this.ctx;
    const bufferMs = Math.ceil(machine.bufferMinutes / this.ctx.facility.slot_minutes) * this.slotMs;
    const filled: (Interval & { period: Interval })[] = [];
    for (const period of free) {
      let cursor = period.start;
      for (;;) {
        const room = (period.end - cursor) / MINUTE_MS;
        const fits = durations.filter(([m]) => m <= room && m >= machine.minMinutes && m <= machine.maxMinutes);
        const choice = rng.weighted(fits, ([, weight]) => weight);
        if (!choice) break;
        const end = cursor + choice[0] * MINUTE_MS;
        filled.push({ start: cursor, end, period });
        cursor = end + bufferMs;
      }
    }
    const filledMinutes = totalMinutes(filled);
    if (filledMinutes === 0) return [];
    const keep = Math.min(1, (utilization * totalMinutes(free)) / filledMinutes);
    return filled.filter(() => rng.chance(keep));
  }

  // -------------------------------------------------------------------------------------------
  // Placing a booking

  private placePast(machine: SeedMachine, day: LocalDay, slot: Interval & { period: Interval }): Placed | null {
    const { rng } = this.ctx;
    const requestedAt = slot.start - rng.int(26 * 60, 14 * 24 * 60) * MINUTE_MS;
    const assisted = this.operatorFor(machine, day, slot);
    if (assisted === null) return null;
    const ikm = this.chooseIkm(machine, slot, requestedAt, false);
    if (!ikm) return null;
    const outcome = this.pastOutcome(machine, ikm, slot, requestedAt);
    const source = outcome.status === "completed" ? pastSource(rng.next()) : "web";
    const createdAt =
      source === "walk_in"
        ? slot.start - rng.int(0, 20) * MINUTE_MS
        : source === "backfill"
          ? Math.min(slot.end + rng.int(60, 48 * 60) * MINUTE_MS, this.ctx.today - MINUTE_MS)
          : requestedAt;
    const bookedBy = source === "web" ? ikm.memberId : rng.pick(this.ctx.staff.technicians).id;
    return this.commit(machine, ikm, slot, { ...outcome, source, createdAt, bookedBy, assisted });
  }

  private placeFuture(machine: SeedMachine, day: LocalDay, slot: Interval & { period: Interval }): Placed | null {
    const { rng, today } = this.ctx;
    // Asked up to ten days ago, but never earlier than the booking horizon allowed.
    const earliest = slot.start - (this.ctx.facility.horizon_days - 1) * DAY_MS;
    const createdAt = Math.max(earliest, today - rng.int(60, 10 * 24 * 60) * MINUTE_MS);
    const assisted = this.operatorFor(machine, day, slot);
    if (assisted === null) return null;
    const ikm = this.chooseIkm(machine, slot, createdAt, true);
    if (!ikm) return null;
    this.activeFuture.set(ikm.id, (this.activeFuture.get(ikm.id) ?? 0) + 1);
    const restriction = this.restrictions.get(ikm.id);
    const restricted = restriction !== undefined && createdAt >= restriction.start && createdAt < restriction.end;
    const status = machine.spec.requiresApproval || restricted ? "pending" : "confirmed";
    return this.commit(machine, ikm, slot, {
      status,
      source: "web",
      createdAt,
      updatedAt: createdAt,
      bookedBy: ikm.memberId,
      assisted,
    });
  }

  private commit(
    machine: SeedMachine,
    ikm: SeedIkm,
    slot: Interval & { period: Interval },
    b: Outcome & { source: Placed["source"]; createdAt: Instant; bookedBy: number; assisted: boolean },
  ): Placed {
    const id = this.nextId++;
    const key = this.weekKey(ikm, machine, slot.start);
    this.weekMinutes.set(key, (this.weekMinutes.get(key) ?? 0) + (slot.end - slot.start) / MINUTE_MS);
    if (b.assisted) this.assistedOn(localDay(slot.start, this.timeZone)).push(slot);
    const row: Row<"bookings"> = {
      id,
      machine_id: machine.id,
      ikm_id: ikm.id,
      booked_by: b.bookedBy,
      start_at: slot.start,
      end_at: slot.end,
      hold_end_at: slot.end + machine.bufferMinutes * MINUTE_MS,
      status: b.status,
      source: b.source,
      purpose: this.ctx.rng.pick(TYPE_WORK[machine.spec.type].purposes),
      assisted: b.assisted ? 1 : 0,
      status_reason: b.reason ?? null,
      cancelled_at: b.cancelledAt ?? null,
      late_cancel: b.lateCancel ? 1 : 0,
      created_at: b.createdAt,
      updated_at: Math.max(b.updatedAt ?? b.createdAt, b.createdAt),
    };
    this.bookings.push(row);
    const placed: Placed = { id, machine, ikm, status: b.status, source: b.source, createdAt: b.createdAt, row, ...slot };
    this.placed.push(placed);
    return placed;
  }

  /**
   * Whether the booking is assisted (the unit's operator runs the machine), or null when it must
   * be and every operator on duty is already assisting at that time (NO_OPERATOR).
   */
  private operatorFor(machine: SeedMachine, day: LocalDay, slot: Interval): boolean | null {
    const mode = machine.spec.operatorMode;
    const wanted = mode === "assisted" || (mode === "both" && this.ctx.rng.chance(0.3));
    if (!wanted) return false;
    const busy = this.assistedOn(day).filter((a) => overlaps(a, slot)).length;
    if (busy < this.ctx.facility.operators_on_duty) return true;
    return mode === "assisted" ? null : false;
  }

  private assistedOn(day: LocalDay): Interval[] {
    let list = this.assisted.get(day.key);
    if (!list) {
      list = [];
      this.assisted.set(day.key, list);
    }
    return list;
  }

  // -------------------------------------------------------------------------------------------
  // Choosing the IKM

  /**
   * An IKM for the slot, drawn by activity (firms book the types their sector needs most). An
   * IKM the rules would refuse (QUOTA_HOURS, QUOTA_ACTIVE) is recorded as a refused request and
   * another is drawn; IKM #1 and #2 are silently kept within their demo limits. Only IKMs with a
   * member qualified at the time may book a machine that requires qualification.
   */
  private chooseIkm(machine: SeedMachine, slot: Interval, requestedAt: Instant, future: boolean): SeedIkm | null {
    const { rng } = this.ctx;
    const type = machine.spec.type;
    let candidates = this.ctx.ikms.filter((ikm) => mayOperate(ikm, machine, slot.end));
    while (candidates.length > 0) {
      const ikm = rng.weighted(candidates, (c) => c.spec.activity * (SECTOR_TYPES[c.spec.sector].includes(type) ? 3 : 1));
      if (!ikm) return null;
      const refusal = this.quotaRefusal(ikm, machine, slot, future);
      if (!refusal && !this.beyondDemoLimits(ikm, machine, slot, future)) return ikm;
      if (refusal) this.refuseQuota(ikm, machine, slot, refusal, requestedAt - rng.int(5, 240) * MINUTE_MS);
      candidates = candidates.filter((c) => c !== ikm);
    }
    return null;
  }

  /**
   * Records a quota refusal once per IKM, machine type and day (QUOTA_HOURS) or once per IKM
   * and week (QUOTA_ACTIVE): an IKM told it is over its quota does not keep asking.
   */
  private refuseQuota(ikm: SeedIkm, machine: SeedMachine, slot: Interval, code: string, askedAt: Instant): void {
    const key =
      code === "QUOTA_ACTIVE"
        ? `${ikm.id}:${code}:${isoWeekRange(slot.start, this.timeZone).start}`
        : `${ikm.id}:${code}:${machine.typeId}:${localDateKey(slot.start, this.timeZone)}`;
    if (this.quotaRefused.has(key)) return;
    this.quotaRefused.add(key);
    this.refuse(ikm, machine, slot, [code], askedAt);
  }

  private quotaRefusal(ikm: SeedIkm, machine: SeedMachine, slot: Interval, future: boolean): string | null {
    const minutes = (slot.end - slot.start) / MINUTE_MS;
    const used = this.weekMinutes.get(this.weekKey(ikm, machine, slot.start)) ?? 0;
    if (used + minutes > machine.weeklyQuotaMinutes) return "QUOTA_HOURS";
    const active = this.activeFuture.get(ikm.id) ?? 0;
    if (future && active + 1 > this.ctx.facility.max_active_bookings) return "QUOTA_ACTIVE";
    return null;
  }

  private beyondDemoLimits(ikm: SeedIkm, machine: SeedMachine, slot: Interval, future: boolean): boolean {
    if (ikm.index > 1 || slot.start < this.currentWeekStart) return false;
    const minutes = (slot.end - slot.start) / MINUTE_MS;
    const used = this.weekMinutes.get(this.weekKey(ikm, machine, slot.start)) ?? 0;
    const active = this.activeFuture.get(ikm.id) ?? 0;
    return used + minutes > DEMO_IKM_WEEKLY_MINUTES || (future && active + 1 > DEMO_IKM_MAX_FUTURE);
  }

  private weekKey(ikm: SeedIkm, machine: SeedMachine, at: Instant): string {
    return `${ikm.id}:${machine.typeId}:${isoWeekRange(at, this.timeZone).start}`;
  }

  // -------------------------------------------------------------------------------------------
  // Outcomes of past bookings

  /**
   * Mostly completed; about 6 % cancelled (a third of them late, under 24 h before the start),
   * 4 % no-shows and, on machines that need approval, 4 % rejected. No IKM gets enough no-shows
   * to be restricted, except the one chosen to show the restriction (UNRELIABLE_IKM_INDEX),
   * which misses its first bookings of the last 30 days until that triggers the restriction.
   */
  private pastOutcome(machine: SeedMachine, ikm: SeedIkm, slot: Interval, requestedAt: Instant): Outcome {
    const { rng } = this.ctx;
    if (machine.spec.requiresApproval && rng.chance(0.04)) {
      const decidedAt = requestedAt + rng.int(30, 20 * 60) * MINUTE_MS;
      return { status: "rejected", reason: rng.pick(REJECT_REASONS), updatedAt: decidedAt };
    }
    const r = rng.next();
    if (r < 0.06) return this.cancellation(slot, requestedAt);
    if ((r < 0.1 && this.mayNoShow(ikm, slot.start)) || this.showsRestriction(ikm, slot.start)) {
      this.noShows.set(ikm.id, [...(this.noShows.get(ikm.id) ?? []), slot.start]);
      const markedAt = slot.start + (this.ctx.facility.grace_minutes + rng.int(0, 45)) * MINUTE_MS;
      return { status: "no_show", reason: "Tidak hadir sampai batas waktu", updatedAt: markedAt };
    }
    return { status: "completed" };
  }

  private cancellation(slot: Interval, requestedAt: Instant): Outcome {
    const { rng } = this.ctx;
    const late = rng.chance(0.3);
    const lastEarly = slot.start - 24 * HOUR_MS;
    const cancelledAt = late
      ? slot.start - rng.int(60, 20 * 60) * MINUTE_MS
      : (rng.minuteBetween(requestedAt, lastEarly) as Instant); // requested at least 26 h ahead
    return {
      status: "cancelled",
      reason: rng.pick(CANCEL_REASONS),
      cancelledAt,
      lateCancel: late,
      updatedAt: cancelledAt,
    };
  }

  /** A no-show that would not trigger the restriction (fewer than N−1 in the window before). */
  private mayNoShow(ikm: SeedIkm, at: Instant): boolean {
    const windowStart = at - this.ctx.facility.noshow_window_days * DAY_MS;
    return this.noShowsSince(ikm, windowStart) < this.ctx.facility.noshow_count - 1;
  }

  /** The unreliable IKM misses bookings in the last 30 days until it has N no-shows there. */
  private showsRestriction(ikm: SeedIkm, at: Instant): boolean {
    const since = this.ctx.today - 30 * DAY_MS;
    return (
      ikm.index === UNRELIABLE_IKM_INDEX && at >= since && this.noShowsSince(ikm, since) < this.ctx.facility.noshow_count
    );
  }

  private noShowsSince(ikm: SeedIkm, since: Instant): number {
    return (this.noShows.get(ikm.id) ?? []).filter((t) => t > since).length;
  }

  /** Restrictions in force today, by the engine's own rule, from the generated no-shows. */
  private deriveRestrictions(): void {
    const { facility, today } = this.ctx;
    const policy = {
      count: facility.noshow_count,
      windowDays: facility.noshow_window_days,
      restrictDays: facility.restrict_days,
    };
    for (const [ikmId, noShows] of this.noShows) {
      const until = restrictionUntil(noShows, today, policy);
      if (until !== null) this.restrictions.set(ikmId, { start: until - policy.restrictDays * DAY_MS, end: until });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Usage records

  /**
   * The usage of each completed booking of a machine-day: checked in a few minutes before or
   * after the start, out a little before or after the end, never before the previous booking
   * ends, after the next one starts, or outside the open period.
   */
  private recordUsage(placed: Placed[], day: LocalDay): void {
    const breaks = breakIntervals(day, this.ctx.calendar);
    placed.forEach((b, i) => {
      if (b.status !== "completed") return;
      const prev = placed[i - 1];
      const next = placed[i + 1];
      const lower = Math.max(b.period.start, prev?.end ?? Number.NEGATIVE_INFINITY);
      const upper = Math.min(b.period.end, next?.start ?? Number.POSITIVE_INFINITY);
      const actualStart = Math.max(lower, b.start + this.ctx.rng.int(-5, 15) * MINUTE_MS);
      const actualEnd = Math.min(upper, b.end + this.ctx.rng.int(-20, 10) * MINUTE_MS);
      const usage = this.usageRow(b, actualStart, actualEnd, breaks);
      b.row.updated_at = usage.updated_at; // checked out
      this.usage.push(usage);
    });
  }

  private usageRow(b: Placed, actualStart: Instant, actualEnd: Instant, breaks: Interval[]): Row<"usage_records"> {
    const { rng, staff } = this.ctx;
    const hourlyRate = tariffAt(b.machine, b.start, this.ctx.facility.hourly_rate);
    const fee = computeFee({
      actualStart,
      actualEnd,
      billingIncrementMinutes: b.machine.billingIncrementMinutes,
      hourlyRate,
      breaks,
    });
    const work = TYPE_WORK[b.machine.spec.type];
    const perHour = work.perHour[0] + rng.next() * (work.perHour[1] - work.perHour[0]);
    const quantity = (perHour * fee.actualMinutes) / 60;
    const assisted = b.row.assisted === 1;
    const operator = assisted
      ? rng.pick(staff.technicians).name
      : rng.chance(0.4)
        ? b.ikm.memberName
        : rng.pick(WORKER_NAMES);
    // A logbook backfill is entered (and confirmed) at once, after the fact.
    const checkedInAt = b.source === "backfill" ? b.createdAt : actualStart;
    const confirmedAt = b.source === "backfill" ? b.createdAt : actualEnd + rng.int(2, 25) * MINUTE_MS;
    return {
      booking_id: b.id,
      actual_start: actualStart,
      actual_end: actualEnd,
      operator_name: operator,
      operator_kind: assisted ? "unit" : "ikm",
      output_quantity: work.unit === "kg" || work.unit === "m²" ? Math.round(quantity * 10) / 10 : Math.max(1, Math.round(quantity)),
      output_unit: work.unit,
      consumables: rng.pick(work.consumables),
      condition: "ok",
      notes: "",
      billable_minutes: fee.billableMinutes,
      hourly_rate: hourlyRate,
      fee: fee.fee,
      checked_in_by: rng.pick(staff.technicians).id,
      confirmed_by: rng.pick(staff.technicians).id,
      confirmed_at: confirmedAt,
      created_at: checkedInAt,
      updated_at: confirmedAt,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Refused requests

  /**
   * Requests for time another IKM already holds on this machine (the same slot, half an hour
   * off, or, on machines with a buffer, right after it): OVERLAP and BUFFER refusals, about
   * `demand` per open day on the contested machines, fewer for the days ahead.
   */
  private refusedOverlaps(machine: SeedMachine, placed: Placed[], future: boolean): void {
    const { rng } = this.ctx;
    const held = placed.filter((p) => p.source === "web" && HELD_WHEN_ASKED.includes(p.status));
    if (held.length === 0) return;
    const expected = machine.spec.demand * (future ? 0.5 : 1);
    const count = Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const taken = rng.pick(held);
      const request = this.overlappingRequest(machine, taken);
      const codes = conflictCodes(request, held, machine.bufferMinutes * MINUTE_MS);
      const askedAt = rng.minuteBetween(taken.createdAt, Math.min(taken.start - 2 * HOUR_MS, this.ctx.today - MINUTE_MS));
      const ikm = this.eligibleIkm(machine, taken.end, [taken.ikm]);
      if (codes.length === 0 || askedAt === null || !ikm) continue;
      this.refuse(ikm, machine, request, codes, askedAt);
    }
  }

  private overlappingRequest(machine: SeedMachine, taken: Placed): Interval {
    const { rng } = this.ctx;
    const length = taken.end - taken.start;
    if (machine.bufferMinutes > 0 && rng.chance(0.4)) {
      const end = Math.min(taken.period.end, taken.end + length);
      return { start: taken.end, end: Math.max(end, taken.end + this.slotMs) };
    }
    const shifted = taken.start + rng.pick([-1, 0, 0, 1]) * this.slotMs;
    const start = Math.min(Math.max(shifted, taken.period.start), taken.period.end - length);
    return { start, end: start + length };
  }

  /** An IKM, not one of `exclude`, that may use the machine until `until`, drawn by activity. */
  eligibleIkm(machine: SeedMachine, until: Instant, exclude: readonly SeedIkm[]): SeedIkm | null {
    const candidates = this.ctx.ikms.filter((ikm) => !exclude.includes(ikm) && mayOperate(ikm, machine, until));
    return this.ctx.rng.weighted(candidates, (c) => c.spec.activity);
  }

  /**
   * A request across the lunch break or past closing time on about one open day in four: an
   * OUTSIDE_HOURS refusal (the engine also reports any booking it would overlap).
   */
  private refusedOutsideHours(day: LocalDay): void {
    const { rng, machines } = this.ctx;
    if (!rng.chance(0.25)) return;
    const machine = rng.weighted(machines, (m) => m.spec.demand) as SeedMachine;
    const open = openIntervals(day, this.ctx.calendar, machine.spec.hours);
    if (open.length === 0) return;
    const acrossBreak = open.length > 1 && rng.chance(0.6);
    const pivot = acrossBreak ? open[0].end : open[open.length - 1].end;
    const request = { start: pivot - 2 * this.slotMs, end: pivot + 2 * this.slotMs };
    const held = this.placed.filter(
      (p) => p.machine === machine && p.start >= day.start && p.end <= day.end && HELD_WHEN_ASKED.includes(p.status),
    );
    const codes = ["OUTSIDE_HOURS", ...conflictCodes(request, held, machine.bufferMinutes * MINUTE_MS)];
    const ikm = this.eligibleIkm(machine, request.end, []);
    if (ikm) this.refuse(ikm, machine, request, codes, request.start - rng.int(26 * 60, 5 * 24 * 60) * MINUTE_MS);
  }

  refuse(ikm: SeedIkm, machine: SeedMachine, request: Interval, codes: string[], askedAt: Instant): void {
    this.attempts.push({
      ikm_id: ikm.id,
      user_id: ikm.memberId,
      machine_id: machine.id,
      machine_type_id: machine.typeId,
      start_at: request.start,
      end_at: request.end,
      codes: codes.join(","),
      created_at: askedAt,
    });
  }
}

interface Outcome {
  status: BookingStatus;
  reason?: string;
  cancelledAt?: Instant;
  lateCancel?: boolean;
  updatedAt?: Instant;
}

/** Statuses of bookings that held their slot when other IKMs asked for it. */
const HELD_WHEN_ASKED: readonly BookingStatus[] = ["completed", "no_show", "confirmed", "pending"];

/**
 * Whether the IKM may book the machine until `until`: it needs a member qualified for the
 * machine type then when the machine requires qualification (all such demo machines are
 * self-operated, so the assisted exemption never applies).
 */
function mayOperate(ikm: SeedIkm, machine: SeedMachine, until: Instant): boolean {
  return !machine.spec.requiresQualification || (ikm.qualifiedUntil.get(machine.spec.type) ?? 0) >= until;
}

/** How a completed booking came in: mostly booked online, some walk-ins and logbook entries. */
function pastSource(r: number): Placed["source"] {
  if (r < 0.05) return "walk_in";
  if (r < 0.15) return "backfill";
  return "web";
}

/**
 * Utilization of a machine `daysAhead` days from today: near its usual level next week,
 * thinning out towards the booking horizon.
 */
function futureUtilization(machine: SeedMachine, daysAhead: number): number {
  return machine.spec.busyness * (1 - (0.5 * daysAhead) / 30);
}

/** The hourly tariff in force at `at`; the facility rate before a machine's first tariff. */
function tariffAt(machine: SeedMachine, at: Instant, facilityRate: number): number {
  let rate = facilityRate;
  for (const t of machine.tariffs) if (t.from <= at) rate = t.rate;
  return rate;
}

/** OVERLAP when the request overlaps a booking, BUFFER when it comes closer than the buffer. */
function conflictCodes(request: Interval, bookings: readonly Interval[], bufferMs: number): string[] {
  const codes: string[] = [];
  if (bookings.some((b) => overlaps(b, request))) codes.push("OVERLAP");
  if (bufferMs > 0 && bookings.some((b) => !overlaps(b, request) && gapMs(b, request) < bufferMs)) codes.push("BUFFER");
  return codes;
}
