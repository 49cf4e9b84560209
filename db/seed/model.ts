/**
 * Shapes shared by the demo-data planner: the rows it produces and the in-memory view of the
 * machines, IKMs and staff it generates bookings for.
 */
import type { Insertable } from "kysely";
import type { FacilityCalendar, Instant } from "../../app/scheduling/types";
import type { Database, Facility } from "../schema";
import type { IkmSpec, MachineSpec, TypeCode } from "./catalog";
import type { Rng } from "./random";

/** An insertable row of one table. */
export type Row<T extends keyof Database> = Insertable<Database[T]>;

/** The facility's settings: opening hours, rule defaults, tariff default. */
export type FacilitySettings = Omit<Facility, "id" | "updated_at">;

/** The first id to use in each table whose rows others refer to (1 on an empty database). */
export interface IdBases {
  machineTypes: number;
  machines: number;
  ikms: number;
  users: number;
  bookings: number;
}

export interface SeedMachine {
  id: number;
  typeId: number;
  spec: MachineSpec;
  /** Effective rule values (the machine's own, else the facility default). */
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  weeklyQuotaMinutes: number;
  billingIncrementMinutes: number;
  /** Tariffs, oldest first. */
  tariffs: { from: Instant; rate: number }[];
}

export interface SeedIkm {
  id: number;
  /** Position in the catalog: 0 is IKM #1 (ikm1@giliran.test), 1 is IKM #2. */
  index: number;
  spec: IkmSpec;
  memberId: number;
  memberName: string;
  /** Valid-until instant per machine type the IKM has a qualified member for. */
  qualifiedUntil: Map<TypeCode, Instant>;
}

export interface SeedStaff {
  adminId: number;
  managerId: number;
  technicians: { id: number; name: string }[];
}

/** Everything the planner needs, fixed for one run. */
export interface PlanContext {
  rng: Rng;
  /** Local midnight starting the day of `now`: the anchor of every generated instant. */
  today: Instant;
  calendar: FacilityCalendar;
  facility: FacilitySettings;
  /** When the unit started using Giliran: creation time of the reference data. */
  setupAt: Instant;
  machines: SeedMachine[];
  ikms: SeedIkm[];
  staff: SeedStaff;
}

/** The rows of a demo data set, each table's in insertion order. */
export interface DemoPlan {
  machineTypes: Row<"machine_types">[];
  machines: Row<"machines">[];
  tariffs: Row<"machine_tariffs">[];
  ikms: Row<"ikms">[];
  users: Row<"users">[];
  qualifications: Row<"qualifications">[];
  maintenance: Row<"maintenance_windows">[];
  bookings: Row<"bookings">[];
  usage: Row<"usage_records">[];
  attempts: Row<"booking_attempts">[];
  waitlist: Row<"waitlist_entries">[];
  notifications: Row<"notifications">[];
}
