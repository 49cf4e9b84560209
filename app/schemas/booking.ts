import { z } from "zod";
import { Id, Instant, ShortText } from "./common";

export const BookingCreateSchema = z
  .strictObject({
    machineId: Id,
    start: Instant,
    end: Instant,
    purpose: ShortText(500).default(""),
    ikmId: Id.optional(),
    assisted: z.boolean({ error: "validation.boolean" }).optional(),
    /** Staff: record past usage from the logbook, or a walk-in. */
    source: z.enum(["backfill", "walk_in"], { error: "validation.source" }).optional(),
    overrideReason: ShortText(500).optional(),
  })
  .meta({ id: "BookingCreate" });
export type BookingCreate = z.infer<typeof BookingCreateSchema>;

export const BookingMoveSchema = z
  .strictObject({
    start: Instant,
    end: Instant,
    machineId: Id.optional(),
    overrideReason: ShortText(500).optional(),
  })
  .meta({ id: "BookingMove" });

export const ReasonSchema = z.strictObject({ reason: ShortText(500).optional() }).meta({ id: "Reason" });
export const RejectSchema = z.strictObject({ reason: ShortText(500).min(1, "booking.error.reasonRequired") }).meta({ id: "Reject" });

export const BookingListQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
  machineId: Id.optional(),
  status: z.enum(["pending", "confirmed", "checked_in", "completed", "cancelled", "rejected", "no_show"], { error: "validation.status" }).optional(),
});
