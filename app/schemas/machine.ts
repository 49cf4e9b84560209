import { z } from "zod";
import { Instant } from "./common";

export const AvailabilityQuery = z
  .strictObject({ from: Instant, to: Instant })
  .refine((q) => q.to > q.from, { message: "validation.rangeOrder", path: ["to"] })
  .refine((q) => q.to - q.from <= 62 * 24 * 3600 * 1000, { message: "validation.rangeTooLong", path: ["to"] });
