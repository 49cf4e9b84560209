/**
 * The document's own endpoints and the booking core: the document itself, the session, machines
 * and their availability, bookings, the waitlist and the utilization report.
 */
import { z } from "zod";
import * as R from "~/schemas/api-responses";
import { LoginSchema } from "~/schemas/auth";
import { BookingCreateSchema, BookingListQuery, BookingMoveSchema, ReasonSchema, RejectSchema } from "~/schemas/booking";
import { AvailabilityQuery } from "~/schemas/machine";
import { ReportApiQuery } from "~/schemas/reports";
import { WaitlistJoinSchema } from "~/schemas/waitlist";
import { ANY, AUTH, type Endpoint, errorResponse as E, invalidResponse, STAFF } from "./endpoint.server";

const INVALID = invalidResponse();

export const CORE_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This OpenAPI 3.1 document",
    tag: "meta",
    responses: { 200: { description: "The document" } },
  },
  {
    method: "post",
    path: "/api/v1/session",
    summary: "Log in with email or phone and password; returns a bearer token",
    tag: "session",
    body: LoginSchema,
    responses: { 200: { description: "Logged in", schema: R.SessionBody }, ...INVALID, ...E(401, "Wrong login or password"), ...E(429, "Too many attempts; Retry-After says when to try again") },
  },
  {
    method: "delete",
    path: "/api/v1/session",
    summary: "Revoke the bearer token",
    tag: "session",
    roles: ANY,
    responses: { 204: { description: "Revoked" }, ...AUTH },
  },
  {
    method: "get",
    path: "/api/v1/machines",
    summary: "Every machine with its type and effective rule settings",
    tag: "machines",
    roles: ANY,
    responses: { 200: { description: "Machines", schema: R.MachinesBody }, ...AUTH },
  },
  {
    method: "get",
    path: "/api/v1/machines/{id}/availability",
    summary: "Free and busy time of a machine; closed time is in neither list",
    tag: "machines",
    roles: ANY,
    query: AvailabilityQuery,
    responses: { 200: { description: "Free/busy", schema: R.AvailabilityBody }, ...INVALID, ...AUTH, ...E(404, "No such machine") },
  },
  {
    method: "get",
    path: "/api/v1/bookings",
    summary: "Bookings visible to the caller (an IKM's own; all for staff)",
    tag: "bookings",
    roles: ANY,
    query: BookingListQuery,
    responses: { 200: { description: "Bookings", schema: R.BookingsBody }, ...INVALID, ...AUTH },
  },
  {
    method: "post",
    path: "/api/v1/bookings",
    summary: "Book a machine (staff: for an IKM, backfill or walk-in, with overrides of soft rules)",
    tag: "bookings",
    roles: "ikm, technician, manager, admin",
    body: BookingCreateSchema,
    responses: {
      201: { description: "Booked (confirmed, or pending approval)", schema: R.BookingCreatedBody },
      ...INVALID,
      ...AUTH,
      ...E(404, "No such machine"),
      409: { description: "Refused by the engine: every violation and up to 5 alternatives", schema: R.RefusalBody },
    },
  },
  {
    method: "get",
    path: "/api/v1/bookings/{id}",
    summary: "One booking with its usage (404 when it is another IKM's)",
    tag: "bookings",
    roles: ANY,
    responses: { 200: { description: "The booking", schema: R.BookingEnvelope }, ...INVALID, ...AUTH, ...E(404, "Absent or not visible") },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/cancel",
    summary: "Cancel (an IKM before the start; under 24 h counts as late)",
    tag: "bookings",
    roles: ANY,
    body: ReasonSchema,
    responses: { 200: { description: "Cancelled", schema: R.BookingEnvelope }, ...INVALID, ...AUTH, ...E(404, "Absent or not visible"), ...E(409, "Not cancellable in its status") },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/move",
    summary: "Move to another time or machine, re-decided by the engine",
    tag: "bookings",
    roles: ANY,
    body: BookingMoveSchema,
    responses: {
      200: { description: "Moved", schema: R.BookingCreatedBody },
      ...INVALID,
      ...AUTH,
      ...E(404, "Absent or not visible"),
      409: { description: "Refused (violations and alternatives), or not movable in its status", schema: R.ErrorBody },
    },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/approve",
    summary: "Approve a pending booking",
    tag: "bookings",
    roles: STAFF,
    body: ReasonSchema,
    responses: { 200: { description: "Confirmed", schema: R.BookingEnvelope }, ...AUTH, ...E(403, "Not staff"), ...E(404, "Absent or not visible"), ...E(409, "Not pending") },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/reject",
    summary: "Reject a pending booking with a reason",
    tag: "bookings",
    roles: STAFF,
    body: RejectSchema,
    responses: { 200: { description: "Rejected", schema: R.BookingEnvelope }, ...INVALID, ...AUTH, ...E(403, "Not staff"), ...E(404, "Absent or not visible"), ...E(409, "Not pending") },
  },
  {
    method: "get",
    path: "/api/v1/waitlist",
    summary: "An IKM's own waitlist entries; staff get every waiting entry in fair-priority order",
    tag: "waitlist",
    roles: ANY,
    responses: { 200: { description: "An IKM member's own entries, or for staff the ranking per machine type", schema: R.WaitlistListBody }, ...AUTH },
  },
  {
    method: "post",
    path: "/api/v1/waitlist",
    summary: "Join the waitlist for a machine or any machine of a type",
    tag: "waitlist",
    roles: "ikm",
    body: WaitlistJoinSchema,
    responses: { 201: { description: "Joined", schema: z.object({ entry: R.WaitlistEntryBody }) }, ...INVALID, ...AUTH, ...E(403, "Not an IKM member") },
  },
  {
    method: "get",
    path: "/api/v1/reports/utilization",
    summary: "Utilization, no-shows, late cancellations, unmet demand and fees per machine, type or IKM for a period (both dates inclusive, facility time); &format=csv gives the same as CSV",
    tag: "reports",
    roles: "manager, admin",
    query: ReportApiQuery,
    responses: { 200: { description: "The report (JSON, or text/csv with format=csv)", schema: R.UtilizationReportBody, csv: true }, ...INVALID, ...AUTH, ...E(403, "Not a manager or admin") },
  },
  ...(["accept", "decline", "withdraw"] as const).map(
    (action): Endpoint => ({
      method: "post",
      path: `/api/v1/waitlist/{id}/${action}`,
      summary: { accept: "Accept the offered slot", decline: "Decline the offered slot (it passes on)", withdraw: "Leave the waitlist" }[action],
      tag: "waitlist",
      roles: "ikm",
      responses: {
        200: { description: action === "accept" ? "Booked: the new booking's id and status" : "Left the waitlist", schema: action === "accept" ? R.WaitlistAcceptedBody : R.WaitlistWithdrawnBody },
        ...AUTH,
        ...E(404, "Absent or another IKM's"),
        ...E(409, "No valid offer / not waiting"),
      },
    }),
  ),
];

