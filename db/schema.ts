/**
 * The one Database interface of Giliran. Instants are UTC epoch milliseconds (integers),
 * booleans are 0/1 integers, money is integer rupiah, durations are whole minutes.
 * Code uses the Selectable/Insertable/Updateable aliases at the bottom, never the tables.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

type Bool = number; // 0 | 1
type Instant = number; // UTC epoch ms

export interface FacilityTable {
  id: Generated<number>; // always 1
  name: string;
  time_zone: string;
  /** JSON WeeklyHours: {"1":[{"start":"07:30","end":"12:00"},…],…,"7":[]} */
  hours_json: string;
  operators_on_duty: number;
  slot_minutes: number;
  min_minutes: number;
  max_minutes: number;
  buffer_minutes: number;
  notice_minutes: number;
  horizon_days: number;
  weekly_quota_minutes: number;
  max_active_bookings: number;
  billing_increment_minutes: number;
  hourly_rate: number;
  grace_minutes: number;
  noshow_count: number;
  noshow_window_days: number;
  restrict_days: number;
  waitlist_offer_minutes: number;
  /** ISO weekday and local time of the allocation-round cut-off for next week. */
  allocation_cutoff_weekday: number;
  allocation_cutoff_time: string;
  /** The unit's WhatsApp/telephone number for members (+62…), or null until the admin enters it. */
  contact_phone: string | null;
  updated_at: Instant;
}

export interface ClosureDayTable {
  date: string; // YYYY-MM-DD, facility time
  kind: string; // holiday | collective_leave | facility
  name: string;
  created_at: Instant;
}

export interface MachineTypeTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: string;
  created_at: Instant;
}

export interface MachineTable {
  id: Generated<number>;
  code: string;
  name: string;
  type_id: number;
  status: string; // active | maintenance | retired
  description: string;
  location: string;
  // Rule settings; null = the facility default.
  slot_minutes: number | null;
  min_minutes: number | null;
  max_minutes: number | null;
  buffer_minutes: number | null;
  notice_minutes: number | null;
  horizon_days: number | null;
  weekly_quota_minutes: number | null;
  max_active_bookings: number | null;
  billing_increment_minutes: number | null;
  requires_approval: Bool;
  requires_qualification: Bool;
  operator_mode: string; // self | assisted | both
  allocation_mode: string; // first_come | weekly_round
  /** JSON WeeklyHours narrowing the facility hours, or null. */
  hours_json: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface MachineTariffTable {
  id: Generated<number>;
  machine_id: number;
  hourly_rate: number;
  effective_from: Instant;
  created_by: number | null;
  created_at: Instant;
}

export interface IkmTable {
  id: Generated<number>;
  name: string;
  owner_name: string;
  nib: string;
  phone: string;
  address: string;
  sector: string;
  active: Bool;
  restricted_until: Instant | null;
  restriction_reason: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface UserTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  role: string; // ikm | technician | manager | admin
  ikm_id: number | null;
  language: string; // id | en
  active: Bool;
  /** sha256 of the secret calendar-feed token, null when none is issued. */
  calendar_token_hash: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface QualificationTable {
  id: Generated<number>;
  user_id: number;
  machine_type_id: number;
  valid_until: Instant;
  notes: string;
  created_by: number | null;
  created_at: Instant;
}

export interface BookingSeriesTable {
  id: Generated<number>;
  ikm_id: number;
  machine_id: number;
  created_by: number;
  first_start: Instant;
  duration_minutes: number;
  weeks: number;
  created_at: Instant;
}

export interface BookingTable {
  id: Generated<number>;
  machine_id: number;
  ikm_id: number;
  booked_by: number;
  start_at: Instant;
  end_at: Instant;
  /** end_at + the machine's buffer at booking time: the span the slot is held. */
  hold_end_at: Instant;
  status: string; // pending | confirmed | checked_in | completed | cancelled | rejected | no_show
  source: string; // web | api | waitlist | backfill | walk_in | allocation
  purpose: string;
  assisted: Bool;
  series_id: number | null;
  override_reason: string | null;
  status_reason: string | null;
  cancelled_at: Instant | null;
  late_cancel: Bool;
  created_at: Instant;
  updated_at: Instant;
}

export interface UsageRecordTable {
  id: Generated<number>;
  booking_id: number;
  actual_start: Instant;
  actual_end: Instant | null;
  operator_name: string;
  operator_kind: string; // ikm | unit
  output_quantity: number | null;
  output_unit: string | null;
  consumables: string;
  condition: string | null; // ok | fault
  notes: string;
  billable_minutes: number | null;
  hourly_rate: number | null;
  fee: number | null;
  checked_in_by: number;
  confirmed_by: number | null;
  confirmed_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface MaintenanceWindowTable {
  id: Generated<number>;
  machine_id: number;
  start_at: Instant;
  end_at: Instant | null; // null: open breakdown
  kind: string; // planned | breakdown
  reason: string;
  created_by: number;
  resolved_at: Instant | null;
  created_at: Instant;
}

export interface WaitlistEntryTable {
  id: Generated<number>;
  ikm_id: number;
  user_id: number;
  machine_id: number | null;
  machine_type_id: number;
  earliest_start: Instant;
  latest_end: Instant;
  duration_minutes: number;
  assisted: Bool;
  purpose: string;
  status: string; // waiting | offered | booked | expired | withdrawn
  offered_booking_id: number | null;
  offer_expires_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface BookingAttemptTable {
  id: Generated<number>;
  ikm_id: number;
  user_id: number;
  machine_id: number;
  machine_type_id: number;
  start_at: Instant;
  end_at: Instant;
  /** Comma-separated violation codes. */
  codes: string;
  created_at: Instant;
}

export interface AllocationRoundTable {
  id: Generated<number>;
  machine_id: number;
  week_start: Instant;
  cutoff_at: Instant;
  status: string; // open | allocated
  seed: string | null;
  allocated_at: Instant | null;
  result_json: string | null;
  created_at: Instant;
}

export interface AllocationRequestTable {
  id: Generated<number>;
  round_id: number;
  ikm_id: number;
  user_id: number;
  start_at: Instant;
  end_at: Instant;
  purpose: string;
  assisted: Bool;
  status: string; // requested | granted | refused | withdrawn
  booking_id: number | null;
  explanation_json: string | null;
  created_at: Instant;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  booking_id: number | null;
  params_json: string;
  read_at: Instant | null;
  created_at: Instant;
}

export interface AuditEventTable {
  id: Generated<number>;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  request_id: string | null;
  created_at: Instant;
}

export interface SessionTable {
  /** sha256 of the session or API token (the token itself is never stored). */
  id: string;
  user_id: number;
  kind: string; // cookie | api
  created_at: Instant;
  expires_at: Instant;
  revoked_at: Instant | null;
  user_agent: string;
}

export interface LoginFailureTable {
  id: Generated<number>;
  key: string; // "account:<login>" or "ip:<address>"
  at: Instant;
}

/**
 * One row (id 1): a counter that triggers raise on every change to the reference data a decision
 * reads (facility, closure days, machines, tariffs, maintenance), and a random stamp drawn anew
 * with each change (never reused, even after a rollback).
 */
export interface ReferenceVersionTable {
  id: number;
  n: number;
  stamp: string;
}

/** The reports' per-day summary (migration 2026-12-08T1000-report-summary; app/services/reports/summary.server.ts). */
export interface ReportDayTable {
  /** The local day's midnight, epoch ms. */
  day_start: number;
  state: "past" | "future";
  /** JSON: 48 numbers, used then available ms per local hour; null when none. */
  heat: string | null;
  built_at: number;
}

/** A day's cell figures (ms, counts, rupiah): app/reports/metrics.ts CELL_FIELDS. */
interface CellColumns {
  available_ms: number;
  available_to_date_ms: number;
  booked_ms: number;
  booked_ahead_ms: number;
  used_ms: number;
  bookings: number;
  completed: number;
  no_shows: number;
  late_cancellations: number;
  refused_ms: number;
  waitlist_ms: number;
  fees: number;
  bookings_served: number;
}

export interface ReportMachineDayTable extends CellColumns {
  day_start: number;
  /** 0: waitlist entries for any machine of the type. */
  machine_id: number;
  type_id: number;
}

export interface ReportIkmDayTable extends CellColumns {
  day_start: number;
  ikm_id: number;
}

export interface Database {
  report_days: ReportDayTable;
  report_machine_days: ReportMachineDayTable;
  report_ikm_days: ReportIkmDayTable;
  reference_version: ReferenceVersionTable;
  facility: FacilityTable;
  closure_days: ClosureDayTable;
  machine_types: MachineTypeTable;
  machines: MachineTable;
  machine_tariffs: MachineTariffTable;
  ikms: IkmTable;
  users: UserTable;
  qualifications: QualificationTable;
  booking_series: BookingSeriesTable;
  bookings: BookingTable;
  usage_records: UsageRecordTable;
  maintenance_windows: MaintenanceWindowTable;
  waitlist_entries: WaitlistEntryTable;
  booking_attempts: BookingAttemptTable;
  allocation_rounds: AllocationRoundTable;
  allocation_requests: AllocationRequestTable;
  notifications: NotificationTable;
  audit_events: AuditEventTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
}

export type Facility = Selectable<FacilityTable>;
export type ClosureDay = Selectable<ClosureDayTable>;
export type MachineType = Selectable<MachineTypeTable>;
export type Machine = Selectable<MachineTable>;
export type NewMachine = Insertable<MachineTable>;
export type MachineUpdate = Updateable<MachineTable>;
export type MachineTariff = Selectable<MachineTariffTable>;
export type Ikm = Selectable<IkmTable>;
export type NewIkm = Insertable<IkmTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Qualification = Selectable<QualificationTable>;
export type Booking = Selectable<BookingTable>;
export type NewBooking = Insertable<BookingTable>;
export type BookingUpdate = Updateable<BookingTable>;
export type UsageRecord = Selectable<UsageRecordTable>;
export type MaintenanceWindowRow = Selectable<MaintenanceWindowTable>;
export type WaitlistEntry = Selectable<WaitlistEntryTable>;
export type BookingAttempt = Selectable<BookingAttemptTable>;
export type AllocationRound = Selectable<AllocationRoundTable>;
export type AllocationRequest = Selectable<AllocationRequestTable>;
export type Notification = Selectable<NotificationTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type Session = Selectable<SessionTable>;

export const SLOT_HOLDING_STATUSES = ["pending", "confirmed", "checked_in"] as const;
/** Upper bound of (hold_end_at − start_at), enforced by a CHECK: lets overlap queries be bounded on both sides. */
export const MAX_HOLD_MS = 2 * 24 * 60 * 60 * 1000;
