/**
 * Free and busy time of one machine, for the board, the week calendar and
 * GET /api/v1/machines/:id/availability.
 */
import { openIntervals } from "./calendar";
import { DAY_MS, MINUTE_MS, subtract } from "./intervals";
import type { FacilityCalendar, Instant, Interval, MachineState } from "./types";

export interface BusyPeriod extends Interval {
  kind: "booking" | "maintenance";
  id?: number;
}

export interface FreeBusy {
  free: Interval[];
  busy: BusyPeriod[];
}

/**
 * The time no new booking of the machine may touch: each booking widened by the machine's
 * buffer on both sides, and each maintenance window (an open-ended one never ends).
 */
export function blockedIntervals(state: MachineState): Interval[] {
  const buffer = state.machine.rules.bufferMinutes * MINUTE_MS;
  const blocked: Interval[] = state.bookings.map((b) => ({ start: b.start - buffer, end: b.end + buffer }));
  for (const m of state.maintenance) {
    blocked.push({ start: m.start, end: m.end ?? Number.POSITIVE_INFINITY });
  }
  return blocked;
}

/**
 * The bookable time of the machine within `range`: its open hours minus blocked time (see
 * blockedIntervals). Empty when the machine is not active. Pieces shorter than the machine's
 * minimum duration are kept: they are still free, and the booking form shows them as such.
 */
export function freeIntervals(state: MachineState, calendar: FacilityCalendar, range: Interval): Interval[] {
  if (state.machine.status !== "active") return [];
  return subtract(openIntervals(range, calendar, state.machine.hours), blockedIntervals(state));
}

/**
 * The parts of `a` inside the open periods, in order: the same as intersectLists([a], open) for a
 * normalized `open` (as openIntervals returns it), found by binary search instead of normalizing
 * `open` again for every booking (the board asks for dozens of machines × weeks of bookings).
 */
function clipToOpen(a: Interval, open: readonly Interval[]): Interval[] {
  let lo = 0;
  let hi = open.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (open[mid].end > a.start) hi = mid;
    else lo = mid + 1;
  }
  const pieces: Interval[] = [];
  for (let i = lo; i < open.length && open[i].start < a.end; i++) {
    const start = Math.max(a.start, open[i].start);
    const end = Math.min(a.end, open[i].end);
    if (start < end) pieces.push({ start, end });
  }
  return pieces;
}

/**
 * Free and busy time of the machine within `range`. `free` is as in freeIntervals. `busy` lists
 * the bookings and maintenance windows cut to the open hours within `range`, sorted by start:
 * closed time (nights, breaks, closure days) is in neither list, and neither is a booking's
 * buffer, which is simply not free.
 */
export function freeBusy(state: MachineState, calendar: FacilityCalendar, range: Interval): FreeBusy {
  const open = openIntervals(range, calendar, state.machine.hours);
  const busy: BusyPeriod[] = [];
  for (const b of state.bookings) {
    for (const piece of clipToOpen(b, open)) busy.push({ ...piece, kind: "booking", id: b.id });
  }
  for (const m of state.maintenance) {
    const window = { start: m.start, end: m.end ?? Number.POSITIVE_INFINITY };
    for (const piece of clipToOpen(window, open)) busy.push({ ...piece, kind: "maintenance", id: m.id });
  }
  busy.sort((a, b) => a.start - b.start || a.end - b.end);
  const free = state.machine.status === "active" ? subtract(open, blockedIntervals(state)) : [];
  return { free, busy };
}

/**
 * Where the free stretch that `start` lies in ends (the next booking with its buffer, a
 * maintenance window, a break or closing), looking at most `withinMs` ahead (default a day);
 * null when `start` itself is not free. The booking form offers durations up to it.
 */
export function freeUntil(state: MachineState, calendar: FacilityCalendar, start: Instant, withinMs = DAY_MS): Instant | null {
  const piece = freeIntervals(state, calendar, { start, end: start + withinMs }).find((p) => p.start <= start && start < p.end);
  return piece ? piece.end : null;
}
