/**
 * Input of the technician's console (forms and the JSON API): check-in, check-out, no-show,
 * usage corrections, backfill and walk-in, maintenance windows and their resolution.
 *
 * Forms carry facility-local clock times ("08.30" or "08:30", as <input type="time"> sends
 * them) and dates; the API carries ISO 8601 instants with an offset (Instant).
 */
import { z } from "zod";
import { Id, Instant, LocalDate, ShortText } from "./common";

export const OUTPUT_UNITS = ["pcs", "kg", "m²", "set"] as const;
export type OutputUnit = (typeof OUTPUT_UNITS)[number];
export const OPERATOR_KINDS = ["ikm", "unit"] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

/** "8.30", "08.30" or "08:30" → "08:30". */
export const LocalTimeField = z
  .string({ error: "floor.validation.time" })
  .trim()
  .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, "floor.validation.time")
  .transform((s) => {
    const [h, m] = s.split(/[:.]/);
    return `${h.padStart(2, "0")}:${m}`;
  });

/** "YYYY-MM-DDTHH:mm" from <input type="datetime-local">, facility-local. */
export const LocalDateTimeField = z
  .string({ error: "floor.validation.dateTime" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "floor.validation.dateTime")
  .refine((s) => LocalDate.safeParse(s.slice(0, 10)).success && LocalTimeField.safeParse(s.slice(11)).success, "floor.validation.dateTime");

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A form's decimal ("12,5" or "12.5"), blank = none. */
const FormQuantity = z.preprocess(
  (v) => {
    const s = blankToUndefined(v);
    return typeof s === "string" ? Number(s.trim().replace(",", ".")) : s;
  },
  z.number({ error: "floor.validation.quantity" }).finite("floor.validation.quantity").min(0, "floor.validation.quantity").max(1_000_000, "floor.validation.quantity").optional(),
);

const OutputUnit = z.enum(OUTPUT_UNITS, { error: "floor.validation.unit" });
const OperatorKindField = z.enum(OPERATOR_KINDS, { error: "floor.validation.operatorKind" });
const Condition = z.enum(["ok", "fault"], { error: "floor.validation.condition" });

// ---------------------------------------------------------------------------------------------
// Forms

export const CheckInForm = z.object({
  at: z.preprocess(blankToUndefined, LocalTimeField.optional()),
  operatorKind: z.preprocess(blankToUndefined, OperatorKindField.optional()),
  operatorName: ShortText(120).optional(),
});

/** The usage details a check-out, a backfill and a correction share. */
const UsageFields = {
  outputQuantity: FormQuantity,
  outputUnit: z.preprocess(blankToUndefined, OutputUnit.optional()),
  consumables: ShortText(500).default(""),
  condition: z.preprocess(blankToUndefined, Condition.default("ok")),
  notes: ShortText(1000).default(""),
};

function quantityNeedsUnit(v: { outputQuantity?: number; outputUnit?: string }, ctx: z.RefinementCtx) {
  if (v.outputQuantity !== undefined && v.outputUnit === undefined) {
    ctx.addIssue({ code: "custom", path: ["outputUnit"], message: "floor.validation.unitRequired" });
  }
}

function faultNeedsNotes(v: { condition?: string; notes?: string }, ctx: z.RefinementCtx) {
  if (v.condition === "fault" && !v.notes?.trim()) {
    ctx.addIssue({ code: "custom", path: ["notes"], message: "floor.validation.faultNotes" });
  }
}

/** An IKM worker operating the machine must be named; the unit's operator defaults to "Operator UPTD". */
function ikmOperatorNamed(v: { operatorKind?: string; operatorName?: string }, ctx: z.RefinementCtx) {
  if (v.operatorKind === "ikm" && !v.operatorName?.trim()) {
    ctx.addIssue({ code: "custom", path: ["operatorName"], message: "floor.validation.operatorName" });
  }
}

export const CheckOutForm = z
  .object({
    end: LocalTimeField,
    ...UsageFields,
    /** The fee the screen showed; saving refuses (and shows the new fee) when it differs. */
    shownFee: z.preprocess(blankToUndefined, z.coerce.number().int().optional()),
  })
  .superRefine(quantityNeedsUnit)
  .superRefine(faultNeedsNotes);

export const CorrectionForm = z
  .object({
    start: LocalTimeField,
    end: z.preprocess(blankToUndefined, LocalTimeField.optional()),
    operatorKind: OperatorKindField,
    operatorName: ShortText(120).min(1, "floor.validation.operatorName"),
    ...UsageFields,
    reason: ShortText(500).min(1, "floor.validation.reasonRequired"),
  })
  .superRefine(quantityNeedsUnit);

export const BackfillForm = z
  .object({
    machineId: Id,
    ikmId: Id,
    date: LocalDate,
    start: LocalTimeField,
    end: LocalTimeField,
    purpose: ShortText(500).default(""),
    assisted: z.preprocess((v) => v === "1" || v === "on" || v === true, z.boolean()),
    operatorKind: OperatorKindField,
    operatorName: ShortText(120).default(""),
    ...UsageFields,
    overrideReason: ShortText(500).optional(),
  })
  .superRefine(quantityNeedsUnit)
  .superRefine(ikmOperatorNamed);

export const WalkInForm = z
  .object({
    machineId: Id,
    ikmId: Id,
    minutes: z.coerce.number({ error: "floor.validation.duration" }).int("floor.validation.duration").min(1, "floor.validation.duration").max(24 * 60, "floor.validation.duration"),
    purpose: ShortText(500).default(""),
    assisted: z.preprocess((v) => v === "1" || v === "on" || v === true, z.boolean()),
    operatorKind: OperatorKindField,
    operatorName: ShortText(120).default(""),
    overrideReason: ShortText(500).optional(),
  })
  .superRefine(ikmOperatorNamed);

export const RejectForm = z.object({
  bookingId: Id,
  reason: ShortText(500).min(1, "booking.error.reasonRequired"),
});

export const MaintenancePlanForm = z
  .object({
    machineId: Id,
    kind: z.enum(["planned", "breakdown"], { error: "floor.validation.kind" }),
    start: LocalDateTimeField,
    end: z.preprocess(blankToUndefined, LocalDateTimeField.optional()),
    reason: ShortText(500).min(1, "floor.validation.reasonRequired"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "planned" && !v.end) ctx.addIssue({ code: "custom", path: ["end"], message: "floor.validation.endRequired" });
  });

// ---------------------------------------------------------------------------------------------
// JSON API

export const CheckInApi = z
  .strictObject({
    at: Instant.optional(),
    operatorName: ShortText(120).optional(),
    operatorKind: OperatorKindField.optional(),
  })
  .meta({ id: "CheckIn" });

export const CheckOutApi = z
  .strictObject({
    at: Instant.optional(),
    outputQuantity: z.number({ error: "validation.number" }).finite("validation.number").min(0, "floor.validation.quantity").max(1_000_000, "floor.validation.quantity").nullable().optional(),
    outputUnit: OutputUnit.nullable().optional(),
    consumables: ShortText(500).optional(),
    condition: Condition.optional(),
    notes: ShortText(1000).optional(),
    fault: z.boolean({ error: "validation.boolean" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outputQuantity != null && v.outputUnit == null) {
      ctx.addIssue({ code: "custom", path: ["outputUnit"], message: "floor.validation.unitRequired" });
    }
    if ((v.fault || v.condition === "fault") && !v.notes?.trim()) {
      ctx.addIssue({ code: "custom", path: ["notes"], message: "floor.validation.faultNotes" });
    }
  })
  .meta({ id: "CheckOut" });

export const NoShowApi = z.strictObject({ reason: ShortText(500).optional() }).meta({ id: "NoShow" });

export const MaintenanceCreateApi = z
  .strictObject({
    start: Instant,
    end: Instant.nullable().optional(),
    reason: ShortText(500).min(1, "floor.validation.reasonRequired"),
    kind: z.enum(["planned", "breakdown"], { error: "floor.validation.kind" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "planned" && v.end == null) ctx.addIssue({ code: "custom", path: ["end"], message: "floor.validation.endRequired" });
    if (v.end != null && v.end <= v.start) ctx.addIssue({ code: "custom", path: ["end"], message: "validation.rangeOrder" });
  })
  .meta({ id: "MaintenanceCreate" });

export const MaintenanceDecisionApi = z
  .strictObject({
    bookingId: Id,
    action: z.enum(["move", "cancel", "keep"], { error: "floor.validation.action" }),
    machineId: Id.optional(),
    start: Instant.optional(),
    end: Instant.optional(),
  })
  .superRefine((v, ctx) => {
    const some = v.machineId !== undefined || v.start !== undefined || v.end !== undefined;
    const all = v.machineId !== undefined && v.start !== undefined && v.end !== undefined;
    if (v.action === "move" && some && !all) ctx.addIssue({ code: "custom", path: ["start"], message: "floor.validation.moveTarget" });
    if (v.action !== "move" && some) ctx.addIssue({ code: "custom", path: ["action"], message: "floor.validation.moveTarget" });
  });

export const MaintenanceResolveApi = z
  .strictObject({ decisions: z.array(MaintenanceDecisionApi).max(500).optional() })
  .meta({ id: "MaintenanceResolve" });

export const MaintenanceEndApi = z.strictObject({}).meta({ id: "MaintenanceEnd" });
