/**
 * The rows and checks of a booking decision, shared by its two paths (awaited through Kysely on
 * any engine, synchronous on SQLite: commands.server.ts): which IKM a request is for, the refusal's
 * attempt, the new booking, its audit event and what the IKM is told.
 */
import type { Booking, Machine } from "#db/schema";
import type { AttemptFields, NewBookingFields } from "~/models/booking.server";
import type { Decision, Violation } from "~/scheduling";
import type { Principal } from "~/utils/permissions";
import { can, isStaff } from "~/utils/permissions";
import type { AuditInput } from "../audit.server";
import { ServiceError } from "../errors.server";
import { type BookingRequestInput, type Ctx, type Loaded, holdEnd } from "./decision-input.server";

/** Which IKM to look up for a request: an IKM member's own; staff must name one. */
export function ikmToLookUp(user: Principal, ikmId: number | undefined): number {
  if (can(user, "booking:own")) {
    if (user.ikmId === null) throw new ServiceError("forbidden", "error.forbidden.title");
    return user.ikmId;
  }
  if (!isStaff(user)) throw new ServiceError("forbidden", "error.forbidden.title");
  if (ikmId === undefined) throw new ServiceError("invalid", "booking.error.ikmRequired", { field: "ikmId" });
  return ikmId;
}

/** The IKM looked up may book (a deactivated IKM's members keep their history but can no longer book). */
export function ikmAllowed(user: Principal, ikm: { id: number; active: number } | undefined): number {
  if (can(user, "booking:own")) {
    if (!ikm?.active) throw new ServiceError("invalid_state", "admin.ikm.bookingBlocked");
    return ikm.id;
  }
  if (!ikm?.active) throw new ServiceError("invalid", "booking.error.ikmUnknown", { field: "ikmId" });
  return ikm.id;
}

export function attemptOf(ctx: Ctx, loaded: Loaded, violations: Violation[]): AttemptFields {
  const r = loaded.input.request;
  return {
    ikm_id: r.ikmId,
    user_id: ctx.user.id,
    machine_id: r.machineId,
    machine_type_id: loaded.machine.type_id,
    start_at: r.start,
    end_at: r.end,
    codes: [...new Set(violations.map((v) => v.code))].join(","),
    created_at: ctx.now,
  };
}

/** The new booking's fields from an accepted decision. */
export function acceptedBooking(ctx: Ctx, req: BookingRequestInput, machine: Machine, ikmId: number, loaded: Loaded, decision: Decision): NewBookingFields {
  return {
    machine_id: machine.id,
    ikm_id: ikmId,
    booked_by: ctx.user.id,
    start_at: req.start,
    end_at: req.end,
    hold_end_at: holdEnd(loaded, req.end),
    status: decision.status ?? "pending",
    source: req.source ?? "web",
    purpose: req.purpose,
    assisted: loaded.input.request.assisted,
    series_id: req.seriesId ?? null,
    override_reason: decision.overridden.length ? (loaded.input.request.overrideReason ?? null) : null,
  };
}

/** The audit event of a booking written by a decision. */
export function createdAudit(ctx: Ctx, booking: Booking, decision: Decision, loaded: Loaded): AuditInput {
  return {
    actorUserId: ctx.user.id,
    action: "booking.create",
    entity: "booking",
    entityId: booking.id,
    after: booking,
    reason: decision.overridden.length ? `override ${decision.overridden.map((v) => v.code).join(",")}: ${loaded.input.request.overrideReason}` : null,
    requestId: ctx.requestId,
    at: ctx.now,
  };
}

/** What the IKM is told of a new booking. */
export function createdNotice(machine: Machine, booking: Booking) {
  return {
    kind: booking.status === "pending" ? ("booking_pending" as const) : ("booking_confirmed" as const),
    params: { machine: machine.code, start: booking.start_at, end: booking.end_at },
  };
}

/** Backfilled and walk-in bookings are staff's. */
export function refuseStaffSources(ctx: Ctx, req: BookingRequestInput): void {
  if (!isStaff(ctx.user) && (req.source === "backfill" || req.source === "walk_in")) {
    throw new ServiceError("forbidden", "error.forbidden.title");
  }
}
