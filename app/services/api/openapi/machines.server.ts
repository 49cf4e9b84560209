/**
 * The machine administration endpoints in the OpenAPI document: create a machine, read one,
 * change one (with the rule-change check). Registered by app/services/api/openapi/document.server.ts; the
 * contract tests parse real responses with these schemas.
 */
import { z } from "zod";
import * as R from "~/schemas/api-responses";
import { MachineCreateSchema, MachinePatchSchema } from "~/schemas/admin";
import { AUTH, type Endpoint, errorResponse as E, invalidResponse } from "./endpoint.server";

const INVALID = invalidResponse("a taken code too");
const Minutes = z.number().int().nullable();
const Period = z.object({ start: z.string(), end: z.string() });

export const MachineDetailBody = R.MachineBody.extend({
  settings: z
    .object({
      slotMinutes: Minutes,
      minMinutes: Minutes,
      maxMinutes: Minutes,
      bufferMinutes: Minutes,
      noticeMinutes: Minutes,
      horizonDays: Minutes,
      weeklyQuotaMinutes: Minutes,
      maxActiveBookings: Minutes,
      billingIncrementMinutes: Minutes,
    })
    .meta({ description: "The machine's own rule values; null = the facility default (the effective values are the top-level fields)" }),
  hours: z.record(z.string(), z.array(Period)).nullable().meta({ description: "Per-machine opening hours by ISO weekday (narrowing the facility's), or null" }),
}).meta({ id: "MachineDetail" });

const MachineEnvelope = z.object({ machine: MachineDetailBody });

const AffectedBooking = z
  .object({
    id: z.number().int(),
    start: R.Iso,
    end: R.Iso,
    status: z.string(),
    ikmId: z.number().int(),
    ikmName: z.string(),
    violations: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .meta({ id: "AffectedBooking" });

export const ADMIN_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/machines",
    summary: "Create a machine (and its first tariff): the same rules as the admin form",
    tag: "machines",
    roles: "admin",
    body: MachineCreateSchema,
    responses: { 201: { description: "Created", schema: MachineEnvelope }, ...INVALID, ...AUTH, ...E(403, "Not an admin") },
  },
  {
    method: "get",
    path: "/api/v1/machines/{id}",
    summary: "One machine: type, effective rules, its own settings and hours",
    tag: "machines",
    roles: "any logged-in user",
    responses: { 200: { description: "The machine", schema: MachineEnvelope }, ...INVALID, ...AUTH, ...E(404, "No such machine") },
  },
  {
    method: "patch",
    path: "/api/v1/machines/{id}",
    summary:
      "Change a machine (any subset; null resets a rule to the facility default; hourlyRate + tariffFrom add a tariff). When the change makes future bookings break a rule, 409 rules_affect_bookings lists them (details.bookings); send confirmAffected: true to save anyway",
    tag: "machines",
    roles: "admin",
    body: MachinePatchSchema,
    responses: {
      200: { description: "Saved; affectedBookings lists the future bookings that no longer fit", schema: MachineEnvelope.extend({ affectedBookings: z.array(AffectedBooking) }) },
      ...INVALID,
      ...AUTH,
      ...E(403, "Not an admin"),
      ...E(404, "No such machine"),
      ...E(409, "rules_affect_bookings: nothing saved; details.bookings lists each booking with the rules it would break"),
    },
  },
];
