/**
 * Types of the scheduling engine. The engine is pure: no database, no Remix, no node:*,
 * no clock, no process.env. Every instant is UTC epoch milliseconds; every interval is
 * half-open [start, end). Rules about days and hours are evaluated in the facility time zone.
 */

export type Instant = number;

export interface Interval {
  start: Instant;
  end: Instant;
}

/** "HH:mm" local wall-clock time in the facility zone, e.g. "07:30". "24:00" allowed as an end. */
export type LocalTime = string;

/** An open period of one weekday; the gap between two periods is a break. */
export interface OpenPeriod {
  start: LocalTime;
  end: LocalTime;
}

/** ISO weekday 1 = Monday … 7 = Sunday → open periods in time order (empty = closed). */
export type WeeklyHours = Record<1 | 2 | 3 | 4 | 5 | 6 | 7, OpenPeriod[]>;

export type OperatorMode = "self" | "assisted" | "both";
export type MachineStatus = "active" | "maintenance" | "retired";
export type BookingStatus =
  | "pending"
  | "confirmed"
  | "checked_in"
  | "completed"
  | "cancelled"
  | "rejected"
  | "no_show";
export type BookingSource = "web" | "api" | "waitlist" | "backfill" | "walk_in" | "allocation";

export const SLOT_HOLDING: readonly BookingStatus[] = ["pending", "confirmed", "checked_in"];

/** Effective rule values for one machine (machine value, else the facility default). */
export interface MachineRules {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  noticeMinutes: number;
  horizonDays: number;
  /** Weekly hours per IKM per machine type per ISO week (facility time), in minutes. */
  weeklyQuotaMinutes: number;
  /** Max future slot-holding bookings of one IKM across all machines. */
  maxActiveBookings: number;
  requiresApproval: boolean;
  requiresQualification: boolean;
  operatorMode: OperatorMode;
  billingIncrementMinutes: number;
  hourlyRate: number;
}

export interface FacilityCalendar {
  timeZone: string;
  hours: WeeklyHours;
  /** Closure days as "YYYY-MM-DD" in the facility zone. */
  closures: ReadonlySet<string>;
}

export interface MachineInfo {
  id: number;
  code: string;
  name: string;
  typeId: number;
  status: MachineStatus;
  rules: MachineRules;
  /** Optional per-machine narrowing of the facility hours (intersected with them). */
  hours: WeeklyHours | null;
}

export interface BusyBooking extends Interval {
  id: number;
  /** The owner; compared with the request's IKM so messages can say "your booking". */
  ikmId: number;
  assisted: boolean;
}

export interface MaintenanceWindow {
  id: number;
  start: Instant;
  /** null = open-ended breakdown, not resolved yet. */
  end: Instant | null;
  kind: "planned" | "breakdown";
}

/** Everything the engine needs to decide one request on one machine. */
export interface MachineState {
  machine: MachineInfo;
  /** Slot-holding bookings of this machine near the requested time (the caller loads a
   * window wide enough: request ± max duration ± buffer), excluding the booking being moved. */
  bookings: BusyBooking[];
  maintenance: MaintenanceWindow[];
  /** For a machine shared by weekly allocation rounds: the start of the first week whose round
   * is not allocated yet. Requests reaching past it are refused (ROUND_OPEN) unless they come
   * from the allocation itself. Absent or null: no lock. */
  roundLockedFrom?: Instant | null;
}

/** Who asks: staff (technician, manager, admin: the permissions module decides who is) or an IKM member. */
export interface Actor {
  staff: boolean;
  userId: number;
}

export interface BookingRequest {
  machineId: number;
  ikmId: number;
  start: Instant;
  end: Instant;
  assisted: boolean;
  /** web/api for normal requests; backfill/walk_in exempt IN_PAST for staff. */
  source: BookingSource;
  /** Booking id being moved (it is excluded from conflicts and from the IKM's counts). */
  excludeBookingId?: number;
  /** Staff override of soft rules, with the recorded reason. */
  overrideReason?: string;
}

/** Facts about the requesting IKM, loaded by the caller for the request's week. */
export interface IkmState {
  ikmId: number;
  /** The IKM's slot-holding and completed bookings on machines of this machine type, over a
   * window covering every week the request or an alternative may fall in, excluding the booking
   * being moved. The engine sums them per ISO week (facility time) for QUOTA_HOURS. */
  typeHoldings: Interval[];
  /** Future slot-holding bookings of the IKM (all machines), excluding the one being moved. */
  activeBookings: number;
  /** The IKM has a member with a valid qualification for the machine type at the request time. */
  qualified: boolean;
  /** Until when the IKM is restricted to approval-only bookings (null = not restricted). */
  restrictedUntil: Instant | null;
}

/** Assisted bookings (any machine) overlapping the request, and the operators on duty. */
export interface OperatorState {
  operatorsOnDuty: number;
  /** Intervals of other assisted bookings (any machine) near the request. */
  assistedBookings: Interval[];
}

export interface DecisionInput {
  now: Instant;
  actor: Actor;
  calendar: FacilityCalendar;
  request: BookingRequest;
  state: MachineState;
  ikm: IkmState;
  operators: OperatorState;
}

export type ViolationCode =
  | "IN_PAST"
  | "MISALIGNED"
  | "TOO_SHORT"
  | "TOO_LONG"
  | "TOO_SOON"
  | "TOO_FAR"
  | "OUTSIDE_HOURS"
  | "CLOSED_DAY"
  | "MAINTENANCE"
  | "OVERLAP"
  | "BUFFER"
  | "QUOTA_HOURS"
  | "QUOTA_ACTIVE"
  | "NOT_QUALIFIED"
  | "NO_OPERATOR"
  | "MACHINE_INACTIVE"
  | "IKM_RESTRICTED"
  | "ROUND_OPEN";

export const SOFT_CODES: readonly ViolationCode[] = [
  "TOO_SOON",
  "TOO_FAR",
  "QUOTA_HOURS",
  "QUOTA_ACTIVE",
  "IKM_RESTRICTED",
  "ROUND_OPEN",
];

/** Codes that count as refusals for capacity (unmet demand). */
/** A cancellation less than this before the booking's start is late (DESIGN.md: 24 h). */
export const LATE_CANCEL_MS = 24 * 60 * 60 * 1000;

/** Whether cancelling a booking that starts at `start` at the instant `at` is a late cancellation. */
export function cancelsLate(start: number, at: number): boolean {
  return start - at < LATE_CANCEL_MS;
}

/** A booking cancelled this soon after it was made is undone (a wrong tap): never late, never counted. */
export const UNDO_MS = 30_000;

export function isUndo(createdAt: number, cancelledAt: number): boolean {
  return cancelledAt - createdAt <= UNDO_MS;
}

/** Whether cancelling at `at` a booking made at `createdAt` that starts at `start` is late: an undo never is. */
export function lateIfCancelledAt(b: { createdAt: number; start: number }, at: number): boolean {
  return !isUndo(b.createdAt, at) && cancelsLate(b.start, at);
}

/** Whole seconds left at `now` to undo a booking made at `createdAt` (0 once the time is up). */
export function undoSecondsLeft(createdAt: number, now: number): number {
  return Math.max(0, Math.floor((createdAt + UNDO_MS - now) / 1000));
}

export const CAPACITY_CODES: readonly ViolationCode[] = [
  "OVERLAP",
  "BUFFER",
  "MAINTENANCE",
  "QUOTA_HOURS",
  "QUOTA_ACTIVE",
];

export interface Violation {
  code: ViolationCode;
  /** Parameters for the message (numbers, "HH.mm" strings, dates); never another IKM's name. */
  params: Record<string, string | number>;
  /** The conflicting record's interval, where there is one. For an open-ended breakdown
   * `openEnded` is true and `end` is only the request's end (the window lasts at least that long). */
  conflict?: Interval & { kind: "booking" | "maintenance"; id?: number; ownIkm?: boolean; openEnded?: boolean };
  overridable: boolean;
}

export interface Alternative extends Interval {
  machineId: number;
  machineCode: string;
  machineName: string;
  /** Run by the unit's operator: book it as an assisted booking (the machine's mode, or offered
   * instead of a self-run request the IKM may not make, NOT_QUALIFIED). */
  assisted: boolean;
}

export interface Decision {
  ok: boolean;
  /** "pending" when the machine requires approval or the IKM is restricted (and not overridden). */
  status: "pending" | "confirmed" | null;
  violations: Violation[];
  /** Violations that were overridden by staff (recorded for audit). */
  overridden: Violation[];
  /** Non-blocking facts the user should see (e.g. IKM_RESTRICTED turning the booking pending). */
  notices: Violation[];
}
