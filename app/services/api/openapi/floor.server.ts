/**
 * The technician's endpoints in the OpenAPI document: check-in, check-out and no-show on a
 * booking, and maintenance windows (create with proposals, resolve, end). Listed in ENDPOINTS by
 * app/services/api/openapi/document.server.ts; response shapes are parsed by the contract tests.
 */
import { z } from "zod";
import * as R from "~/schemas/api-responses";
import { CheckInApi, CheckOutApi, MaintenanceCreateApi, MaintenanceEndApi, MaintenanceResolveApi, NoShowApi } from "~/schemas/floor";
import { AUTH, type Endpoint, errorResponse as E, invalidResponse, STAFF } from "./endpoint.server";

const INVALID = invalidResponse();

export const MaintenanceWindowBody = z
  .object({
    id: z.number().int(),
    machineId: z.number().int(),
    machineCode: z.string().optional(),
    kind: z.enum(["planned", "breakdown"]),
    start: R.Iso,
    end: R.Iso.nullable().meta({ description: "null: an open breakdown, until it is closed" }),
    reason: z.string(),
    createdBy: z.number().int(),
    resolvedAt: R.Iso.nullable(),
    createdAt: R.Iso,
  })
  .meta({ id: "MaintenanceWindow" });

const Proposal = z.union([R.AlternativeBody.extend({ action: z.literal("move") }), z.object({ action: z.literal("cancel") })]);

export const MaintenanceCreatedBody = z
  .object({
    window: MaintenanceWindowBody,
    affected: z.array(
      z.object({
        booking: R.BookingBody,
        movable: z.boolean().meta({ description: "false for a booking in use (check it out first)" }),
        proposal: Proposal.nullable().meta({ description: "The engine's best alternative (move), or cancel when there is none; null when not movable" }),
      }),
    ),
  })
  .meta({ id: "MaintenanceCreated" });

export const MaintenanceResolvedBody = z
  .object({
    window: MaintenanceWindowBody,
    results: z.array(
      z.object({
        booking: R.BookingBody,
        action: z.enum(["moved", "cancelled", "kept", "in_use"]),
        to: R.AlternativeBody.extend({ status: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: "MaintenanceResolved" });

const CheckedOutBody = z.object({
  booking: R.BookingBody,
  breakdown: z.object({ window: MaintenanceWindowBody, affected: z.array(R.BookingBody) }).nullable().meta({ description: "The breakdown a fault opened, with the later bookings it affects" }),
});

const actions = (action: string, summary: string, body: z.ZodType, ok: z.ZodType): Endpoint => ({
  method: "post",
  path: `/api/v1/bookings/{id}/${action}`,
  summary,
  tag: "floor",
  roles: STAFF,
  body,
  responses: {
    200: { description: "Done", schema: ok },
    ...INVALID,
    ...AUTH,
    ...E(403, "Not staff (an IKM member, for its own booking)"),
    ...E(404, "Absent or not visible"),
    ...E(409, "Not possible in the booking's status (or the machine is down)"),
  },
});

export const FLOOR_ENDPOINTS: Endpoint[] = [
  actions("check-in", "Check in: actual start (at, default now), operator", CheckInApi, R.BookingEnvelope),
  actions("check-out", "Check out: actual end, output, consumables, condition; the fee at the tariff of the actual start; a fault opens a breakdown", CheckOutApi, CheckedOutBody),
  actions("no-show", "Mark a confirmed booking not checked in within the grace period as a no-show (may restrict the IKM)", NoShowApi, R.BookingEnvelope.extend({ ikmRestrictedUntil: R.Iso.nullable() })),
  {
    method: "post",
    path: "/api/v1/machines/{id}/maintenance",
    summary: "Plan maintenance (or open a breakdown without end): the window, and each booking it touches with the proposed alternative",
    tag: "floor",
    roles: STAFF,
    body: MaintenanceCreateApi,
    responses: { 201: { description: "Window written; proposals to resolve", schema: MaintenanceCreatedBody }, ...INVALID, ...AUTH, ...E(403, "Not staff"), ...E(404, "No such machine") },
  },
  {
    method: "post",
    path: "/api/v1/maintenance/{id}/resolve",
    summary: "Move or cancel the bookings the window touches (given decisions, else the engine's proposals), in one transaction; each IKM is told",
    tag: "floor",
    roles: STAFF,
    body: MaintenanceResolveApi,
    responses: {
      200: { description: "Resolved", schema: MaintenanceResolvedBody },
      ...INVALID,
      ...AUTH,
      ...E(403, "Not staff"),
      ...E(404, "No such window"),
      ...E(409, "The window has ended, or a chosen target is no longer free"),
    },
  },
  {
    method: "post",
    path: "/api/v1/maintenance/{id}/end",
    summary: "End a window or breakdown now (a window not started is called off); the freed time goes to the waitlist",
    tag: "floor",
    roles: STAFF,
    body: MaintenanceEndApi,
    responses: {
      200: { description: "Ended", schema: z.object({ window: MaintenanceWindowBody.nullable(), freed: z.object({ start: R.Iso, end: R.Iso }) }) },
      ...AUTH,
      ...E(403, "Not staff"),
      ...E(404, "No such window"),
      ...E(409, "Already ended"),
    },
  },
];
