import { z } from "zod";
import { Id, Instant, ShortText } from "./common";

/** Join the waitlist for one machine or any machine of a type, within a window, for a duration. */
export const WaitlistJoinSchema = z
  .strictObject({
    machineId: Id.optional(),
    machineTypeId: Id.optional(),
    earliestStart: Instant,
    latestEnd: Instant,
    durationMinutes: z.coerce.number({ error: "validation.number" }).int("validation.number").min(30, "waitlist.error.duration").max(480, "waitlist.error.duration"),
    purpose: ShortText(500).default(""),
    assisted: z.boolean({ error: "validation.boolean" }).optional(),
  })
  .refine((w) => w.machineId !== undefined || w.machineTypeId !== undefined, { message: "waitlist.error.machine", path: ["machineId"] })
  .refine((w) => w.latestEnd > w.earliestStart, { message: "validation.rangeOrder", path: ["latestEnd"] })
  .refine((w) => w.latestEnd - w.earliestStart >= w.durationMinutes * 60_000, { message: "waitlist.error.windowShort", path: ["latestEnd"] })
  .refine((w) => w.latestEnd - w.earliestStart <= 31 * 86_400_000, { message: "validation.rangeTooLong", path: ["latestEnd"] })
  .meta({ id: "WaitlistJoin" });
export type WaitlistJoin = z.infer<typeof WaitlistJoinSchema>;
