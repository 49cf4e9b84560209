/**
 * decide(): the one place where a booking request (new, moved, recurring occurrence, waitlist
 * promotion, staff entry) is judged against every scheduling rule of DESIGN.md.
 *
 * Every rule is evaluated and every violation returned, in the order of the rule table. Soft
 * violations (SOFT_CODES) are moved to `overridden` when a staff member gives an override reason;
 * hard ones never are.
 */
import { daysTouching, isOnSlotGrid, isoWeekRange, localDateKey, openIntervals, openPeriodsLabel } from "./calendar";
import { DAY_MS, MINUTE_MS, gapMs, isEmpty, maxConcurrency, minutesWithin, overlaps, subtract } from "./intervals";
import {
  type BookingRequest,
  type BusyBooking,
  type Decision,
  type DecisionInput,
  type MachineRules,
  type OperatorMode,
  SOFT_CODES,
  type Violation,
  type ViolationCode,
} from "./types";

/** Whether soft violations of this input are overridden: a staff actor with a non-blank reason. */
export function overridesSoftRules(input: DecisionInput): boolean {
  return input.actor.staff && (input.request.overrideReason ?? "").trim() !== "";
}

/** Whether the unit's operator runs the machine: fixed by the machine, or the IKM's choice. */
export function effectiveAssisted(mode: OperatorMode, requested: boolean): boolean {
  return mode === "both" ? requested : mode === "assisted";
}

/** Facts about the request that several rules share. */
interface Context {
  input: DecisionInput;
  request: BookingRequest;
  rules: MachineRules;
  timeZone: string;
  staff: boolean;
  assisted: boolean;
  /** Requested minutes (0 when end <= start). */
  minutes: number;
  /** Bookings of the machine that can conflict: all given, minus the one being moved. */
  bookings: BusyBooking[];
}

type Rule = (ctx: Context) => Violation[];

function violation(code: ViolationCode, params: Violation["params"] = {}, conflict?: Violation["conflict"]): Violation {
  const v: Violation = { code, params, overridable: SOFT_CODES.includes(code) };
  if (conflict) v.conflict = conflict;
  return v;
}

/** Start before now; staff entering a logbook backfill or a walk-in are exempt. */
const inPast: Rule = ({ input, request, staff }) => {
  const exempt = staff && (request.source === "backfill" || request.source === "walk_in");
  return request.start < input.now && !exempt ? [violation("IN_PAST")] : [];
};

/** Start or end not a whole number of slots after local midnight. */
const misaligned: Rule = ({ request, rules, timeZone }) => {
  const aligned =
    isOnSlotGrid(request.start, rules.slotMinutes, timeZone) && isOnSlotGrid(request.end, rules.slotMinutes, timeZone);
  return aligned ? [] : [violation("MISALIGNED", { slotMinutes: rules.slotMinutes })];
};

/** Shorter than the minimum; an end at or before the start counts as too short. */
const tooShort: Rule = ({ request, rules }) =>
  request.end <= request.start || request.end - request.start < rules.minMinutes * MINUTE_MS
    ? [violation("TOO_SHORT", { minMinutes: rules.minMinutes, maxMinutes: rules.maxMinutes })]
    : [];

const tooLong: Rule = ({ request, rules }) =>
  request.end - request.start > rules.maxMinutes * MINUTE_MS
    ? [violation("TOO_LONG", { minMinutes: rules.minMinutes, maxMinutes: rules.maxMinutes })]
    : [];

/** Less notice than required. Staff are exempt; a start in the past is IN_PAST instead. */
const tooSoon: Rule = ({ input, request, rules, staff }) => {
  const { now } = input;
  return !staff && request.start >= now && request.start < now + rules.noticeMinutes * MINUTE_MS
    ? [violation("TOO_SOON", { noticeMinutes: rules.noticeMinutes })]
    : [];
};

/** Start beyond the horizon (now + horizonDays × 24 h). */
const tooFar: Rule = ({ input, request, rules }) =>
  request.start > input.now + rules.horizonDays * DAY_MS
    ? [violation("TOO_FAR", { horizonDays: rules.horizonDays })]
    : [];

/**
 * OUTSIDE_HOURS when some of the request, away from closure days, is outside the open hours
 * (facility ∩ machine) — at night, on a closed weekday or in a break; its params name the
 * first such day and that day's open periods. Then one CLOSED_DAY per closure day touched.
 */
const openingHours: Rule = ({ input, request, timeZone }) => {
  const { calendar, state } = input;
  const closed = daysTouching(request, timeZone).filter((day) => calendar.closures.has(day.key));
  const outside = subtract([request], [...openIntervals(request, calendar, state.machine.hours), ...closed]);
  const found: Violation[] = [];
  if (outside.length > 0) {
    const at = outside[0].start;
    found.push(
      violation("OUTSIDE_HOURS", {
        date: localDateKey(at, timeZone),
        periods: openPeriodsLabel(at, calendar, state.machine.hours),
      }),
    );
  }
  for (const day of closed) found.push(violation("CLOSED_DAY", { date: day.key }));
  return found;
};

/** One violation per maintenance window or breakdown (end null = still open) overlapping. */
const maintenance: Rule = ({ input, request }) =>
  input.state.maintenance.flatMap((m) => {
    const window = { start: m.start, end: m.end ?? Number.POSITIVE_INFINITY };
    if (!overlaps(window, request)) return [];
    const conflict: Violation["conflict"] =
      m.end === null
        ? { start: m.start, end: request.end, kind: "maintenance", id: m.id, openEnded: true }
        : { start: m.start, end: m.end, kind: "maintenance", id: m.id };
    return [violation("MAINTENANCE", { kind: m.kind }, conflict)];
  });

function bookingConflict(ctx: Context, b: BusyBooking): Violation["conflict"] {
  return { start: b.start, end: b.end, kind: "booking", id: b.id, ownIkm: b.ikmId === ctx.request.ikmId };
}

/** One violation per slot-holding booking of the machine overlapping (touching is fine). */
const overlap: Rule = (ctx) =>
  ctx.bookings.filter((b) => overlaps(b, ctx.request)).map((b) => violation("OVERLAP", {}, bookingConflict(ctx, b)));

/** One violation per booking not overlapping but less than the buffer away (equal is fine). */
const buffer: Rule = (ctx) => {
  const bufferMs = ctx.rules.bufferMinutes * MINUTE_MS;
  if (bufferMs === 0 || isEmpty(ctx.request)) return [];
  return ctx.bookings
    .filter((b) => !overlaps(b, ctx.request) && gapMs(b, ctx.request) < bufferMs)
    .map((b) => violation("BUFFER", { bufferMinutes: ctx.rules.bufferMinutes }, bookingConflict(ctx, b)));
};

/**
 * The IKM's minutes on this machine type in the ISO week (facility time) of the request's start,
 * plus the whole requested duration, above the weekly quota.
 */
const quotaHours: Rule = ({ input, request, rules, timeZone, minutes }) => {
  const week = isoWeekRange(request.start, timeZone);
  const used = minutesWithin(input.ikm.typeHoldings, week);
  if (used + minutes <= rules.weeklyQuotaMinutes) return [];
  return [
    violation("QUOTA_HOURS", {
      quotaMinutes: rules.weeklyQuotaMinutes,
      usedMinutes: used,
      requestedMinutes: minutes,
      weekStart: localDateKey(week.start, timeZone),
    }),
  ];
};

/**
 * One more future booking than allowed. A request that has already ended (a staff backfill) does
 * not add a future booking, so it is not counted.
 */
const quotaActive: Rule = ({ input, request, rules }) =>
  request.end > input.now && input.ikm.activeBookings + 1 > rules.maxActiveBookings
    ? [violation("QUOTA_ACTIVE", { maxActive: rules.maxActiveBookings, activeBookings: input.ikm.activeBookings })]
    : [];

/** The machine needs a qualified operator, the IKM runs it itself and has none. */
const notQualified: Rule = ({ input, rules, assisted }) =>
  rules.requiresQualification && !assisted && !input.ikm.qualified ? [violation("NOT_QUALIFIED")] : [];

/** Assisted, and at some instant of the request every operator on duty is already assisting. */
const noOperator: Rule = ({ input, request, assisted }) => {
  const { operatorsOnDuty, assistedBookings } = input.operators;
  return assisted && maxConcurrency(assistedBookings, request) >= operatorsOnDuty
    ? [violation("NO_OPERATOR", { operatorsOnDuty })]
    : [];
};

const machineInactive: Rule = ({ input }) =>
  input.state.machine.status === "active"
    ? []
    : [violation("MACHINE_INACTIVE", { status: input.state.machine.status })];

/**
 * A machine shared by weekly allocation rounds: nobody wins its next week by speed. A request
 * reaching past `roundLockedFrom` (the first week whose round is not allocated yet) is refused,
 * except the allocation's own grants.
 */
const roundOpen: Rule = ({ input, request }) => {
  const lockedFrom = input.state.roundLockedFrom;
  return lockedFrom != null && request.source !== "allocation" && request.end > lockedFrom
    ? [violation("ROUND_OPEN", { lockedFrom })]
    : [];
};

/** The rules in the order of DESIGN.md's table; violations come out in this order. */
const RULES: readonly Rule[] = [
  inPast,
  misaligned,
  tooShort,
  tooLong,
  tooSoon,
  tooFar,
  openingHours,
  maintenance,
  overlap,
  buffer,
  quotaHours,
  quotaActive,
  notQualified,
  noOperator,
  machineInactive,
  roundOpen,
];

function contextOf(input: DecisionInput): Context {
  const { request, state } = input;
  const rules = state.machine.rules;
  return {
    input,
    request,
    rules,
    timeZone: input.calendar.timeZone,
    staff: input.actor.staff,
    assisted: effectiveAssisted(rules.operatorMode, request.assisted),
    minutes: Math.max(0, request.end - request.start) / MINUTE_MS,
    bookings:
      request.excludeBookingId === undefined
        ? state.bookings
        : state.bookings.filter((b) => b.id !== request.excludeBookingId),
  };
}

/**
 * Judges a request. `ok` when no violation remains after overrides; then `status` is "pending"
 * when the machine requires approval (unless a staff member, an approver, books) or the IKM is
 * restricted and not overridden, else "confirmed". IKM_RESTRICTED never refuses: it is a notice
 * that makes the booking pending, or, overridden by staff, an audit entry.
 */
export function decide(input: DecisionInput): Decision {
  const ctx = contextOf(input);
  const override = overridesSoftRules(input);
  const violations: Violation[] = [];
  const overridden: Violation[] = [];
  const notices: Violation[] = [];
  for (const rule of RULES) {
    for (const v of rule(ctx)) (override && v.overridable ? overridden : violations).push(v);
  }
  const { restrictedUntil } = input.ikm;
  const restricted = restrictedUntil !== null && restrictedUntil > input.now;
  if (restricted) {
    (override ? overridden : notices).push(violation("IKM_RESTRICTED", { restrictedUntil }));
  }
  const ok = violations.length === 0;
  const pending = (restricted && !override) || (ctx.rules.requiresApproval && !ctx.staff);
  return { ok, status: ok ? (pending ? "pending" : "confirmed") : null, violations, overridden, notices };
}
