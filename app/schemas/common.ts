import { z } from "zod";

/** ISO 8601 instant WITH an offset ("2026-12-01T08:00:00+07:00" or "…Z"); one without is refused. */
export const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const Instant = z
  .string({ error: "validation.instant" })
  .regex(INSTANT_RE, "validation.instant")
  .refine((s) => Number.isFinite(Date.parse(s)), "validation.instant")
  .transform((s) => Date.parse(s))
  .meta({ description: "ISO 8601 instant with an offset, e.g. 2026-12-01T08:00:00+07:00", format: "date-time" });

export const Id = z.coerce
  .number({ error: "validation.id" })
  .int("validation.id")
  .positive("validation.id")
  .max(2_147_483_647, "validation.id");

export const LocalDate = z
  .string({ error: "validation.date" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "validation.date");

export const ShortText = (max: number) => z.string({ error: "validation.text" }).trim().max(max, "validation.tooLong");
