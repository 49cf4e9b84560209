/**
 * The allocation rounds' endpoints in the OpenAPI document (/api/v1/rounds…), with their response
 * shapes as zod schemas: the contract tests parse real responses with them. Registered in
 * ENDPOINTS by app/services/api/openapi/document.server.ts.
 */
import { z } from "zod";
import * as R from "~/schemas/api-responses";
import { AllocateBodySchema, RoundRequestCreateSchema } from "~/schemas/rounds";
import { ANY, AUTH, type Endpoint, errorResponse as E, invalidResponse } from "./endpoint.server";

const Int = z.number().int();
const INVALID = invalidResponse("or details.field");

const RefusalReason = z.enum(["GRANTED", "RULES", "OUTRANKED_USE", "OUTRANKED_LOTTERY", "FAIR_SHARE", "OWN_REQUEST"]);

export const RoundExplanationBody = z
  .object({
    status: z.enum(["granted", "refused"]),
    reason: RefusalReason.meta({
      description:
        "GRANTED; RULES (breaks a rule by itself or against existing bookings/quotas: see violations); OUTRANKED_USE / OUTRANKED_LOTTERY (collided with the grant of an IKM placed before by less recent use / by the lottery); FAIR_SHARE (collided with the grant of an IKM placed after, in a pass where this IKM already had its one grant); OWN_REQUEST",
    }),
    pass: Int,
    rank: Int.meta({ description: "The IKM's place in the order (1 = first)" }),
    ikmCount: Int,
    recentTypeMinutes: z.number().meta({ description: "The IKM's use of the machine type in the 30 days before the allocation" }),
    lotteryTicket: Int,
    tiedWith: Int.meta({ description: "How many other IKMs had the same recent use (0: the lottery did not matter)" }),
    bookingId: Int.nullable(),
    bookingStatus: z.enum(["pending", "confirmed"]).nullable(),
    violations: z.array(R.ViolationBody),
    conflictWithRequestId: Int.nullable().meta({ description: "The granted request it collided with; to an IKM only when it is its own" }),
    winner: z.object({ rank: Int, recentTypeMinutes: z.number(), pass: Int }).nullable().meta({ description: "The IKM whose grant it collided with, anonymously" }),
    alternatives: z.array(R.AlternativeBody).meta({ description: "Free slots after the allocation (first come, first served)" }),
  })
  .meta({ id: "RoundExplanation" });

export const RoundRequestBody = z
  .object({
    id: Int,
    ikmId: Int.nullable(),
    ikmName: z.string().nullable(),
    own: z.boolean(),
    start: R.Iso,
    end: R.Iso,
    purpose: z.string(),
    assisted: z.boolean(),
    status: z.enum(["requested", "granted", "refused", "withdrawn"]),
    bookingId: Int.nullable(),
    createdAt: R.Iso,
    explanation: RoundExplanationBody.nullable(),
  })
  .meta({ id: "RoundRequest" });

const TotalsBody = z.object({ requests: Int, granted: Int, refused: Int, requestedMinutes: z.number(), grantedMinutes: z.number() });

export const RoundBody = z
  .object({
    id: Int,
    machine: z.object({ id: Int, code: z.string(), name: z.string() }),
    weekStart: R.Iso,
    weekEnd: R.Iso,
    cutoffAt: R.Iso,
    status: z.enum(["open", "allocated"]),
    acceptsRequests: z.boolean(),
    allocatedAt: R.Iso.nullable(),
    seed: z.string().nullable(),
    requestCount: Int,
    ikmCount: Int,
    maxRequestsPerIkm: Int,
    requests: z.array(RoundRequestBody).meta({ description: "Staff: every request; an IKM: its own" }),
    order: z
      .array(
        z.object({
          ikmId: Int.nullable(),
          ikmName: z.string().nullable().meta({ description: "null for another IKM when an IKM asks" }),
          you: z.boolean(),
          rank: Int,
          recentTypeMinutes: z.number(),
          lotteryPosition: Int,
          tiedWith: Int,
          requested: Int,
          granted: Int,
          requestedMinutes: z.number(),
          grantedMinutes: z.number(),
        }),
      )
      .nullable()
      .meta({ description: "After allocation: the IKM order with its reasons" }),
    totals: TotalsBody.nullable(),
    passes: Int.nullable(),
  })
  .meta({ id: "AllocationRound" });

const CreatedRequestBody = z.object({
  request: z.object({ id: Int, roundId: Int, ikmId: Int, start: R.Iso, end: R.Iso, purpose: z.string(), assisted: z.boolean(), status: z.literal("requested"), createdAt: R.Iso }),
});

export const ROUND_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/rounds",
    summary: "Open allocation rounds (next week's) and recent allocated ones, as the caller may see them",
    tag: "rounds",
    roles: ANY,
    responses: { 200: { description: "Rounds", schema: z.object({ rounds: z.array(RoundBody) }) }, ...AUTH },
  },
  {
    method: "get",
    path: "/api/v1/rounds/{id}",
    summary: "One round: staff see every request and the named order; an IKM its own requests and the anonymous order",
    tag: "rounds",
    roles: ANY,
    responses: { 200: { description: "The round", schema: z.object({ round: RoundBody }) }, ...INVALID, ...AUTH, ...E(404, "No such round") },
  },
  {
    method: "post",
    path: "/api/v1/rounds/{id}/requests",
    summary: "Ask for a slot in the round before its cut-off (IKM for itself; staff name ikmId)",
    tag: "rounds",
    roles: "ikm, technician, manager, admin",
    body: RoundRequestCreateSchema,
    responses: {
      201: { description: "Requested (not a booking yet)", schema: CreatedRequestBody },
      ...INVALID,
      ...AUTH,
      ...E(403, "Not allowed to ask"),
      ...E(404, "No such round"),
      ...E(409, "The round is closed, or (code request_rejected) the request could never be granted: details.violations"),
    },
  },
  {
    method: "post",
    path: "/api/v1/rounds/{id}/requests/{requestId}/withdraw",
    summary: "Withdraw one's own request before the cut-off",
    tag: "rounds",
    roles: ANY,
    responses: {
      200: { description: "Withdrawn", schema: z.object({ request: z.object({ id: Int, roundId: Int, start: R.Iso, end: R.Iso, status: z.literal("withdrawn") }) }) },
      ...INVALID,
      ...AUTH,
      ...E(404, "Absent or another IKM's"),
      ...E(409, "Not withdrawable (closed round or not requested)"),
    },
  },
  {
    method: "post",
    path: "/api/v1/rounds/{id}/allocate",
    summary: "Allocate the round now (also before its cut-off, closing it early); the seed is optional and recorded",
    tag: "rounds",
    roles: "manager, admin",
    body: AllocateBodySchema,
    responses: {
      200: { description: "Allocated", schema: z.object({ round: RoundBody, totals: TotalsBody, seed: z.string() }) },
      ...INVALID,
      ...AUTH,
      ...E(403, "Not a manager or admin"),
      ...E(404, "No such round"),
      ...E(409, "Already allocated"),
    },
  },
  {
    method: "get",
    path: "/api/v1/rounds/{id}/replay",
    summary: "Recompute an allocated round from its recorded inputs and seed; matches when the published result is reproduced",
    tag: "rounds",
    roles: "technician, manager, admin",
    responses: {
      200: {
        description: "Replayed",
        schema: z.object({
          matches: z.boolean(),
          seed: z.string(),
          totals: TotalsBody,
          requests: z
            .array(z.object({ requestId: z.number().int(), status: z.enum(["granted", "refused"]) }))
            .meta({ description: "The recomputed outcome of every request, to compare with the published one" }),
        }),
      },
      ...INVALID,
      ...AUTH,
      ...E(403, "Not staff"),
      ...E(404, "No such round"),
      ...E(409, "Not allocated yet"),
    },
  },
];
