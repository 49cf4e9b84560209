/**
 * Alternatives offered with a refusal: feasible slots of the same duration, nearest first.
 *
 * Candidates are (a) the nearest earlier and later starts on the requested machine, searched
 * outward over its slot grid within `searchDays` of the requested start, and (b) the requested
 * time on each other machine of the same type. When the IKM may not run the machine itself
 * (NOT_QUALIFIED) and the unit's operator may, (a) is searched as an assisted booking instead,
 * the requested time itself first (marked `assisted`; NO_OPERATOR keeps out times when every
 * operator is busy). Only starts inside free time (open hours minus
 * bookings with their buffers and maintenance) are tried, and every alternative returned has
 * been accepted by decide() with the same input, so the engine can never offer what it would
 * refuse. No alternative starts before now.
 */
import { ceilToSlot, floorToSlot, isoWeekRange, localDateKey } from "./calendar";
import { freeIntervals } from "./availability";
import { decide, effectiveAssisted } from "./decide";
import { DAY_MS, MINUTE_MS } from "./intervals";
import type {
  Alternative,
  Decision,
  DecisionInput,
  Instant,
  Interval,
  MachineInfo,
  MachineRules,
  MachineState,
  ViolationCode,
} from "./types";

export interface AlternativeOptions {
  /** Most alternatives returned (default 5). */
  limit?: number;
  /** How far before and after the requested start the same machine is searched (default 14). */
  searchDays?: number;
  /** Offer the machine run by the unit's operator to an IKM that may not run it itself (default
   * true). Off for a move, which keeps how the booking is run. */
  assistedInstead?: boolean;
}

/**
 * The duration alternatives have: the requested one clamped to the machine's minimum and
 * maximum (so a malformed request, end <= start or too long, still gets sensible offers), then
 * rounded up to whole slots (down when that would pass the maximum). Null when the machine's
 * rules allow no duration at all.
 */
export function alternativeDurationMs(request: Interval, rules: MachineRules): number | null {
  const slotMs = rules.slotMinutes * MINUTE_MS;
  const minMs = rules.minMinutes * MINUTE_MS;
  const maxMs = rules.maxMinutes * MINUTE_MS;
  const clamped = Math.min(Math.max(request.end - request.start, minMs), maxMs);
  let duration = Math.ceil(clamped / slotMs) * slotMs;
  if (duration > maxMs) duration = Math.floor(maxMs / slotMs) * slotMs;
  return duration > 0 && duration >= minMs ? duration : null;
}

/** How far from the requested start alternatives are searched, by default (days each way). */
export const ALTERNATIVE_SEARCH_DAYS = 14;

/** Failures that no other start on the same machine can fix: stop searching that machine. */
const MACHINE_WIDE: readonly ViolationCode[] = [
  "MACHINE_INACTIVE",
  "NOT_QUALIFIED",
  "QUOTA_ACTIVE",
  "TOO_SHORT",
  "TOO_LONG",
  "MISALIGNED",
];
/** Failures that only get worse further in the search direction: stop that direction. */
const STOP_LATER: readonly ViolationCode[] = ["TOO_FAR"];
const STOP_EARLIER: readonly ViolationCode[] = ["IN_PAST", "TOO_SOON"];

type Direction = "earlier" | "later";

function tryStart(input: DecisionInput, state: MachineState, start: Instant, durationMs: number): Decision {
  const request = { ...input.request, machineId: state.machine.id, start, end: start + durationMs };
  return decide({ ...input, state, request });
}

function alternativeOf(machine: MachineInfo, start: Instant, durationMs: number, requestedAssisted: boolean): Alternative {
  return {
    start,
    end: start + durationMs,
    machineId: machine.id,
    machineCode: machine.code,
    machineName: machine.name,
    assisted: effectiveAssisted(machine.rules.operatorMode, requestedAssisted),
  };
}

/**
 * The same request run by the unit's operator, when the IKM may not run the machine itself
 * (NOT_QUALIFIED) and the machine may be run either way; otherwise null.
 */
function assistedInstead(input: DecisionInput): DecisionInput | null {
  const { rules } = input.state.machine;
  const mayNot = rules.requiresQualification && !input.ikm.qualified && !input.request.assisted;
  return mayNot && rules.operatorMode === "both" ? { ...input, request: { ...input.request, assisted: true } } : null;
}

/** The earliest grid start at or after `from` whose slot fits in one free piece, or null. */
function nextFreeStart(free: Interval[], from: Instant, durationMs: number, slot: number, tz: string): Instant | null {
  for (const piece of free) {
    if (piece.end - durationMs < from) continue;
    const start = ceilToSlot(Math.max(from, piece.start), slot, tz);
    if (start + durationMs <= piece.end) return start;
  }
  return null;
}

/** The latest grid start at or before `until` whose slot fits in one free piece, or null. */
function previousFreeStart(
  free: Interval[],
  until: Instant,
  durationMs: number,
  slot: number,
  tz: string,
): Instant | null {
  for (let i = free.length - 1; i >= 0; i--) {
    const piece = free[i];
    if (piece.start > until) continue;
    const start = floorToSlot(Math.min(until, piece.end - durationMs), slot, tz);
    if (start >= piece.start) return start;
  }
  return null;
}

/**
 * Up to `limit` accepted starts on the requested machine in one direction, nearest first.
 * A QUOTA_HOURS refusal skips the rest of that ISO week (every start in it would fail alike).
 */
function scan(
  input: DecisionInput,
  free: Interval[],
  durationMs: number,
  limit: number,
  direction: Direction,
): Alternative[] {
  const { state, calendar, request } = input;
  const slot = state.machine.rules.slotMinutes;
  const tz = calendar.timeZone;
  const later = direction === "later";
  const stopCodes = [...MACHINE_WIDE, ...(later ? STOP_LATER : STOP_EARLIER)];
  const found: Alternative[] = [];
  let cursor = later ? request.start + 1 : request.start - 1;
  while (found.length < limit) {
    const start = later
      ? nextFreeStart(free, cursor, durationMs, slot, tz)
      : previousFreeStart(free, cursor, durationMs, slot, tz);
    if (start === null) break;
    const decision = tryStart(input, state, start, durationMs);
    const codes = decision.violations.map((v) => v.code);
    if (decision.ok) found.push(alternativeOf(state.machine, start, durationMs, input.request.assisted));
    else if (codes.some((code) => stopCodes.includes(code))) break;
    const skipWeek = codes.includes("QUOTA_HOURS");
    const week = skipWeek ? isoWeekRange(start, tz) : null;
    if (later) cursor = week ? week.end : start + 1;
    else cursor = week ? week.start - 1 : start - 1;
  }
  return found;
}

/** The requested time on each other machine of the same type that accepts it, by machine code. */
function sameTimeElsewhere(input: DecisionInput, others: MachineState[], durationMs: number): Alternative[] {
  const start = input.request.start;
  if (start < input.now) return [];
  return others
    .filter((state) => state.machine.id !== input.state.machine.id && tryStart(input, state, start, durationMs).ok)
    .map((state) => alternativeOf(state.machine, start, durationMs, input.request.assisted))
    .sort((a, b) => a.machineCode.localeCompare(b.machineCode));
}

/**
 * Up to `limit` feasible alternatives to a request, ranked by |alternative start − requested
 * start| (ties: earlier start, then machine code). When both exist and `limit` ≥ 2, the nearest
 * earlier and the nearest later slot on the requested machine are always among them.
 *
 * `sameTypeStates` are the other active machines of the same type with their bookings and
 * maintenance loaded (the requested machine, if present, is ignored). The input's IKM and
 * operator facts must cover the search window (± searchDays).
 */
export function findAlternatives(
  input: DecisionInput,
  sameTypeStates: MachineState[],
  opts: AlternativeOptions = {},
): Alternative[] {
  const limit = opts.limit ?? 5;
  const searchMs = (opts.searchDays ?? ALTERNATIVE_SEARCH_DAYS) * DAY_MS;
  const durationMs = alternativeDurationMs(input.request, input.state.machine.rules);
  if (durationMs === null || limit <= 0) return [];

  const { request, now } = input;
  const window = { start: Math.max(now, request.start - searchMs), end: request.start + searchMs + durationMs };
  const free = freeIntervals(input.state, input.calendar, window);
  const assisted = opts.assistedInstead === false ? null : assistedInstead(input);
  const here = assisted ?? input;
  // The requested time itself, run by the operator: nearest of all.
  const asked = assisted && request.start >= now && tryStart(assisted, assisted.state, request.start, durationMs).ok
    ? [alternativeOf(assisted.state.machine, request.start, durationMs, true)]
    : [];
  const earlier = scan(here, free, durationMs, limit, "earlier");
  const later = scan(here, free, durationMs, limit, "later");
  const elsewhere = sameTimeElsewhere(input, sameTypeStates, durationMs);

  const byDistance = (a: Alternative, b: Alternative) =>
    Math.abs(a.start - request.start) - Math.abs(b.start - request.start) ||
    a.start - b.start ||
    a.machineCode.localeCompare(b.machineCode);
  const nearestEachWay = [...asked, ...(limit >= 2 ? [earlier[0], later[0]].filter((a) => a !== undefined) : [])];
  const rest = [...earlier, ...later, ...elsewhere].filter((a) => !nearestEachWay.includes(a)).sort(byDistance);
  return [...nearestEachWay, ...rest].slice(0, limit).sort(byDistance);
}

/**
 * Alternatives as a person reads them: day by day, each day's machines in code order, each
 * machine's slots by time. (findAlternatives picks the nearest; this only orders what it picked.)
 */
export function inReadingOrder<A extends Alternative>(alternatives: readonly A[], timeZone: string): A[] {
  const key = (a: A) => localDateKey(a.start, timeZone);
  return [...alternatives].sort((a, b) => key(a).localeCompare(key(b)) || a.machineCode.localeCompare(b.machineCode) || a.start - b.start);
}
