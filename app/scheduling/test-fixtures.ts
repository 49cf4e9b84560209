/**
 * Test fixtures for the scheduling engine (and anyone testing against it): the default facility
 * of DESIGN.md, default machine rules, and builders of DecisionInput. Every instant is fixed;
 * nothing reads the clock.
 */
import { zonedInstant } from "./calendar";
import type {
  Actor,
  BookingRequest,
  BusyBooking,
  DecisionInput,
  FacilityCalendar,
  IkmState,
  MachineInfo,
  MachineRules,
  MachineState,
  MaintenanceWindow,
  OperatorState,
  WeeklyHours,
} from "./types";

export const FACILITY_TZ = "Asia/Jakarta";

/** Mon–Thu 07.30–12.00 & 13.00–16.00; Fri 07.30–11.30 & 13.00–16.30; Sat–Sun closed. */
export const DEFAULT_HOURS: WeeklyHours = {
  1: [
    { start: "07:30", end: "12:00" },
    { start: "13:00", end: "16:00" },
  ],
  2: [
    { start: "07:30", end: "12:00" },
    { start: "13:00", end: "16:00" },
  ],
  3: [
    { start: "07:30", end: "12:00" },
    { start: "13:00", end: "16:00" },
  ],
  4: [
    { start: "07:30", end: "12:00" },
    { start: "13:00", end: "16:00" },
  ],
  5: [
    { start: "07:30", end: "11:30" },
    { start: "13:00", end: "16:30" },
  ],
  6: [],
  7: [],
};

/** The 2026 closure days of /work/shared/data/id-closures-2026.csv (holidays and collective leave). */
export const CLOSURES_2026: readonly string[] = [
  "2026-01-01",
  "2026-01-16",
  "2026-02-16",
  "2026-02-17",
  "2026-03-18",
  "2026-03-19",
  "2026-03-20",
  "2026-03-21",
  "2026-03-22",
  "2026-03-23",
  "2026-03-24",
  "2026-04-03",
  "2026-04-05",
  "2026-05-01",
  "2026-05-14",
  "2026-05-15",
  "2026-05-27",
  "2026-05-28",
  "2026-05-31",
  "2026-06-01",
  "2026-06-16",
  "2026-08-17",
  "2026-08-25",
  "2026-12-24",
  "2026-12-25",
];

export const CALENDAR: FacilityCalendar = {
  timeZone: FACILITY_TZ,
  hours: DEFAULT_HOURS,
  closures: new Set(CLOSURES_2026),
};

export const DEFAULT_RULES: MachineRules = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 480,
  bufferMinutes: 0,
  noticeMinutes: 120,
  horizonDays: 30,
  weeklyQuotaMinutes: 960,
  maxActiveBookings: 10,
  requiresApproval: false,
  requiresQualification: false,
  operatorMode: "self",
  billingIncrementMinutes: 30,
  hourlyRate: 150000,
};

/** The instant of a facility (WIB) wall-clock time: wib("2026-12-07 08:00"). */
export function wib(dateTime: string): number {
  const [date, time] = dateTime.split(" ");
  return zonedInstant(date, time, FACILITY_TZ);
}

/** A fixed "now": Monday 30 November 2026, 08:00 WIB. */
export const NOW = wib("2026-11-30 08:00");

export const IKM_ACTOR: Actor = { staff: false, userId: 101 };
export const TECHNICIAN: Actor = { staff: true, userId: 2 };
export const MANAGER: Actor = { staff: true, userId: 3 };

export const IKM_ID = 7;
export const OTHER_IKM_ID = 8;

export function machine(
  overrides: Partial<Omit<MachineInfo, "rules">> & { rules?: Partial<MachineRules> } = {},
): MachineInfo {
  const { rules, ...rest } = overrides;
  return {
    id: 1,
    code: "CNC-01",
    name: "CNC Bubut 1",
    typeId: 3,
    status: "active",
    hours: null,
    ...rest,
    rules: { ...DEFAULT_RULES, ...rules },
  };
}

/** The electroplating line: 30-minute setup/cleanup buffer. */
export function platingLine(overrides: Partial<MachineInfo> = {}): MachineInfo {
  return machine({
    id: 20,
    code: "PLT-01",
    name: "Lini Elektroplating",
    typeId: 5,
    rules: { bufferMinutes: 30 },
    ...overrides,
  });
}

/** A booking of another IKM on the machine, between two WIB wall-clock times of one day. */
export function booking(id: number, date: string, from: string, to: string, ikmId = OTHER_IKM_ID): BusyBooking {
  return { id, ikmId, assisted: false, start: wib(`${date} ${from}`), end: wib(`${date} ${to}`) };
}

export function maintenanceWindow(
  id: number,
  start: number,
  end: number | null,
  kind: MaintenanceWindow["kind"] = "planned",
): MaintenanceWindow {
  return { id, start, end, kind };
}

export interface InputOverrides {
  now?: number;
  actor?: Actor;
  calendar?: FacilityCalendar;
  request?: Partial<BookingRequest>;
  machine?: MachineInfo;
  bookings?: BusyBooking[];
  maintenance?: MaintenanceWindow[];
  ikm?: Partial<IkmState>;
  operators?: Partial<OperatorState>;
}

/**
 * A DecisionInput for an IKM member booking CNC-01 on Monday 7 December 2026, 08:00–10:00 WIB,
 * with nothing in the way; override any part.
 */
export function input(overrides: InputOverrides = {}): DecisionInput {
  const m = overrides.machine ?? machine();
  const state: MachineState = {
    machine: m,
    bookings: overrides.bookings ?? [],
    maintenance: overrides.maintenance ?? [],
  };
  return {
    now: overrides.now ?? NOW,
    actor: overrides.actor ?? IKM_ACTOR,
    calendar: overrides.calendar ?? CALENDAR,
    request: {
      machineId: m.id,
      ikmId: IKM_ID,
      start: wib("2026-12-07 08:00"),
      end: wib("2026-12-07 10:00"),
      assisted: false,
      source: "web",
      ...overrides.request,
    },
    state,
    ikm: {
      ikmId: IKM_ID,
      typeHoldings: [],
      activeBookings: 0,
      qualified: true,
      restrictedUntil: null,
      ...overrides.ikm,
    },
    operators: { operatorsOnDuty: 2, assistedBookings: [], ...overrides.operators },
  };
}

/** The request part of a DecisionInput between two WIB wall-clock times. */
export function at(from: string, to: string): Pick<BookingRequest, "start" | "end"> {
  return { start: wib(from), end: wib(to) };
}
