/**
 * The IKM booking pages' form inputs (booking form, live check, move, series cancel). Dates and
 * times are facility-local strings ("2026-12-08", "08:00") as the form's selects post them.
 * Messages are i18n keys that name the field.
 */
import { z } from "zod";
import { ShortText } from "./common";

const TIME_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A date field: an empty one says only that the date is missing; a wrong one that it is wrong. */
export const FormDate = (key: string, emptyKey = "ikm.form.error.dateEmpty") =>
  z
    .string({ error: emptyKey })
    .min(1, emptyKey)
    .regex(DATE_RE, key)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, key);

export const FormTime = (key: string) => z.string({ error: key }).regex(TIME_RE, key);

const FormId = (key: string) => z.coerce.number({ error: key }).int(key).positive(key).max(2_147_483_647, key);

/** A checkbox posts "1" (or "on") when ticked and nothing when not. */
const Checkbox = z.preprocess((v) => v === "1" || v === "on" || v === "true", z.boolean());

export const BookingFormSchema = z
  .object({
    machineId: FormId("ikm.form.error.machine"),
    date: FormDate("ikm.form.error.date"),
    start: FormTime("ikm.form.error.start"),
    end: FormTime("ikm.form.error.end"),
    purpose: z.preprocess((v) => v ?? "", ShortText(500)),
    assisted: Checkbox,
    weeks: z.preprocess(
      (v) => blankToUndefined(v) ?? "1",
      z.coerce.number({ error: "ikm.form.error.weeks" }).int("ikm.form.error.weeks").min(1, "ikm.form.error.weeks").max(12, "ikm.form.error.weeks"),
    ),
    ikmId: z.preprocess(blankToUndefined, FormId("ikm.form.error.ikm").optional()),
    overrideReason: z.preprocess(blankToUndefined, ShortText(500).optional()),
  })
  .refine((f) => !TIME_RE.test(f.start) || !TIME_RE.test(f.end) || f.end > f.start, { message: "ikm.form.error.endBeforeStart", path: ["end"] });
export type BookingForm = z.infer<typeof BookingFormSchema>;

/** Moving a booking: a new date and times, optionally another machine of the same type. */
export const MoveFormSchema = z
  .object({
    machineId: z.preprocess(blankToUndefined, FormId("ikm.form.error.machine").optional()),
    date: FormDate("ikm.form.error.date"),
    start: FormTime("ikm.form.error.start"),
    end: FormTime("ikm.form.error.end"),
  })
  .refine((f) => !TIME_RE.test(f.start) || !TIME_RE.test(f.end) || f.end > f.start, { message: "ikm.form.error.endBeforeStart", path: ["end"] });

/** Cancelling one booking: confirmed on the confirmation step (or by the undo button), with an optional reason. */
export const CancelFormSchema = z.object({
  confirm: z.preprocess((v) => v === "1", z.boolean()),
  undo: z.preprocess((v) => v === "1", z.boolean()),
  reason: z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v.slice(0, 500) : undefined), z.string().optional()),
});

export const SeriesCancelSchema = z.object({ from: FormDate("ikm.form.error.date") });

/** The board's "free between" filter and date choice (all optional; bad values are ignored by the page). */
export const BoardQuerySchema = z.object({
  date: FormDate("ikm.form.error.date").optional(),
  view: z.enum(["day", "week"]).optional(),
  from: FormTime("ikm.form.error.start").optional(),
  to: FormTime("ikm.form.error.end").optional(),
});

/** The values that decide a request (not the purpose): a confirmation applies to exactly these. */
export interface DecisionFields {
  machineId: number | string;
  date: string;
  start: string;
  end: string;
  assisted?: boolean;
  weeks?: number | string;
  ikmId?: number | string | null;
  overrideReason?: string | null;
}

/**
 * A fingerprint of what was checked. The final "book" post carries the fingerprint of the
 * values the user saw confirmed; when the posted values differ (changed without JavaScript),
 * the page shows the confirmation again instead of booking. Not a secret.
 */
export function decisionSignature(f: DecisionFields): string {
  return [f.machineId, f.date, f.start, f.end, f.assisted ? 1 : 0, f.weeks ?? 1, f.ikmId ?? "", (f.overrideReason ?? "").trim()].join("|");
}

/** The booking form prefilled with a machine and a time (links from the board and machine page). */
export function pesanHref(machineId: number, date: string, start: string, end: string): string {
  return `/pesan?${new URLSearchParams({ machineId: String(machineId), date, start, end })}`;
}
