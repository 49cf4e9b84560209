/**
 * Administration inputs, shared by the admin forms and the JSON API. The schemas describe the
 * API's shape (camelCase, numbers, booleans, null = "use the facility default"); the form
 * helpers at the bottom turn a form post into that shape first, so both are judged by the same
 * rules. Messages are i18n keys (app/i18n/messages/admin.ts).
 */
import { z } from "zod";
import { Id, LocalDate, ShortText } from "./common";

// ---------------------------------------------------------------------------------------------
// Building blocks

const Text = (max: number, requiredKey: string) => ShortText(max).min(1, requiredKey);

/** The id of a record chosen in a select ("" = nothing chosen). */
const Ref = (key: string) => z.coerce.number({ error: key }).int(key).positive(key).max(2_147_483_647, key);

/** A whole number in [min, max]; `key` names the field's rule in words ("5–240 menit"). */
const Int = (min: number, max: number, key: string) =>
  z.number({ error: key }).int(key).min(min, key).max(max, key);

/** "07:30"; "24:00" is allowed as an end of day. */
export const LocalTimeSchema = z
  .string({ error: "admin.hours.v.time" })
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "admin.hours.v.time");

const Period = z
  .strictObject({ start: LocalTimeSchema, end: LocalTimeSchema })
  .refine((p) => p.start < p.end, { message: "admin.hours.v.order", path: ["end"] });

/** Up to three open periods of one weekday, in time order, not overlapping (the gaps are breaks). */
const DayPeriods = z
  .array(Period, { error: "admin.hours.v.day" })
  .max(3, "admin.hours.v.tooMany")
  .transform((ps) => [...ps].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)))
  .superRefine((ps, ctx) => {
    for (let i = 1; i < ps.length; i++) {
      if (ps[i].start < ps[i - 1].end) ctx.addIssue({ code: "custom", message: "admin.hours.v.overlap", path: [i, "start"] });
    }
  });

export const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;

export const WeeklyHoursSchema = z.strictObject(
  { 1: DayPeriods, 2: DayPeriods, 3: DayPeriods, 4: DayPeriods, 5: DayPeriods, 6: DayPeriods, 7: DayPeriods },
  { error: "admin.hours.v.week" },
);
export type WeeklyHoursInput = z.infer<typeof WeeklyHoursSchema>;

/** Minutes that divide a day evenly, so every day has the same slot grid. */
const SlotMinutes = Int(5, 240, "admin.rule.v.slot").refine((n) => 1440 % n === 0, "admin.rule.v.slot");

/** Every rule setting: the machine may leave any of them null (= the facility default). */
export const RULE_FIELDS = {
  slotMinutes: SlotMinutes,
  minMinutes: Int(5, 1440, "admin.rule.v.min"),
  maxMinutes: Int(5, 2880, "admin.rule.v.max"),
  bufferMinutes: Int(0, 480, "admin.rule.v.buffer"),
  noticeMinutes: Int(0, 10080, "admin.rule.v.notice"),
  horizonDays: Int(1, 365, "admin.rule.v.horizon"),
  weeklyQuotaMinutes: Int(30, 10080, "admin.rule.v.quota"),
  maxActiveBookings: Int(1, 500, "admin.rule.v.maxActive"),
  billingIncrementMinutes: Int(1, 240, "admin.rule.v.increment"),
} as const;
export type RuleField = keyof typeof RULE_FIELDS;
export const RULE_FIELD_NAMES = Object.keys(RULE_FIELDS) as RuleField[];

export const HourlyRate = Int(0, 100_000_000, "admin.tariff.v.rate");

export const MACHINE_STATUSES = ["active", "maintenance", "retired"] as const;
export const OPERATOR_MODES = ["self", "assisted", "both"] as const;
export const ALLOCATION_MODES = ["first_come", "weekly_round"] as const;

export const MachineCode = z
  .string({ error: "admin.machine.v.code" })
  .trim()
  .toUpperCase()
  .min(1, "admin.machine.v.codeRequired")
  .max(20, "admin.machine.v.code")
  .regex(/^[A-Z0-9][A-Z0-9_-]*$/, "admin.machine.v.code");

// ---------------------------------------------------------------------------------------------
// Machines

const machineFields = {
  code: MachineCode,
  name: Text(100, "admin.machine.v.nameRequired"),
  typeId: Ref("admin.machine.v.type"),
  status: z.enum(MACHINE_STATUSES, { error: "admin.machine.v.status" }),
  description: ShortText(1000),
  location: ShortText(200),
  slotMinutes: RULE_FIELDS.slotMinutes.nullable(),
  minMinutes: RULE_FIELDS.minMinutes.nullable(),
  maxMinutes: RULE_FIELDS.maxMinutes.nullable(),
  bufferMinutes: RULE_FIELDS.bufferMinutes.nullable(),
  noticeMinutes: RULE_FIELDS.noticeMinutes.nullable(),
  horizonDays: RULE_FIELDS.horizonDays.nullable(),
  weeklyQuotaMinutes: RULE_FIELDS.weeklyQuotaMinutes.nullable(),
  maxActiveBookings: RULE_FIELDS.maxActiveBookings.nullable(),
  billingIncrementMinutes: RULE_FIELDS.billingIncrementMinutes.nullable(),
  requiresApproval: z.boolean({ error: "validation.boolean" }),
  requiresQualification: z.boolean({ error: "validation.boolean" }),
  operatorMode: z.enum(OPERATOR_MODES, { error: "admin.machine.v.operatorMode" }),
  allocationMode: z.enum(ALLOCATION_MODES, { error: "admin.machine.v.allocationMode" }),
  /** Per-machine narrowing of the facility's opening hours, or null for the facility's. */
  hours: WeeklyHoursSchema.nullable(),
  /** A tariff to add with this change (on create: the first tariff). */
  hourlyRate: HourlyRate,
  /** The local date from which that tariff is in force (default: today). */
  tariffFrom: LocalDate,
};

/** POST /api/v1/machines and the new-machine form: code, name and type are required. */
export const MachineCreateSchema = z
  .strictObject(machineFields)
  .partial()
  .required({ code: true, name: true, typeId: true })
  .meta({ id: "MachineCreate" });
export type MachineCreate = z.infer<typeof MachineCreateSchema>;

/** PATCH /api/v1/machines/:id and the edit form: any subset; null clears a rule to the default. */
export const MachinePatchSchema = z
  .strictObject(machineFields)
  .partial()
  .extend({
    /** Save even though future bookings would no longer fit (they stay, flagged). */
    confirmAffected: z.boolean({ error: "validation.boolean" }).optional(),
  })
  .meta({ id: "MachinePatch" });
export type MachinePatch = z.infer<typeof MachinePatchSchema>;

export const MachineTypeSchema = z
  .strictObject({
    code: z
      .string({ error: "admin.type.v.code" })
      .trim()
      .toUpperCase()
      .min(1, "admin.type.v.code")
      .max(20, "admin.type.v.code")
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, "admin.type.v.code"),
    name: Text(100, "admin.type.v.name"),
    description: ShortText(500).optional(),
  });

export const TariffSchema = z.strictObject({ hourlyRate: HourlyRate, effectiveFrom: LocalDate });

// ---------------------------------------------------------------------------------------------
// Facility

export const TIME_ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] as const;

export const FacilitySchema = z
  .strictObject({
    name: Text(120, "admin.facility.v.name"),
    timeZone: z.enum(TIME_ZONES, { error: "admin.facility.v.timeZone" }),
    hours: WeeklyHoursSchema,
    operatorsOnDuty: Int(0, 100, "admin.facility.v.operators"),
    ...RULE_FIELDS,
    hourlyRate: HourlyRate,
    graceMinutes: Int(0, 240, "admin.facility.v.grace"),
    noshowCount: Int(1, 50, "admin.facility.v.noshowCount"),
    noshowWindowDays: Int(1, 365, "admin.facility.v.noshowWindow"),
    restrictDays: Int(1, 365, "admin.facility.v.restrictDays"),
    waitlistOfferMinutes: Int(5, 2880, "admin.facility.v.offer"),
    allocationCutoffWeekday: Int(1, 7, "admin.facility.v.cutoffWeekday"),
    allocationCutoffTime: z
      .string({ error: "admin.hours.v.time" })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "admin.hours.v.time"),
    /** The unit's WhatsApp/telephone number for members; null clears it; absent keeps it. */
    contactPhone: z.lazy(() => Phone.nullable()).optional(),
  });
export type FacilityInput = z.infer<typeof FacilitySchema>;

// ---------------------------------------------------------------------------------------------
// Closure days

export const CLOSURE_KINDS = ["holiday", "collective_leave", "facility"] as const;
export const ClosureSchema = z.strictObject({
  date: LocalDate,
  kind: z.enum(CLOSURE_KINDS, { error: "admin.closure.v.kind" }),
  name: Text(120, "admin.closure.v.name"),
});
export type ClosureInput = z.infer<typeof ClosureSchema>;

// ---------------------------------------------------------------------------------------------
// IKMs and users

/** Indonesian mobile/landline numbers to +62…: "0812-3456-789" and "62812…" become "+62812…". */
export function normalizePhone(raw: string): string {
  const compact = raw.trim().replace(/[\s\-().]/g, "");
  if (compact.startsWith("+")) return compact;
  if (compact.startsWith("0")) return `+62${compact.slice(1)}`;
  if (compact.startsWith("62")) return `+${compact}`;
  return compact;
}

export const Phone = z
  .string({ error: "admin.v.phone" })
  .transform(normalizePhone)
  .pipe(z.string().regex(/^\+62[1-9]\d{6,12}$/, "admin.v.phone"));

export const IkmSchema = z
  .strictObject({
    name: Text(120, "admin.ikm.v.name"),
    ownerName: Text(120, "admin.ikm.v.owner"),
    nib: z
      .string({ error: "admin.ikm.v.nib" })
      .transform((s) => s.replace(/[\s.-]/g, ""))
      .pipe(z.string().regex(/^\d{13}$/, "admin.ikm.v.nib")),
    phone: Phone,
    address: ShortText(300).optional(),
    sector: ShortText(120).optional(),
  });
export type IkmInput = z.infer<typeof IkmSchema>;

export const ROLES = ["ikm", "technician", "manager", "admin"] as const;

const Email = z
  .string({ error: "admin.v.email" })
  .trim()
  .toLowerCase()
  .max(254, "admin.v.email")
  .pipe(z.email({ error: "admin.v.email" }));

export const UserSchema = z
  .strictObject({
    name: Text(120, "admin.user.v.name"),
    email: Email.nullable(),
    phone: Phone.nullable(),
    role: z.enum(ROLES, { error: "admin.user.v.role" }),
    ikmId: Ref("admin.user.v.ikmRequired").nullable(),
    language: z.enum(["id", "en"], { error: "admin.user.v.language" }),
  })
  .superRefine((u, ctx) => {
    if (!u.email && !u.phone) ctx.addIssue({ code: "custom", message: "admin.user.v.loginRequired", path: ["email"] });
    if (u.role === "ikm" && u.ikmId === null) ctx.addIssue({ code: "custom", message: "admin.user.v.ikmRequired", path: ["ikmId"] });
  })
  .transform((u) => ({ ...u, ikmId: u.role === "ikm" ? u.ikmId : null }));
export type UserInput = z.infer<typeof UserSchema>;

export const PASSWORD_MIN = 10;

export const SetupSchema = z
  .strictObject({
    name: Text(120, "admin.user.v.name"),
    email: Email,
    password: z.string({ error: "admin.setup.v.password" }).min(PASSWORD_MIN, "admin.setup.v.password").max(200, "validation.tooLong"),
    passwordConfirm: z.string({ error: "admin.setup.v.confirm" }),
  })
  .refine((s) => s.password === s.passwordConfirm, { message: "admin.setup.v.confirm", path: ["passwordConfirm"] });

// ---------------------------------------------------------------------------------------------
// Qualifications, restrictions, audit

export const QualificationSchema = z.strictObject({
  userId: Ref("admin.qual.v.user"),
  machineTypeId: Ref("admin.qual.v.type"),
  /** The last local date on which it is valid. */
  validUntil: LocalDate,
  notes: ShortText(500).optional(),
});

export const LiftRestrictionSchema = z.strictObject({ reason: Text(500, "admin.ikm.v.liftReason") });

export const AuditQuerySchema = z.strictObject({
  entity: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(40).optional(),
  actor: Id.optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

// ---------------------------------------------------------------------------------------------
// Form posts → the API shape (client-safe: pure functions of the posted values)

type FormObject = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** "" → null; otherwise a number (NaN for text, which the schema reports). */
function num(v: unknown): number | null {
  const s = str(v).trim().replace(",", ".");
  return s === "" ? null : Number(s);
}

/** Rupiah as people type it: "150000", "150.000", "Rp 150.000" → 150000; anything else NaN. */
export function rupiahFromForm(v: unknown): number | null {
  const s = str(v).trim().replace(/^rp\.?\s*/i, "").replace(/[.\s]/g, "");
  if (s === "") return null;
  return /^\d+$/.test(s) ? Number(s) : Number.NaN;
}

function checked(v: unknown): boolean {
  return v === "on" || v === "1" || v === "true";
}

/** The weekly hours editor: hours.<day>.<i>.start/end (blank rows ignored), hours.<day>.closed. */
export function hoursFromForm(form: FormObject): Record<string, Array<{ start: string; end: string }>> {
  const out: Record<string, Array<{ start: string; end: string }>> = {};
  for (const day of WEEKDAYS) {
    const periods: Array<{ start: string; end: string }> = [];
    if (!checked(form[`hours.${day}.closed`])) {
      for (let i = 0; i < 3; i++) {
        const start = str(form[`hours.${day}.${i}.start`]).trim();
        const end = str(form[`hours.${day}.${i}.end`]).trim();
        if (start || end) periods.push({ start, end });
      }
    }
    out[day] = periods;
  }
  return out;
}

/** Minutes of "16" or "16,5" hours (the forms show the weekly quota in hours). */
function hoursToMinutes(v: unknown): number | null {
  const h = num(v);
  return h === null ? null : Math.round(h * 60);
}

/** The machine form → MachineCreate/MachinePatch input. */
export function machineFromForm(form: FormObject) {
  const out: Record<string, unknown> = {
    code: str(form.code),
    name: str(form.name),
    typeId: str(form.typeId),
    status: str(form.status) || "active",
    description: str(form.description),
    location: str(form.location),
    requiresApproval: checked(form.requiresApproval),
    requiresQualification: checked(form.requiresQualification),
    operatorMode: str(form.operatorMode),
    allocationMode: str(form.allocationMode),
    hours: checked(form.customHours) ? hoursFromForm(form) : null,
  };
  for (const f of RULE_FIELD_NAMES) out[f] = f === "weeklyQuotaMinutes" ? hoursToMinutes(form.weeklyQuotaHours) : num(form[f]);
  const rate = rupiahFromForm(form.hourlyRate);
  if (rate !== null) out.hourlyRate = rate;
  if (str(form.tariffFrom).trim()) out.tariffFrom = str(form.tariffFrom).trim();
  return out;
}

export function facilityFromForm(form: FormObject) {
  const out: Record<string, unknown> = {
    name: str(form.name),
    timeZone: str(form.timeZone),
    hours: hoursFromForm(form),
    allocationCutoffTime: str(form.allocationCutoffTime),
    // Absent (an older form): keep the number; empty: clear it.
    ...(form.contactPhone === undefined ? {} : { contactPhone: str(form.contactPhone).trim() || null }),
  };
  for (const f of [
    "operatorsOnDuty",
    ...RULE_FIELD_NAMES,
    "hourlyRate",
    "graceMinutes",
    "noshowCount",
    "noshowWindowDays",
    "restrictDays",
    "waitlistOfferMinutes",
    "allocationCutoffWeekday",
  ]) {
    out[f] = f === "weeklyQuotaMinutes" ? hoursToMinutes(form.weeklyQuotaHours) : f === "hourlyRate" ? rupiahFromForm(form[f]) : num(form[f]);
  }
  return out;
}

export function tariffFromForm(form: FormObject) {
  return { hourlyRate: rupiahFromForm(form.hourlyRate), effectiveFrom: str(form.effectiveFrom) };
}

export function ikmFromForm(form: FormObject) {
  return {
    name: str(form.name),
    ownerName: str(form.ownerName),
    nib: str(form.nib),
    phone: str(form.phone),
    address: str(form.address),
    sector: str(form.sector),
  };
}

export function userFromForm(form: FormObject) {
  const email = str(form.email).trim();
  const phone = str(form.phone).trim();
  const ikm = str(form.ikmId).trim();
  return {
    name: str(form.name),
    email: email || null,
    phone: phone || null,
    role: str(form.role),
    ikmId: ikm ? ikm : null,
    language: str(form.language) || "id",
  };
}

/** Field errors of the forms that show the weekly quota in hours. */
export function formFieldName(path: string): string {
  return path === "weeklyQuotaMinutes" ? "weeklyQuotaHours" : path;
}
