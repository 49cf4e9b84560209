/**
 * The reference data of the demo: machine types, machines with their tariffs, IKMs, users and
 * qualifications, as rows with explicit ids plus the in-memory view the booking generator uses.
 */
import { zonedInstant } from "../../app/scheduling/calendar";
import { DAY_MS } from "../../app/scheduling/intervals";
import type { Instant } from "../../app/scheduling/types";
import {
  EXPIRED_QUALIFICATION,
  IKMS,
  MACHINES,
  MACHINE_TYPES,
  type MachineSpec,
  STAFF,
  type TypeCode,
  ikmEmail,
} from "./catalog";
import type { FacilitySettings, IdBases, Row, SeedIkm, SeedMachine, SeedStaff } from "./model";
import type { Rng } from "./random";

export interface ReferenceInput {
  rng: Rng;
  ids: IdBases;
  passwordHash: string;
  facility: FacilitySettings;
  setupAt: Instant;
  today: Instant;
}

export interface Reference {
  machineTypes: Row<"machine_types">[];
  machines: Row<"machines">[];
  tariffs: Row<"machine_tariffs">[];
  ikms: Row<"ikms">[];
  users: Row<"users">[];
  qualifications: Row<"qualifications">[];
  seedMachines: SeedMachine[];
  seedIkms: SeedIkm[];
  staff: SeedStaff;
}

/** Tariff dates (local midnight): the current rates, and the older ones of a few machines. */
const CURRENT_TARIFF_FROM = "2026-01-01";
const PREVIOUS_TARIFF_FROM = "2025-07-01";

export function buildReference(input: ReferenceInput): Reference {
  const typeIds = new Map(MACHINE_TYPES.map((t, i) => [t.code, input.ids.machineTypes + i]));
  const staff = staffIds(input.ids.users);
  const seedMachines = MACHINES.map((spec, i) =>
    seedMachine(spec, input.ids.machines + i, typeIds.get(spec.type) as number, input.facility),
  );
  const people = buildIkmsAndMembers(input, staff);
  return {
    machineTypes: MACHINE_TYPES.map((t) => ({
      id: typeIds.get(t.code),
      code: t.code,
      name: t.name,
      description: t.description,
      created_at: input.setupAt,
    })),
    machines: seedMachines.map((m) => machineRow(m, input.setupAt)),
    tariffs: seedMachines.flatMap((m) =>
      m.tariffs.map((t) => ({
        machine_id: m.id,
        hourly_rate: t.rate,
        effective_from: t.from,
        created_by: staff.adminId,
        created_at: Math.min(t.from - 14 * DAY_MS, input.setupAt),
      })),
    ),
    ikms: people.ikms,
    users: [...staffRows(staff, input), ...people.members],
    qualifications: qualificationRows(people.seedIkms, typeIds, staff, input.setupAt),
    seedMachines,
    seedIkms: people.seedIkms,
    staff,
  };
}

function seedMachine(
  spec: MachineSpec,
  id: number,
  typeId: number,
  facility: FacilitySettings,
): SeedMachine {
  const tz = facility.time_zone;
  const tariffs = [{ from: zonedInstant(CURRENT_TARIFF_FROM, "00:00", tz), rate: spec.hourlyRate }];
  if (spec.previousRate !== null) {
    tariffs.unshift({ from: zonedInstant(PREVIOUS_TARIFF_FROM, "00:00", tz), rate: spec.previousRate });
  }
  const r = spec.rules;
  return {
    id,
    typeId,
    spec,
    minMinutes: r.min_minutes ?? facility.min_minutes,
    maxMinutes: r.max_minutes ?? facility.max_minutes,
    bufferMinutes: r.buffer_minutes ?? facility.buffer_minutes,
    weeklyQuotaMinutes: r.weekly_quota_minutes ?? facility.weekly_quota_minutes,
    billingIncrementMinutes: r.billing_increment_minutes ?? facility.billing_increment_minutes,
    tariffs,
  };
}

function machineRow(m: SeedMachine, createdAt: Instant): Row<"machines"> {
  const { spec } = m;
  return {
    id: m.id,
    code: spec.code,
    name: spec.name,
    type_id: m.typeId,
    status: "active",
    description: spec.description,
    location: spec.location,
    ...spec.rules,
    requires_approval: spec.requiresApproval ? 1 : 0,
    requires_qualification: spec.requiresQualification ? 1 : 0,
    operator_mode: spec.operatorMode,
    allocation_mode: spec.allocationMode,
    hours_json: spec.hours ? JSON.stringify(spec.hours) : null,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

function staffIds(firstUserId: number): SeedStaff {
  return {
    adminId: firstUserId,
    managerId: firstUserId + 1,
    technicians: STAFF.technicians.map((t, i) => ({ id: firstUserId + 2 + i, name: t.name })),
  };
}

function staffRows(staff: SeedStaff, input: ReferenceInput): Row<"users">[] {
  const base = { password_hash: input.passwordHash, language: "id", active: 1, ikm_id: null };
  const stamps = { created_at: input.setupAt, updated_at: input.setupAt };
  return [
    { ...base, ...stamps, id: staff.adminId, ...STAFF.admin, phone: null, role: "admin" },
    { ...base, ...stamps, id: staff.managerId, ...STAFF.manager, phone: null, role: "manager" },
    ...STAFF.technicians.map((t, i) => ({ ...base, ...stamps, id: staff.technicians[i].id, ...t, role: "technician" })),
  ];
}

/**
 * The IKMs and one member each (the owner). IKM #1 and #2 log in as ikm1@/ikm2@giliran.test;
 * the others log in by phone, every third one also by email.
 */
function buildIkmsAndMembers(input: ReferenceInput, staff: SeedStaff) {
  const { rng, setupAt } = input;
  const phones = new UniqueDigits(rng, STAFF.technicians.map((t) => t.phone.slice("+62".length)));
  const nibs = new UniqueDigits(rng, []);
  const firstMemberId = staff.technicians[staff.technicians.length - 1].id + 1;
  const ikms: Row<"ikms">[] = [];
  const members: Row<"users">[] = [];
  const seedIkms: SeedIkm[] = [];
  IKMS.forEach((spec, index) => {
    const id = input.ids.ikms + index;
    const memberId = firstMemberId + index;
    const phone = `+62${phones.next(rng.pick(MOBILE_PREFIXES), 8)}`;
    const number = index + 1;
    ikms.push({
      id,
      name: spec.name,
      owner_name: spec.owner,
      nib: nibs.next(rng.pick(NIB_PREFIXES), 9),
      phone,
      address: `${spec.street}, Desa ${spec.village}, Kabupaten Purbalingga, Jawa Tengah`,
      sector: spec.sector,
      active: 1,
      restricted_until: null,
      restriction_reason: null,
      created_at: setupAt,
      updated_at: setupAt,
    });
    members.push({
      id: memberId,
      name: spec.owner,
      email: number <= 2 || number % 3 === 0 ? ikmEmail(number) : null,
      phone,
      password_hash: input.passwordHash,
      role: "ikm",
      ikm_id: id,
      language: "id",
      active: 1,
      created_at: setupAt,
      updated_at: setupAt,
    });
    seedIkms.push({
      id,
      index,
      spec,
      memberId,
      memberName: spec.owner,
      qualifiedUntil: qualificationsOf(index, spec.qualifications, input),
    });
  });
  return { ikms, members, seedIkms };
}

const MOBILE_PREFIXES = ["812", "813", "821", "822", "852", "853", "857", "878", "896"];
const NIB_PREFIXES = ["9120", "8120", "0220"];

/** Digit strings of a fixed form, never the same twice (phone numbers, NIBs). */
class UniqueDigits {
  private readonly seen: Set<string>;

  constructor(
    private readonly rng: Rng,
    taken: readonly string[],
  ) {
    this.seen = new Set(taken);
  }

  next(prefix: string, randomDigits: number): string {
    for (;;) {
      let value = prefix;
      for (let i = 0; i < randomDigits; i++) value += String(this.rng.int(0, 9));
      if (!this.seen.has(value)) {
        this.seen.add(value);
        return value;
      }
    }
  }
}

/**
 * Until when each qualification of an IKM is valid. IKM #1's CNC lathe certificate runs a
 * year from today, so the ikm1 login can book the CNC lathes; the others run four months to a
 * year and a half; one has lapsed (EXPIRED_QUALIFICATION).
 */
function qualificationsOf(index: number, types: readonly TypeCode[], input: ReferenceInput): Map<TypeCode, Instant> {
  const until = new Map<TypeCode, Instant>();
  for (const type of types) {
    const days = index === 0 ? 366 : input.rng.int(120, 540);
    until.set(type, input.today + days * DAY_MS);
  }
  if (index === EXPIRED_QUALIFICATION.ikmIndex) {
    until.set(EXPIRED_QUALIFICATION.type, input.today - EXPIRED_QUALIFICATION.daysAgo * DAY_MS);
  }
  return until;
}

const QUALIFICATION_NOTES: Partial<Record<TypeCode, string>> = {
  CNC_LATHE: "Lulus pelatihan operator bubut CNC UPTD Logam Purbalingga",
  CNC_MILL: "Lulus pelatihan operator frais CNC UPTD Logam Purbalingga",
};

function qualificationRows(
  ikms: SeedIkm[],
  typeIds: Map<TypeCode, number>,
  staff: SeedStaff,
  setupAt: Instant,
): Row<"qualifications">[] {
  return ikms.flatMap((ikm) =>
    [...ikm.qualifiedUntil].map(([type, validUntil]) => ({
      user_id: ikm.memberId,
      machine_type_id: typeIds.get(type) as number,
      valid_until: validUntil,
      notes: QUALIFICATION_NOTES[type] ?? "",
      created_by: staff.technicians[0].id,
      created_at: setupAt,
    })),
  );
}
