/**
 * Allocation rounds: the request form (facility-local date and grid times, as its selects post
 * them), withdraw, booking an offered alternative, running the allocation, and the JSON API
 * bodies. Messages are i18n keys naming the field.
 */
import { z } from "zod";
import { Id, Instant, ShortText } from "./common";

const TIME_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SEED_RE = /^[A-Za-z0-9_.-]{1,64}$/;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const FormId = (key: string) => z.coerce.number({ error: key }).int(key).positive(key).max(2_147_483_647, key);
const FormDate = (key: string) =>
  z
    .string({ error: key })
    .regex(DATE_RE, key)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, key);
const FormTime = (key: string) => z.string({ error: key }).regex(TIME_RE, key);
/** A checkbox posts "1" (or "on") when ticked and nothing when not. */
const Checkbox = z.preprocess((v) => v === "1" || v === "on" || v === "true", z.boolean());
const Purpose = z.preprocess((v) => v ?? "", ShortText(500));
const Seed = z.string({ error: "round.error.seed" }).trim().regex(SEED_RE, "round.error.seed");

/** The page's request form. */
export const RoundRequestFormSchema = z
  .object({
    roundId: FormId("round.form.error.round"),
    date: FormDate("round.form.error.date"),
    start: FormTime("round.form.error.start"),
    end: FormTime("round.form.error.end"),
    purpose: Purpose,
    assisted: Checkbox,
    ikmId: z.preprocess(blankToUndefined, FormId("round.form.error.ikm").optional()),
  })
  .refine((f) => !TIME_RE.test(f.start) || !TIME_RE.test(f.end) || f.end > f.start, { message: "round.form.error.endBeforeStart", path: ["end"] });
export type RoundRequestForm = z.infer<typeof RoundRequestFormSchema>;

export const WithdrawFormSchema = z.object({ requestId: FormId("round.form.error.request") });

/** One tap on an alternative offered with a refused request: book it now (first come, first served). */
export const BookAlternativeFormSchema = z
  .object({
    machineId: FormId("round.form.error.machine"),
    start: z.coerce.number({ error: "round.form.error.start" }).int("round.form.error.start").positive("round.form.error.start"),
    end: z.coerce.number({ error: "round.form.error.end" }).int("round.form.error.end").positive("round.form.error.end"),
    purpose: Purpose,
    assisted: Checkbox,
  })
  .refine((f) => f.end > f.start, { message: "round.form.error.endBeforeStart", path: ["end"] });

export const AllocateFormSchema = z.object({ seed: z.preprocess(blankToUndefined, Seed.optional()) });

/** POST /api/v1/rounds/:id/requests */
export const RoundRequestCreateSchema = z
  .strictObject({
    start: Instant,
    end: Instant,
    purpose: ShortText(500).default(""),
    assisted: z.boolean({ error: "validation.boolean" }).optional(),
    /** Staff: the IKM asked for. */
    ikmId: Id.optional(),
  })
  .meta({ id: "RoundRequestCreate" });

/** POST /api/v1/rounds/:id/allocate */
export const AllocateBodySchema = z.strictObject({ seed: Seed.optional() }).meta({ id: "RoundAllocate" });
