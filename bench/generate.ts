/**
 * The benchmark data set of DESIGN.md "Targets": 40 machines, 400 IKMs, two years of history
 * and a month of future bookings (about 250,000 bookings), at the fixed instant BENCH_NOW.
 *
 *   npx tsx bench/generate.ts [--out bench/data/large.db] [--seed 42]
 *
 * Deterministic for a seed (except the salt of the one shared password hash). The machines, their
 * rules and tariffs come from the demo catalog (db/seed/catalog.ts); the 2026 closure days from
 * db/seed/closures.ts (no 2025 ones). Each machine's open time (less maintenance) is filled day
 * by day with bookings on the 30-minute grid, kept apart by the machine's buffer, so slot-holding,
 * completed and no-show bookings of one machine never overlap; cancelled and rejected bookings
 * (which hold nothing) lie anywhere. IKMs are drawn by activity within the rules the engine
 * applies (qualification, weekly hours, active bookings, operators on duty); what those rules
 * refuse is recorded as a booking attempt, like the overlapping requests of other IKMs.
 *
 * Rows are written with prepared statements on the raw better-sqlite3 handle, in a few large
 * transactions. ANALYZE is deliberately not run (see STYLE.md, "The database").
 */
import fs from "node:fs";
import path from "node:path";
import { computeFee } from "../app/scheduling/fees";
import { breakIntervals, localDay, openIntervals, zonedInstant } from "../app/scheduling/calendar";
import type { LocalDay } from "../app/scheduling/calendar";
import { DAY_MS, HOUR_MS, MINUTE_MS, overlaps, subtract, totalMinutes } from "../app/scheduling/intervals";
import { restrictionUntil } from "../app/scheduling/restriction";
import type { FacilityCalendar, Instant, Interval, WeeklyHours } from "../app/scheduling/types";
import { hashPassword } from "../app/utils/password.server";
import { openDatabase, sqliteHandle } from "../db/connection";
import { ensureFacility } from "../db/facility-defaults";
import { migrateToLatest } from "../db/migrate";
import type { Facility } from "../db/schema";
import {
  CANCEL_REASONS,
  IKMS,
  MACHINES,
  MACHINE_TYPES,
  type MachineSpec,
  REJECT_REASONS,
  SECTOR_TYPES,
  STAFF,
  type Sector,
  TYPE_WORK,
  type TypeCode,
  WORKER_NAMES,
  ikmEmail,
} from "../db/seed/catalog";
import { parseClosureCsv, readClosureCsv } from "../db/seed/closures";
import { Rng } from "../db/seed/random";
import { flag, numberFlag } from "./lib/args";
import { BENCH_NOW, BENCH_NOW_ISO, BENCH_PASSWORD, DEFAULT_LARGE_DB, HISTORY_FIRST_DAY } from "./lib/dataset";
import { removeDatabase } from "./lib/db";
import { SECTOR_SHARES, UniqueDigits, VILLAGES, firmName, gaussian, personName, streetAddress } from "./lib/people";
import { Progress } from "./lib/progress";
import { nowMs } from "./lib/stats";

// ---------------------------------------------------------------------------------------------
// The shape of the data set

const NOW = BENCH_NOW;
const IKM_COUNT = 400;

/** 40 machines: how many of each demo type, and the prefix of their codes (CNC-01…). */
const MACHINE_PLAN: readonly { type: TypeCode; prefix: string; count: number }[] = [
  { type: "PRESS", prefix: "PRS", count: 6 },
  { type: "PLATING", prefix: "PLT", count: 2 },
  { type: "CNC_LATHE", prefix: "CNC", count: 6 },
  { type: "CNC_MILL", prefix: "CNC", count: 4 },
  { type: "BENDING", prefix: "BND", count: 4 },
  { type: "CUTTING", prefix: "CUT", count: 5 },
  { type: "WELDING", prefix: "WLD", count: 8 },
  { type: "SANDBLAST", prefix: "SBL", count: 2 },
  { type: "POWDER", prefix: "PWD", count: 3 },
];

/** Extra technicians beside the demo's two, for a unit with 40 machines. */
const EXTRA_TECHNICIANS = ["Sri Handayani", "Wahyu Nugroho", "Dedi Kurniawan", "Fitri Anggraini"];

/** Booking lengths (minutes) and weights in the history: mostly short jobs on a busy floor… */
const PAST_DURATIONS: readonly [number, number][] = [
  [30, 9],
  [60, 2],
  [90, 0.5],
  [120, 0.3],
];
/** …and ahead, where firms reserve longer blocks. */
const FUTURE_DURATIONS: readonly [number, number][] = [
  [60, 2],
  [90, 2],
  [120, 3],
  [180, 2],
  [240, 1],
];
/** Share of the free time a machine's bookings fill in the history (before daily variation). */
const BASE_UTILIZATION_BONUS = 0.35;
/** Chance that a booking's time was first booked by another IKM who cancelled (or was rejected). */
const SHADOW_OF_KEPT = 0.4;
/** Chance that a slot left free was booked and then cancelled (or rejected). */
const SHADOW_OF_FREE = 0.9;
/** Chance that a held booking drew a refused request from another IKM (OVERLAP or BUFFER). */
const CONTESTED = 0.145;
/** Chance that an IKM refused with OVERLAP joins the waitlist. */
const JOINS_WAITLIST = 0.16;

const NIB_PREFIXES = ["9120", "8120", "0220", "1201", "9103"];
const MOBILE_PREFIXES = ["812", "813", "821", "822", "852", "853", "857", "878", "896", "895"];

const PLANNED_REASONS = [
  "Servis berkala: ganti oli dan filter",
  "Kalibrasi dan pemeriksaan keselamatan",
  "Penggantian komponen aus sesuai jadwal",
  "Pembersihan menyeluruh dan pelumasan",
];
const BREAKDOWN_REASONS = [
  "Motor penggerak mati mendadak",
  "Kebocoran oli hidrolik",
  "Panel listrik korslet",
  "Sensor posisi rusak",
  "Pompa pendingin macet",
];
const OTHER_REJECT_REASONS = ["Benda kerja tidak sesuai kapasitas mesin", "Jadwal dipakai pelatihan UPTD"];

// ---------------------------------------------------------------------------------------------
// In-memory model

interface BenchMachine {
  id: number;
  code: string;
  name: string;
  type: TypeCode;
  typeIndex: number;
  typeId: number;
  spec: MachineSpec;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  noticeMinutes: number;
  weeklyQuotaMinutes: number;
  billingIncrementMinutes: number;
  hours: WeeklyHours | null;
  /** Tariffs, oldest first. */
  tariffs: { from: Instant; rate: number }[];
  utilization: number;
  /** Maintenance windows (end Infinity for the open breakdown), sorted by start. */
  windows: Window[];
}

interface Window extends Interval {
  machine: BenchMachine;
  kind: "planned" | "breakdown";
  reason: string;
  createdAt: Instant;
  open: boolean;
}

interface BenchIkm {
  id: number;
  index: number;
  name: string;
  owner: string;
  sector: Sector;
  memberId: number;
  /** Valid-until instant per machine type the IKM has a qualified member for. */
  qualifiedUntil: Map<TypeCode, Instant>;
  /** Relative booking activity (draw weight). */
  activity: number;
  noShowRate: number;
  /** Misses bookings often enough to be restricted now and then. */
  unreliable: boolean;
  noShows: Instant[];
}

/** One candidate booking on a machine's day, inside one free period. */
interface Slot extends Interval {
  period: Interval;
}

/** A booking written to the database (what later steps of the same machine-day need). */
interface Written extends Interval {
  id: number;
  period: Interval;
  ikm: BenchIkm;
  createdAt: Instant;
  status: string;
}

// ---------------------------------------------------------------------------------------------
// Writing rows

type Statement = ReturnType<NonNullable<ReturnType<typeof openDatabase>["sqlite"]>["prepare"]>;

class Writer {
  rows = 0;
  readonly counts: Record<string, number> = {};
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly sqlite: NonNullable<ReturnType<typeof openDatabase>["sqlite"]>) {}

  /** INSERT one row into `table`; the columns are those of the first row of that table. */
  insert(table: string, row: Record<string, string | number | null>): void {
    let stmt = this.statements.get(table);
    if (!stmt) {
      const columns = Object.keys(row);
      stmt = this.sqlite.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`,
      );
      this.statements.set(table, stmt);
    }
    stmt.run(row);
    this.rows++;
    this.counts[table] = (this.counts[table] ?? 0) + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// The generator

class Generator {
  readonly rng: Rng;
  readonly calendar: FacilityCalendar;
  readonly machines: BenchMachine[] = [];
  readonly ikms: BenchIkm[] = [];
  readonly technicians: { id: number; name: string }[] = [];
  readonly setupAt: Instant;
  readonly today: LocalDay;
  /** Cumulative draw weights of the IKMs per machine type (index of MACHINE_TYPES). */
  private readonly cumulative: Float64Array[] = [];
  private nextBookingId = 1;
  /** Minutes per IKM, machine type and ISO week (slot-holding and completed bookings). */
  private readonly weekMinutes = new Map<number, number>();
  /** Future slot-holding bookings per IKM index. */
  private readonly activeFuture: number[];
  /** Keys of quota refusals already recorded (an IKM told no does not keep asking). */
  private readonly quotaRefused = new Set<number>();
  /** Restrictions in force at NOW (IKM index → until), derived when the days reach today. */
  restrictions: Map<number, Instant> | null = null;
  /** Assisted bookings of the day being generated (all machines): operators on duty. */
  private assistedToday: Interval[] = [];
  private dayNumber = 0;
  private weekNumber = 0;
  readonly machineTypeIds: number[];

  constructor(
    seed: number,
    readonly facility: Facility,
    closures: ReadonlySet<string>,
    readonly passwordHash: string,
    private readonly w: Writer,
  ) {
    this.rng = new Rng(seed);
    const tz = facility.time_zone;
    this.calendar = { timeZone: tz, hours: JSON.parse(facility.hours_json) as WeeklyHours, closures };
    this.setupAt = zonedInstant("2024-06-03", "08:00", tz);
    this.today = localDay(NOW, tz);
    this.machineTypeIds = MACHINE_TYPES.map((_, i) => i + 1);
    this.activeFuture = new Array(IKM_COUNT).fill(0);
  }

  private get tz(): string {
    return this.calendar.timeZone;
  }

  // -------------------------------------------------------------------------------------------
  // Reference data

  writeReference(): void {
    const { w, setupAt } = this;
    MACHINE_TYPES.forEach((t, i) => {
      w.insert("machine_types", { id: i + 1, code: t.code, name: t.name, description: t.description, created_at: setupAt });
    });
    this.writeStaff();
    this.planMachines();
    this.planIkms();
    this.buildDrawWeights();
  }

  private writeStaff(): void {
    const { w, setupAt, passwordHash } = this;
    const base = { password_hash: passwordHash, ikm_id: null, language: "id", active: 1, calendar_token_hash: null, created_at: setupAt, updated_at: setupAt };
    w.insert("users", { id: 1, name: STAFF.admin.name, email: STAFF.admin.email, phone: null, role: "admin", ...base });
    w.insert("users", { id: 2, name: STAFF.manager.name, email: STAFF.manager.email, phone: null, role: "manager", ...base });
    const technicians = [
      ...STAFF.technicians.map((t) => ({ name: t.name, email: t.email, phone: t.phone as string })),
      ...EXTRA_TECHNICIANS.map((name, i) => ({ name, email: `teknisi${i + 3}@giliran.test`, phone: `+6281327001${String(i + 3).padStart(3, "0")}` })),
    ];
    technicians.forEach((t, i) => {
      const id = 3 + i;
      w.insert("users", { id, name: t.name, email: t.email, phone: t.phone, role: "technician", ...base });
      this.technicians.push({ id, name: t.name });
    });
  }

  private planMachines(): void {
    const { w, rng, facility, setupAt, tz } = this;
    const numbers = new Map<string, number>();
    let id = 1;
    for (const plan of MACHINE_PLAN) {
      const templates = MACHINES.filter((m) => m.type === plan.type);
      const typeIndex = MACHINE_TYPES.findIndex((t) => t.code === plan.type);
      for (let k = 0; k < plan.count; k++) {
        const spec = templates[k % templates.length];
        const n = (numbers.get(plan.prefix) ?? 0) + 1;
        numbers.set(plan.prefix, n);
        const code = `${plan.prefix}-${String(n).padStart(2, "0")}`;
        const round = Math.floor(k / templates.length);
        const name = round === 0 ? spec.name : `${spec.name} (${round + 1})`;
        // On this larger floor the lathes also take half-hour jobs; every other rule is the demo's.
        const rules = { ...spec.rules };
        if (plan.type === "CNC_LATHE") delete rules.min_minutes;
        const current = spec.hourlyRate;
        const previous = spec.previousRate ?? Math.round((current * 0.85) / 5000) * 5000;
        const machine: BenchMachine = {
          id,
          code,
          name,
          type: plan.type,
          typeIndex,
          typeId: typeIndex + 1,
          spec,
          minMinutes: rules.min_minutes ?? facility.min_minutes,
          maxMinutes: rules.max_minutes ?? facility.max_minutes,
          bufferMinutes: rules.buffer_minutes ?? facility.buffer_minutes,
          noticeMinutes: rules.notice_minutes ?? facility.notice_minutes,
          weeklyQuotaMinutes: rules.weekly_quota_minutes ?? facility.weekly_quota_minutes,
          billingIncrementMinutes: rules.billing_increment_minutes ?? facility.billing_increment_minutes,
          hours: spec.hours,
          tariffs: [
            { from: zonedInstant("2024-07-01", "00:00", tz), rate: previous },
            { from: zonedInstant("2026-01-01", "00:00", tz), rate: current },
          ],
          utilization: Math.min(0.97, Math.max(0.87, spec.busyness + BASE_UTILIZATION_BONUS + (rng.next() - 0.5) * 0.1)),
          windows: [],
        };
        this.machines.push(machine);
        w.insert("machines", {
          id,
          code,
          name,
          type_id: machine.typeId,
          status: "active",
          description: spec.description,
          location: spec.location,
          slot_minutes: null,
          min_minutes: rules.min_minutes ?? null,
          max_minutes: rules.max_minutes ?? null,
          buffer_minutes: rules.buffer_minutes ?? null,
          notice_minutes: rules.notice_minutes ?? null,
          horizon_days: null,
          weekly_quota_minutes: rules.weekly_quota_minutes ?? null,
          max_active_bookings: null,
          billing_increment_minutes: rules.billing_increment_minutes ?? null,
          requires_approval: spec.requiresApproval ? 1 : 0,
          requires_qualification: spec.requiresQualification ? 1 : 0,
          operator_mode: spec.operatorMode,
          allocation_mode: k === 0 ? spec.allocationMode : "first_come",
          hours_json: spec.hours ? JSON.stringify(spec.hours) : null,
          created_at: setupAt,
          updated_at: setupAt,
        });
        for (const t of machine.tariffs) {
          w.insert("machine_tariffs", {
            machine_id: id,
            hourly_rate: t.rate,
            effective_from: t.from,
            created_by: 1,
            created_at: Math.min(t.from - 14 * DAY_MS, setupAt),
          });
        }
        id++;
      }
    }
  }

  private planIkms(): void {
    const { w, rng, setupAt, passwordHash } = this;
    const technicianPhones = STAFF.technicians.map((t) => t.phone.slice(3));
    const phones = new UniqueDigits(rng, technicianPhones);
    const nibs = new UniqueDigits(rng);
    const names = new Set(IKMS.map((s) => s.name));
    const firstMemberId = 3 + this.technicians.length;
    for (let index = 0; index < IKM_COUNT; index++) {
      const demo = IKMS[index];
      const sector = demo?.sector ?? (rng.weighted(SECTOR_SHARES, ([, share]) => share) as [Sector, number])[0];
      const name = demo?.name ?? firmName(rng, sector, names);
      const owner = demo?.owner ?? personName(rng);
      const village = demo?.village ?? rng.pick(VILLAGES);
      const street = demo?.street ?? streetAddress(rng, village);
      const id = index + 1;
      const memberId = firstMemberId + index;
      const phone = `+62${phones.next(rng.pick(MOBILE_PREFIXES), 8)}`;
      const qualifications = demo ? [...demo.qualifications] : generatedQualifications(rng, sector);
      const qualifiedUntil = new Map<TypeCode, Instant>();
      for (const type of qualifications) {
        const expired = index > 1 && rng.chance(0.08);
        const until = index === 0 ? NOW + 366 * DAY_MS : expired ? NOW - rng.int(10, 400) * DAY_MS : NOW + rng.int(60, 540) * DAY_MS;
        qualifiedUntil.set(type, this.today.start + Math.round((until - this.today.start) / DAY_MS) * DAY_MS);
      }
      const unreliable = index > 1 && rng.chance(0.03);
      const ikm: BenchIkm = {
        id,
        index,
        name,
        owner,
        sector,
        memberId,
        qualifiedUntil,
        // Activity: the demo's for its 25 firms; a long-tailed spread for the others.
        activity: demo?.activity ?? Math.min(8, Math.exp(0.8 * gaussian(rng))),
        noShowRate: unreliable ? 0.08 + rng.next() * 0.07 : 0.01 + rng.next() * 0.05,
        unreliable,
        noShows: [],
      };
      this.ikms.push(ikm);
      w.insert("ikms", {
        id,
        name,
        owner_name: owner,
        nib: nibs.next(rng.pick(NIB_PREFIXES), 9),
        phone,
        address: `${street}, Desa ${village}, Kabupaten Purbalingga, Jawa Tengah`,
        sector,
        active: 1,
        restricted_until: null,
        restriction_reason: null,
        created_at: setupAt,
        updated_at: setupAt,
      });
      w.insert("users", {
        id: memberId,
        name: owner,
        email: ikmEmail(index + 1),
        phone,
        password_hash: passwordHash,
        role: "ikm",
        ikm_id: id,
        language: "id",
        active: 1,
        calendar_token_hash: null,
        created_at: setupAt,
        updated_at: setupAt,
      });
      for (const [type, until] of qualifiedUntil) {
        w.insert("qualifications", {
          user_id: memberId,
          machine_type_id: MACHINE_TYPES.findIndex((t) => t.code === type) + 1,
          valid_until: until,
          notes: `Lulus pelatihan operator ${type === "CNC_LATHE" ? "bubut" : "frais"} CNC UPTD Logam Purbalingga`,
          created_by: this.technicians[0].id,
          created_at: setupAt,
        });
      }
    }
  }

  /** Per machine type, the cumulative draw weight of each IKM: activity, ×3 for its sector's types. */
  private buildDrawWeights(): void {
    MACHINE_TYPES.forEach((t, typeIndex) => {
      const needsQualification = MACHINES.some((m) => m.type === t.code && m.requiresQualification);
      const cumulative = new Float64Array(this.ikms.length);
      let total = 0;
      this.ikms.forEach((ikm, i) => {
        const activity = ikm.activity;
        const sectorFactor = SECTOR_TYPES[ikm.sector].includes(t.code) ? 3 : 1;
        const eligible = !needsQualification || ikm.qualifiedUntil.has(t.code);
        total += eligible ? activity * sectorFactor : 0;
        cumulative[i] = total;
      });
      this.cumulative[typeIndex] = cumulative;
    });
  }

  /** An IKM drawn by weight for a machine type (binary search on the cumulative weights). */
  private drawIkm(typeIndex: number): BenchIkm {
    const cumulative = this.cumulative[typeIndex];
    const r = this.rng.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.ikms[lo];
  }

  private mayOperate(ikm: BenchIkm, machine: BenchMachine, until: Instant): boolean {
    return !machine.spec.requiresQualification || (ikm.qualifiedUntil.get(machine.type) ?? 0) >= until;
  }

  // -------------------------------------------------------------------------------------------
  // Maintenance

  /**
   * Per machine: a planned window about every quarter (a whole day or one open period), one to
   * four breakdowns of 2 h to 2 days (resolved), a few planned windows in the month ahead, and
   * one breakdown still open (reported yesterday on the last welder).
   */
  planMaintenance(historyStart: Instant): void {
    const { rng } = this;
    for (const machine of this.machines) {
      for (let q = historyStart; q < NOW - 7 * DAY_MS; q += 91 * DAY_MS) {
        const open = this.randomOpenDay(machine, q + rng.int(0, 80) * DAY_MS);
        if (!open || open[0].start > NOW) continue;
        const whole = rng.chance(0.55);
        const part = rng.pick(open);
        const span = whole ? { start: open[0].start, end: open[open.length - 1].end } : part;
        this.addWindow(machine, span, "planned", rng.pick(PLANNED_REASONS), span.start - rng.int(7, 21) * DAY_MS);
      }
      const breakdowns = rng.int(1, 4);
      for (let i = 0; i < breakdowns; i++) {
        const open = this.randomOpenDay(machine, historyStart + rng.int(0, Math.floor((NOW - historyStart) / DAY_MS) - 4) * DAY_MS);
        if (!open) continue;
        const period = rng.pick(open);
        const slots = (period.end - period.start) / (30 * MINUTE_MS);
        const start = period.start + rng.int(0, slots - 1) * 30 * MINUTE_MS;
        const end = start + rng.int(4, 104) * 30 * MINUTE_MS;
        if (end > NOW - HOUR_MS) continue;
        this.addWindow(machine, { start, end }, "breakdown", rng.pick(BREAKDOWN_REASONS), start);
      }
    }
    for (const machine of pickDistinct(rng, this.machines, 4)) {
      const open = this.randomOpenDay(machine, NOW + rng.int(3, 25) * DAY_MS);
      if (open) this.addWindow(machine, { start: open[0].start, end: open[open.length - 1].end }, "planned", rng.pick(PLANNED_REASONS), NOW - rng.int(2, 10) * DAY_MS);
    }
    const welder = this.machines.filter((m) => m.type === "WELDING").at(-1) as BenchMachine;
    const yesterday = this.previousOpenDay(welder, NOW);
    const start = zonedInstant(yesterday.key, "10:00", this.tz);
    welder.windows = welder.windows.filter((win) => win.end <= start);
    this.addWindow(welder, { start, end: Number.POSITIVE_INFINITY }, "breakdown", "Trafo las terbakar; menunggu suku cadang", start);
    for (const machine of this.machines) {
      machine.windows.sort((a, b) => a.start - b.start);
      for (const win of machine.windows) {
        this.w.insert("maintenance_windows", {
          machine_id: machine.id,
          start_at: win.start,
          end_at: win.open ? null : win.end,
          kind: win.kind,
          reason: win.reason,
          created_by: this.rng.pick(this.technicians).id,
          resolved_at: win.kind === "breakdown" && !win.open ? win.end : null,
          created_at: win.createdAt,
        });
      }
    }
  }

  private addWindow(machine: BenchMachine, span: Interval, kind: Window["kind"], reason: string, createdAt: Instant): void {
    if (machine.windows.some((win) => overlaps(win, span))) return;
    const open = span.end === Number.POSITIVE_INFINITY;
    machine.windows.push({ ...span, machine, kind, reason, createdAt, open });
  }

  /** The open periods of the first open day of the machine on or after `from` (within a week). */
  private randomOpenDay(machine: BenchMachine, from: Instant): Interval[] | null {
    let day = localDay(from, this.tz);
    for (let i = 0; i < 7; i++, day = localDay(day.end, this.tz)) {
      const open = openIntervals(day, this.calendar, machine.hours);
      if (open.length > 0) return open;
    }
    return null;
  }

  private previousOpenDay(machine: BenchMachine, before: Instant): LocalDay {
    let day = localDay(localDay(before, this.tz).start - 1, this.tz);
    while (openIntervals(day, this.calendar, machine.hours).length === 0) day = localDay(day.start - 1, this.tz);
    return day;
  }

  // -------------------------------------------------------------------------------------------
  // One day

  generateDay(day: LocalDay): void {
    if (day.start >= this.today.start && this.restrictions === null) this.deriveRestrictions();
    this.dayNumber = Math.round(Date.parse(day.key) / DAY_MS);
    this.weekNumber = Math.floor((this.dayNumber + 3) / 7);
    this.assistedToday = [];
    // Assisted machines first: their operator is fixed, the welders' is the IKM's choice.
    for (const machine of this.machines) if (machine.spec.operatorMode === "assisted") this.machineDay(machine, day);
    for (const machine of this.machines) if (machine.spec.operatorMode !== "assisted") this.machineDay(machine, day);
    this.otherRefusals(day);
  }

  private machineDay(machine: BenchMachine, day: LocalDay): void {
    const open = openIntervals(day, this.calendar, machine.hours);
    if (open.length === 0) return;
    const windows = machine.windows.filter((win) => win.start < day.end && win.end > day.start);
    const free = windows.length > 0 ? subtract(open, windows) : open;
    const future = day.start > NOW;
    const daysAhead = (day.start - this.today.start) / DAY_MS;
    const variation = 0.88 + this.rng.next() * 0.22;
    const utilization = future
      ? Math.min(1, machine.utilization * variation) * (1 - (0.55 * daysAhead) / 30)
      : Math.min(1, machine.utilization * variation);
    const candidates = this.layOut(machine, free, future ? FUTURE_DURATIONS : PAST_DURATIONS);
    const filled = totalMinutes(candidates);
    const keep = filled === 0 ? 0 : Math.min(1, (utilization * totalMinutes(free)) / filled);
    const held: Written[] = [];
    for (const slot of candidates) {
      const kept = this.rng.chance(keep) ? this.placeHeld(machine, slot) : null;
      if (kept) {
        held.push(kept);
        if (this.rng.chance(SHADOW_OF_KEPT)) this.shadow(machine, slot, kept.createdAt);
      } else if (this.rng.chance(SHADOW_OF_FREE)) {
        this.shadow(machine, slot, null);
      }
    }
    this.contested(machine, held);
    for (const win of windows) this.aroundWindow(machine, win, day, open);
  }

  /** The free periods filled back to back (plus the buffer) with lengths that fit. */
  private layOut(machine: BenchMachine, free: Interval[], durations: readonly [number, number][]): Slot[] {
    const slotMs = this.facility.slot_minutes * MINUTE_MS;
    const bufferMs = Math.ceil(machine.bufferMinutes / this.facility.slot_minutes) * slotMs;
    const out: Slot[] = [];
    for (const period of free) {
      let cursor = period.start;
      for (;;) {
        const room = (period.end - cursor) / MINUTE_MS;
        const choice = this.rng.weighted(durations, ([m, weight]) =>
          m <= room && m >= machine.minMinutes && m <= machine.maxMinutes ? weight : 0,
        );
        if (!choice) break;
        const end = cursor + choice[0] * MINUTE_MS;
        out.push({ start: cursor, end, period });
        cursor = end + bufferMs;
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Bookings that hold (or held) their slot

  private placeHeld(machine: BenchMachine, slot: Slot): Written | null {
    const { rng } = this;
    const future = slot.start >= NOW;
    const running = slot.start < NOW && slot.end > NOW;
    if (future && slot.start > NOW + this.facility.horizon_days * DAY_MS - HOUR_MS) return null;
    const assisted = this.operatorFor(machine, slot);
    if (assisted === null) return null;
    const ikm = this.chooseIkm(machine, slot, future);
    if (!ikm) return null;
    if (assisted) this.assistedToday.push(slot);
    const minutes = (slot.end - slot.start) / MINUTE_MS;
    const weekKey = this.quotaKey(this.weekNumber, machine.typeIndex, ikm.index);
    this.weekMinutes.set(weekKey, (this.weekMinutes.get(weekKey) ?? 0) + minutes);

    let status: string;
    let source = "web";
    let reason: string | null = null;
    let createdAt: Instant;
    let updatedAt: Instant;
    let bookedBy = ikm.memberId;
    if (future) {
      this.activeFuture[ikm.index]++;
      const restricted = (this.restrictions?.get(ikm.index) ?? 0) > NOW;
      status = machine.spec.requiresApproval || restricted ? "pending" : "confirmed";
      source = rng.chance(0.08) ? "api" : "web";
      const latest = Math.min(NOW - 10 * MINUTE_MS, slot.start - machine.noticeMinutes * MINUTE_MS);
      const earliest = Math.max(slot.start - (this.facility.horizon_days - 1) * DAY_MS, NOW - 20 * DAY_MS);
      createdAt = rng.minuteBetween(earliest, latest) ?? latest;
      updatedAt = createdAt;
    } else {
      const r = rng.next();
      // Logbook backfills are entered a day or two later, so none for today.
      const backfill = r >= 0.07 && r < 0.15 && slot.start < this.today.start;
      source = running ? "web" : r < 0.07 ? "walk_in" : backfill ? "backfill" : r < 0.22 ? "api" : "web";
      createdAt =
        source === "walk_in"
          ? slot.start - rng.int(0, 20) * MINUTE_MS
          : source === "backfill"
            ? Math.min(slot.end + rng.int(60, 48 * 60) * MINUTE_MS, NOW - MINUTE_MS)
            : slot.start - Math.max(machine.noticeMinutes + 30, rng.int(180, 14 * 24 * 60)) * MINUTE_MS;
      if (source === "walk_in" || source === "backfill") bookedBy = rng.pick(this.technicians).id;
      if (running) {
        status = "checked_in";
      } else if (source === "web" && slot.start < this.today.start && rng.chance(ikm.noShowRate) && this.mayNoShow(ikm, slot.start)) {
        status = "no_show";
        reason = "Tidak hadir sampai batas waktu";
        ikm.noShows.push(slot.start);
      } else {
        status = "completed";
      }
      updatedAt = createdAt;
    }
    const id = this.nextBookingId++;
    const booking = {
      id,
      machine_id: machine.id,
      ikm_id: ikm.id,
      booked_by: bookedBy,
      start_at: slot.start,
      end_at: slot.end,
      hold_end_at: slot.end + machine.bufferMinutes * MINUTE_MS,
      status,
      source,
      purpose: rng.pick(TYPE_WORK[machine.type].purposes),
      assisted: assisted ? 1 : 0,
      series_id: null,
      override_reason: null,
      status_reason: reason,
      cancelled_at: null,
      late_cancel: 0,
      created_at: createdAt,
      updated_at: updatedAt,
    };
    if (status === "no_show") booking.updated_at = slot.start + (this.facility.grace_minutes + rng.int(0, 45)) * MINUTE_MS;
    const usage = status === "completed" || status === "checked_in" ? this.usageRow(machine, ikm, id, slot, assisted, source, createdAt, status === "checked_in") : null;
    if (usage) booking.updated_at = Math.max(booking.updated_at, usage.updated_at as number);
    this.w.insert("bookings", booking);
    if (usage) this.w.insert("usage_records", usage);
    return { id, ikm, start: slot.start, end: slot.end, period: slot.period, createdAt, status };
  }

  /** The IKM for a slot, drawn by activity; those the rules would refuse are recorded and skipped. */
  private chooseIkm(machine: BenchMachine, slot: Slot, future: boolean): BenchIkm | null {
    const minutes = (slot.end - slot.start) / MINUTE_MS;
    for (let tries = 0; tries < 8; tries++) {
      const ikm = this.drawIkm(machine.typeIndex);
      if (!this.mayOperate(ikm, machine, slot.end)) continue;
      const used = this.weekMinutes.get(this.quotaKey(this.weekNumber, machine.typeIndex, ikm.index)) ?? 0;
      if (used + minutes > machine.weeklyQuotaMinutes) {
        this.refuseQuota(ikm, machine, slot, "QUOTA_HOURS", this.quotaKey(this.dayNumber, machine.typeIndex, ikm.index));
        continue;
      }
      if (future && this.activeFuture[ikm.index] + 1 > this.facility.max_active_bookings) {
        this.refuseQuota(ikm, machine, slot, "QUOTA_ACTIVE", this.quotaKey(this.weekNumber, 15, ikm.index));
        continue;
      }
      return ikm;
    }
    return null;
  }

  private quotaKey(period: number, typeIndex: number, ikmIndex: number): number {
    return (period * 16 + typeIndex) * 1024 + ikmIndex;
  }

  private refuseQuota(ikm: BenchIkm, machine: BenchMachine, slot: Slot, code: string, key: number): void {
    if (this.quotaRefused.has(key)) return;
    this.quotaRefused.add(key);
    const askedAt = Math.min(NOW - MINUTE_MS, slot.start - this.rng.int(3 * 60, 7 * 24 * 60) * MINUTE_MS);
    this.attempt(ikm, machine, slot, [code], askedAt);
  }

  /**
   * Whether the booking is assisted (the unit's operator runs the machine), or null when it must
   * be and every operator on duty is already assisting then.
   */
  private operatorFor(machine: BenchMachine, slot: Interval): boolean | null {
    const mode = machine.spec.operatorMode;
    const wanted = mode === "assisted" || (mode === "both" && this.rng.chance(0.3));
    if (!wanted) return false;
    let busy = 0;
    for (const a of this.assistedToday) if (overlaps(a, slot)) busy++;
    if (busy < this.facility.operators_on_duty) return true;
    return mode === "assisted" ? null : false;
  }

  /** A no-show that does not restrict the IKM (fewer than N−1 in the window), unless unreliable. */
  private mayNoShow(ikm: BenchIkm, at: Instant): boolean {
    if (ikm.unreliable) return true;
    const since = at - this.facility.noshow_window_days * DAY_MS;
    let recent = 0;
    for (let i = ikm.noShows.length - 1; i >= 0 && ikm.noShows[i] > since; i--) recent++;
    return recent < this.facility.noshow_count - 1;
  }

  private deriveRestrictions(): void {
    const policy = {
      count: this.facility.noshow_count,
      windowDays: this.facility.noshow_window_days,
      restrictDays: this.facility.restrict_days,
    };
    this.restrictions = new Map();
    for (const ikm of this.ikms) {
      const until = restrictionUntil(ikm.noShows, NOW, policy);
      if (until !== null) this.restrictions.set(ikm.index, until);
    }
  }

  /** Writes the restrictions in force at NOW on the IKM rows. */
  writeRestrictions(sqlite: NonNullable<ReturnType<typeof openDatabase>["sqlite"]>): number {
    if (this.restrictions === null) this.deriveRestrictions();
    const stmt = sqlite.prepare("UPDATE ikms SET restricted_until = ?, restriction_reason = ?, updated_at = ? WHERE id = ?");
    const reason = `Tidak hadir ${this.facility.noshow_count} kali dalam ${this.facility.noshow_window_days} hari`;
    for (const [index, until] of this.restrictions ?? []) {
      stmt.run(until, reason, until - this.facility.restrict_days * DAY_MS, this.ikms[index].id);
    }
    return this.restrictions?.size ?? 0;
  }

  // -------------------------------------------------------------------------------------------
  // Usage

  private usageRow(
    machine: BenchMachine,
    ikm: BenchIkm,
    bookingId: number,
    slot: Interval,
    assisted: boolean,
    source: string,
    createdAt: Instant,
    running: boolean,
  ): Record<string, string | number | null> {
    const { rng } = this;
    const actualStart = slot.start + rng.int(0, 10) * MINUTE_MS;
    const operatorName = assisted ? rng.pick(this.technicians).name : rng.chance(0.4) ? ikm.owner : rng.pick(WORKER_NAMES);
    const checkedInBy = rng.pick(this.technicians).id;
    const work = TYPE_WORK[machine.type];
    if (running) {
      return {
        booking_id: bookingId,
        actual_start: actualStart,
        actual_end: null,
        operator_name: operatorName,
        operator_kind: assisted ? "unit" : "ikm",
        output_quantity: null,
        output_unit: null,
        consumables: "",
        condition: null,
        notes: "",
        billable_minutes: null,
        hourly_rate: null,
        fee: null,
        checked_in_by: checkedInBy,
        confirmed_by: null,
        confirmed_at: null,
        created_at: actualStart,
        updated_at: actualStart,
      };
    }
    const actualEnd = slot.end - rng.int(0, 10) * MINUTE_MS;
    let hourlyRate = Number(this.facility.hourly_rate);
    for (const t of machine.tariffs) if (t.from <= slot.start) hourlyRate = t.rate;
    const fee = computeFee({
      actualStart,
      actualEnd,
      billingIncrementMinutes: machine.billingIncrementMinutes,
      hourlyRate,
      breaks: breakIntervals({ start: actualStart, end: actualEnd }, this.calendar),
    });
    const perHour = work.perHour[0] + rng.next() * (work.perHour[1] - work.perHour[0]);
    const quantity = (perHour * fee.actualMinutes) / 60;
    const backfill = source === "backfill";
    const confirmedAt = backfill ? createdAt : Math.min(NOW, actualEnd + rng.int(2, 25) * MINUTE_MS);
    return {
      booking_id: bookingId,
      actual_start: actualStart,
      actual_end: actualEnd,
      operator_name: operatorName,
      operator_kind: assisted ? "unit" : "ikm",
      output_quantity: work.unit === "kg" || work.unit === "m²" ? Math.round(quantity * 10) / 10 : Math.max(1, Math.round(quantity)),
      output_unit: work.unit,
      consumables: rng.pick(work.consumables),
      condition: "ok",
      notes: "",
      billable_minutes: fee.billableMinutes,
      hourly_rate: hourlyRate,
      fee: fee.fee,
      checked_in_by: checkedInBy,
      confirmed_by: rng.pick(this.technicians).id,
      confirmed_at: confirmedAt,
      created_at: backfill ? createdAt : actualStart,
      updated_at: confirmedAt,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Bookings that hold nothing: cancelled and rejected

  /**
   * A cancelled or rejected booking of the slot by some IKM. When another booking holds the slot
   * now (`rebookedAt`), this one was freed before that booking was made.
   */
  private shadow(machine: BenchMachine, slot: Slot, rebookedAt: Instant | null): void {
    const { rng } = this;
    const ikm = this.drawIkm(machine.typeIndex);
    if (!this.mayOperate(ikm, machine, slot.end)) return;
    const horizonStart = slot.start - (this.facility.horizon_days - 1) * DAY_MS;
    const latestFreed = Math.min(NOW - 10 * MINUTE_MS, rebookedAt === null ? slot.start - HOUR_MS : rebookedAt - 5 * MINUTE_MS);
    const createdAt = Math.max(horizonStart, slot.start - Math.max(machine.noticeMinutes + 60, rng.int(26 * 60, 14 * 24 * 60)) * MINUTE_MS);
    if (createdAt + 10 * MINUTE_MS > latestFreed) return;
    const rejected = machine.spec.requiresApproval ? rng.chance(0.35) : rng.chance(0.02);
    let status: string;
    let reason: string;
    let freedAt: Instant;
    let late = 0;
    if (rejected) {
      status = "rejected";
      reason = machine.spec.requiresApproval ? rng.pick(REJECT_REASONS) : rng.pick(OTHER_REJECT_REASONS);
      freedAt = Math.min(latestFreed, createdAt + rng.int(30, 20 * 60) * MINUTE_MS);
    } else {
      status = "cancelled";
      reason = rng.pick(CANCEL_REASONS);
      const lateFrom = Math.max(createdAt + 5 * MINUTE_MS, slot.start - 20 * HOUR_MS);
      if (rng.chance(0.3) && lateFrom < latestFreed) {
        freedAt = rng.minuteBetween(lateFrom, latestFreed) as Instant;
      } else {
        freedAt = rng.minuteBetween(createdAt + 5 * MINUTE_MS, Math.min(latestFreed, slot.start - DAY_MS)) ?? latestFreed;
      }
      late = slot.start - freedAt < DAY_MS ? 1 : 0;
    }
    this.w.insert("bookings", {
      id: this.nextBookingId++,
      machine_id: machine.id,
      ikm_id: ikm.id,
      booked_by: ikm.memberId,
      start_at: slot.start,
      end_at: slot.end,
      hold_end_at: slot.end + machine.bufferMinutes * MINUTE_MS,
      status,
      source: rng.chance(0.08) ? "api" : "web",
      purpose: rng.pick(TYPE_WORK[machine.type].purposes),
      assisted: machine.spec.operatorMode === "assisted" ? 1 : 0,
      series_id: null,
      override_reason: null,
      status_reason: reason,
      cancelled_at: status === "cancelled" ? freedAt : null,
      late_cancel: late,
      created_at: createdAt,
      updated_at: freedAt,
    });
  }

  /**
   * Around a maintenance window on one of its days: bookings made before a breakdown are
   * cancelled by staff when it happens, and IKMs who ask for time in a window are refused
   * (MAINTENANCE), on the window's first day.
   */
  private aroundWindow(machine: BenchMachine, win: Window, day: LocalDay, open: Interval[]): void {
    const { rng } = this;
    const inside = open
      .map((p) => ({ start: Math.max(p.start, win.start), end: Math.min(p.end, win.end) }))
      .filter((p) => p.end > p.start);
    if (inside.length === 0) return;
    if (win.kind === "breakdown") {
      for (const slot of this.layOut(machine, inside, PAST_DURATIONS)) {
        if (slot.start < win.start || !rng.chance(0.5)) continue;
        const createdAt = slot.start - rng.int(26 * 60, 10 * 24 * 60) * MINUTE_MS;
        if (createdAt >= win.start) continue;
        const ikm = this.drawIkm(machine.typeIndex);
        const cancelledAt = Math.min(win.start + rng.int(5, 60) * MINUTE_MS, slot.start);
        this.w.insert("bookings", {
          id: this.nextBookingId++,
          machine_id: machine.id,
          ikm_id: ikm.id,
          booked_by: ikm.memberId,
          start_at: slot.start,
          end_at: slot.end,
          hold_end_at: slot.end + machine.bufferMinutes * MINUTE_MS,
          status: "cancelled",
          source: "web",
          purpose: rng.pick(TYPE_WORK[machine.type].purposes),
          assisted: machine.spec.operatorMode === "assisted" ? 1 : 0,
          series_id: null,
          override_reason: null,
          status_reason: `Mesin rusak: ${win.reason}`,
          cancelled_at: cancelledAt,
          late_cancel: 0,
          created_at: createdAt,
          updated_at: cancelledAt,
        });
      }
    }
    if (win.start < day.start) return; // refusals on the first day only
    const refusals = rng.int(2, 6);
    for (let i = 0; i < refusals; i++) {
      const period = rng.pick(inside);
      const slots = Math.floor((period.end - period.start) / (30 * MINUTE_MS));
      const length = Math.min(slots, rng.int(2, 4));
      if (length < Math.ceil(machine.minMinutes / 30)) continue;
      const start = period.start + rng.int(0, slots - length) * 30 * MINUTE_MS;
      const request = { start, end: start + length * 30 * MINUTE_MS };
      const askedAt = rng.minuteBetween(win.createdAt, Math.min(start - 2 * HOUR_MS, NOW - MINUTE_MS));
      const ikm = this.drawIkm(machine.typeIndex);
      if (askedAt !== null && this.mayOperate(ikm, machine, request.end)) this.attempt(ikm, machine, request, ["MAINTENANCE"], askedAt);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Refused requests and the waitlist

  /**
   * Other IKMs asking for time a booking holds: the same slot or half an hour off (OVERLAP), or,
   * on a machine with a buffer, right after it (BUFFER). Some of them join the waitlist.
   */
  private contested(machine: BenchMachine, held: Written[]): void {
    const { rng } = this;
    const slotMs = 30 * MINUTE_MS;
    for (let i = 0; i < held.length; i++) {
      if (!rng.chance(CONTESTED)) continue;
      const taken = held[i];
      if (taken.status === "checked_in") continue;
      const length = taken.end - taken.start;
      let request: Interval;
      let codes: string[];
      if (machine.bufferMinutes > 0 && taken.end + length <= taken.period.end && rng.chance(0.4)) {
        // Right after it: too close (BUFFER), and overlapping the next booking if there is one.
        request = { start: taken.end, end: taken.end + length };
        const next = held[i + 1];
        codes = next && next.start < request.end ? ["OVERLAP", "BUFFER"] : ["BUFFER"];
      } else {
        const shifted = taken.start + rng.pick([-1, 0, 0, 0, 1]) * slotMs;
        const start = Math.min(Math.max(shifted, taken.period.start), taken.period.end - length);
        request = { start, end: start + length };
        codes = ["OVERLAP"];
      }
      const askedAt = rng.minuteBetween(taken.createdAt + MINUTE_MS, Math.min(request.start - 2 * HOUR_MS, NOW - MINUTE_MS));
      const ikm = this.drawIkm(machine.typeIndex);
      if (askedAt === null || ikm === taken.ikm || !this.mayOperate(ikm, machine, request.end)) continue;
      this.attempt(ikm, machine, request, codes, askedAt);
      if (codes[0] === "OVERLAP" && rng.chance(JOINS_WAITLIST)) this.waitlist(ikm, machine, request, askedAt);
    }
  }

  private waitlist(ikm: BenchIkm, machine: BenchMachine, request: Interval, askedAt: Instant): void {
    const { rng } = this;
    const latestEnd = request.end + rng.int(0, 2) * DAY_MS;
    const createdAt = askedAt + MINUTE_MS;
    let status = "waiting";
    let updatedAt = createdAt;
    if (latestEnd <= NOW) {
      status = rng.chance(0.75) ? "expired" : "withdrawn";
      updatedAt = status === "expired" ? latestEnd : (rng.minuteBetween(createdAt, latestEnd) ?? createdAt);
    }
    this.w.insert("waitlist_entries", {
      ikm_id: ikm.id,
      user_id: ikm.memberId,
      machine_id: rng.chance(0.7) ? machine.id : null,
      machine_type_id: machine.typeId,
      earliest_start: request.start,
      latest_end: latestEnd,
      duration_minutes: (request.end - request.start) / MINUTE_MS,
      assisted: machine.spec.operatorMode === "assisted" ? 1 : 0,
      purpose: rng.pick(TYPE_WORK[machine.type].purposes),
      status,
      offered_booking_id: null,
      offer_expires_at: null,
      created_at: createdAt,
      updated_at: updatedAt,
    });
  }

  /** Requests refused for other reasons on some days: across the break, too soon, not qualified. */
  private otherRefusals(day: LocalDay): void {
    const { rng } = this;
    if (day.start > NOW) return;
    const machine = rng.pick(this.machines);
    const open = openIntervals(day, this.calendar, machine.hours);
    if (open.length === 0) return;
    const ikm = this.drawIkm(machine.typeIndex);
    if (rng.chance(0.4) && open.length > 1) {
      const request = { start: open[0].end - HOUR_MS, end: open[0].end + HOUR_MS };
      this.attempt(ikm, machine, request, ["OUTSIDE_HOURS"], request.start - rng.int(26 * 60, 5 * 24 * 60) * MINUTE_MS);
    }
    if (rng.chance(0.3)) {
      const start = open[0].start + rng.int(1, 4) * 30 * MINUTE_MS;
      this.attempt(ikm, machine, { start, end: start + HOUR_MS }, ["TOO_SOON"], start - rng.int(20, 100) * MINUTE_MS);
    }
    const cnc = this.machines.filter((m) => m.spec.requiresQualification);
    if (rng.chance(0.25) && cnc.length > 0) {
      const target = rng.pick(cnc);
      const other = this.ikms[rng.int(0, this.ikms.length - 1)];
      const periods = openIntervals(day, this.calendar, target.hours);
      if (periods.length > 0 && !this.mayOperate(other, target, periods[0].end)) {
        const request = { start: periods[0].start, end: periods[0].start + 2 * HOUR_MS };
        this.attempt(other, target, request, ["NOT_QUALIFIED"], request.start - rng.int(26 * 60, 5 * 24 * 60) * MINUTE_MS);
      }
    }
  }

  private attempt(ikm: BenchIkm, machine: BenchMachine, request: Interval, codes: string[], askedAt: Instant): void {
    this.w.insert("booking_attempts", {
      ikm_id: ikm.id,
      user_id: ikm.memberId,
      machine_id: machine.id,
      machine_type_id: machine.typeId,
      start_at: request.start,
      end_at: request.end,
      codes: codes.join(","),
      created_at: Math.min(askedAt, NOW - MINUTE_MS),
    });
  }
}

function generatedQualifications(rng: Rng, sector: Sector): TypeCode[] {
  const lathe = { "suku cadang": 0.6, pengecoran: 0.4, knalpot: 0.12 }[sector as string] ?? 0.05;
  const mill = { "suku cadang": 0.35, pengecoran: 0.4 }[sector as string] ?? 0.03;
  const out: TypeCode[] = [];
  if (rng.chance(lathe)) out.push("CNC_LATHE");
  if (rng.chance(mill)) out.push("CNC_MILL");
  return out;
}

/** `n` different items, drawn without replacement. */
function pickDistinct<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main

const HOLDING = "('pending','confirmed','checked_in')";
const OCCUPYING = "('pending','confirmed','checked_in','completed','no_show')";

/** Pairs of bookings of one machine, both with a status in `statuses`, whose held spans overlap. */
function overlapQuery(statuses: string): string {
  return `SELECT count(*) AS n FROM bookings a JOIN bookings b
    ON b.machine_id = a.machine_id
   AND b.start_at >= a.start_at AND b.start_at < a.hold_end_at
   AND (b.start_at > a.start_at OR b.id > a.id)
   WHERE a.status IN ${statuses} AND b.status IN ${statuses}`;
}

async function main() {
  const out = path.resolve(flag("out", DEFAULT_LARGE_DB));
  const seed = numberFlag("seed", 42);
  const started = nowMs();
  // Built beside the target and moved over it at the end, so a reader of the old data set never
  // sees a half-written file.
  const building = `${out}.building`;
  removeDatabase(building);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const opened = openDatabase(building);
  const { db } = opened;
  const sqlite = sqliteHandle(opened);
  await migrateToLatest(db);
  await ensureFacility(db, NOW);
  const facility = await db.selectFrom("facility").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  // A fresh file that is regenerated on any failure: no fsync needed while filling it.
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");

  const writer = new Writer(sqlite);
  const closureRows = parseClosureCsv(readClosureCsv(), zonedInstant("2025-12-15", "08:00", facility.time_zone));
  const closures = new Set(closureRows.map((r) => r.date));
  const gen = new Generator(seed, facility, closures, passwordHash, writer);
  const tz = facility.time_zone;
  const historyStart = zonedInstant(HISTORY_FIRST_DAY, "00:00", tz);
  const lastDay = NOW + facility.horizon_days * DAY_MS;
  const days: LocalDay[] = [];
  for (let day = localDay(historyStart, tz); day.start <= lastDay; day = localDay(day.end, tz)) days.push(day);

  const progress = new Progress("Generating", days.length);
  sqlite.exec("BEGIN");
  for (const row of closureRows) writer.insert("closure_days", { date: row.date, kind: row.kind, name: row.name, created_at: row.created_at });
  gen.writeReference();
  gen.planMaintenance(historyStart);
  days.forEach((day, i) => {
    gen.generateDay(day);
    if (i % 90 === 89) {
      sqlite.exec("COMMIT");
      sqlite.exec("BEGIN");
    }
    progress.update(i + 1, writer.rows);
  });
  const restricted = gen.writeRestrictions(sqlite);
  sqlite.exec("COMMIT");
  progress.finish(writer.rows);
  const generatedMs = nowMs() - started;

  console.log("Verifying…");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const integrity = sqlite.pragma("integrity_check", { simple: true });
  const holdingOverlaps = (sqlite.prepare(overlapQuery(HOLDING)).get() as { n: number }).n;
  const occupyingOverlaps = (sqlite.prepare(overlapQuery(OCCUPYING)).get() as { n: number }).n;
  const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
  const byStatus = sqlite.prepare("SELECT status, count(*) AS n FROM bookings GROUP BY status ORDER BY n DESC").all() as { status: string; n: number }[];
  const waitlist = sqlite.prepare("SELECT status, count(*) AS n FROM waitlist_entries GROUP BY status ORDER BY n DESC").all() as { status: string; n: number }[];
  const maintenance = sqlite.prepare("SELECT kind, count(*) AS n, sum(end_at IS NULL) AS open FROM maintenance_windows GROUP BY kind").all() as { kind: string; n: number; open: number }[];
  const bookings = count("SELECT count(*) AS n FROM bookings");
  const future = count(`SELECT count(*) AS n FROM bookings WHERE start_at >= ${NOW}`);
  const lateCancels = count("SELECT count(*) AS n FROM bookings WHERE late_cancel = 1");
  const attempts = count("SELECT count(*) AS n FROM booking_attempts");
  const capacityAttempts = count(
    "SELECT count(*) AS n FROM booking_attempts WHERE codes LIKE '%OVERLAP%' OR codes LIKE '%BUFFER%' OR codes LIKE '%MAINTENANCE%' OR codes LIKE '%QUOTA_%'",
  );
  const fees = count("SELECT coalesce(sum(fee), 0) AS n FROM usage_records");
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  await opened.close();
  const failed = integrity !== "ok" || holdingOverlaps !== 0 || occupyingOverlaps !== 0;
  if (!failed) {
    removeDatabase(out);
    fs.renameSync(building, out);
    removeDatabase(building);
  }
  const sizeMb = fs.statSync(failed ? building : out).size / 1024 / 1024;
  const totalMs = nowMs() - started;

  const pct = (n: number) => `${((100 * n) / bookings).toFixed(1)} %`;
  console.log(`\nBenchmark data set ${path.relative(process.cwd(), out)} (seed ${seed}, now ${BENCH_NOW_ISO}), ${sizeMb.toFixed(0)} MB`);
  console.log(`  ${count0(writer, "machines")} machines of ${count0(writer, "machine_types")} types, ${count0(writer, "machine_tariffs")} tariffs`);
  console.log(`  ${count0(writer, "ikms")} IKMs, ${count0(writer, "users")} users, ${count0(writer, "qualifications")} qualifications, ${restricted} IKMs restricted now`);
  console.log(`  ${count0(writer, "closure_days")} closure days; maintenance windows: ${maintenance.map((m) => `${m.kind} ${m.n}${m.open ? ` (${m.open} open)` : ""}`).join(", ")}`);
  console.log(`  ${bookings.toLocaleString("en-US")} bookings (${future.toLocaleString("en-US")} from now on): ${byStatus.map((s) => `${s.status} ${s.n} (${pct(s.n)})`).join(", ")}; ${lateCancels} late cancellations`);
  console.log(`  ${count0(writer, "usage_records").toLocaleString("en-US")} usage records, fees Rp${fees.toLocaleString("id-ID")}`);
  console.log(`  ${attempts.toLocaleString("en-US")} refused requests (${((100 * attempts) / bookings).toFixed(1)} % of bookings; ${capacityAttempts} for capacity)`);
  console.log(`  ${count0(writer, "waitlist_entries")} waitlist entries: ${waitlist.map((s) => `${s.status} ${s.n}`).join(", ")}`);
  console.log(`  integrity_check: ${integrity}`);
  console.log(`  overlapping pairs: slot-holding ${holdingOverlaps}, slot-holding + completed + no-show ${occupyingOverlaps}`);
  console.log(`Generated ${writer.rows.toLocaleString("en-US")} rows in ${(generatedMs / 1000).toFixed(1)} s; ${(totalMs / 1000).toFixed(1)} s with verification.`);
  if (failed) {
    console.error(`The data set failed verification; left at ${building}.`);
    process.exit(1);
  }
}

function count0(w: Writer, table: string): number {
  return w.counts[table] ?? 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
