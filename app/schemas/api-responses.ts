/**
 * The JSON API's response shapes, as zod schemas: they document the API (OpenAPI) and the
 * contract tests parse real responses with them, so the document cannot drift from the code.
 */
import { z } from "zod";

export const Iso = z.string().meta({ format: "date-time", description: "UTC instant, e.g. 2026-12-01T01:00:00.000Z" });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: "Error" });

export const FieldErrors = z.object({ fields: z.array(z.object({ field: z.string(), message: z.string() })) });

export const ApiUserBody = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(["ikm", "technician", "manager", "admin"]),
    ikmId: z.number().int().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    language: z.enum(["id", "en"]),
  })
  .meta({ id: "User" });

export const SessionBody = z.object({ token: z.string(), expiresAt: Iso, user: ApiUserBody }).meta({ id: "Session" });

export const MachineBody = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    type: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
    status: z.enum(["active", "maintenance", "retired"]),
    description: z.string(),
    location: z.string(),
    allocationMode: z.enum(["first_come", "weekly_round"]),
    slotMinutes: z.number().int(),
    minMinutes: z.number().int(),
    maxMinutes: z.number().int(),
    bufferMinutes: z.number().int(),
    noticeMinutes: z.number().int(),
    horizonDays: z.number().int(),
    weeklyQuotaMinutes: z.number().int(),
    maxActiveBookings: z.number().int(),
    requiresApproval: z.boolean(),
    requiresQualification: z.boolean(),
    operatorMode: z.enum(["self", "assisted", "both"]),
    billingIncrementMinutes: z.number().int(),
    hourlyRate: z.number().int().meta({ description: "Rupiah per hour, the tariff in force now" }),
  })
  .meta({ id: "Machine" });

export const MachinesBody = z.object({ machines: z.array(MachineBody) });

export const AvailabilityBody = z
  .object({
    machineId: z.number().int(),
    from: Iso,
    to: Iso,
    free: z.array(z.object({ start: Iso, end: Iso })),
    busy: z.array(z.object({ start: Iso, end: Iso, kind: z.enum(["booking", "maintenance"]) })),
  })
  .meta({ id: "Availability" });

export const UsageBody = z
  .object({
    actualStart: Iso.nullable(),
    actualEnd: Iso.nullable(),
    operatorName: z.string(),
    operatorKind: z.string(),
    outputQuantity: z.number().nullable(),
    outputUnit: z.string().nullable(),
    consumables: z.string(),
    condition: z.string().nullable(),
    notes: z.string(),
    billableMinutes: z.number().int().nullable(),
    hourlyRate: z.number().int().nullable(),
    fee: z.number().int().nullable().meta({ description: "Rupiah" }),
  })
  .meta({ id: "Usage" });

export const BookingBody = z
  .object({
    id: z.number().int(),
    machineId: z.number().int(),
    machineCode: z.string().optional(),
    machineName: z.string().optional(),
    ikmId: z.number().int(),
    ikmName: z.string().optional().meta({ description: "Only for staff and the booking's own IKM" }),
    bookedBy: z.number().int(),
    start: Iso,
    end: Iso,
    status: z.enum(["pending", "confirmed", "checked_in", "completed", "cancelled", "rejected", "no_show"]),
    source: z.enum(["web", "api", "waitlist", "backfill", "walk_in", "allocation"]),
    purpose: z.string(),
    assisted: z.boolean(),
    seriesId: z.number().int().nullable(),
    statusReason: z.string().nullable(),
    lateCancel: z.boolean(),
    cancelledAt: Iso.nullable(),
    createdAt: Iso,
    updatedAt: Iso,
    usage: UsageBody.nullable(),
  })
  .meta({ id: "Booking" });

export const BookingEnvelope = z.object({ booking: BookingBody });
export const BookingsBody = z.object({ bookings: z.array(BookingBody) });
export const BookingCreatedBody = z
  .object({
    booking: BookingBody,
    feeEstimate: z.number().int().meta({ description: "Estimated fee in rupiah" }),
    notices: z.array(z.string()),
    overridden: z.array(z.string()),
  })
  .meta({ id: "BookingCreated" });

export const ViolationBody = z
  .object({
    code: z.string(),
    message: z.string(),
    overridable: z.boolean(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    conflict: z
      .object({ kind: z.enum(["booking", "maintenance"]), start: Iso, end: Iso.nullable(), id: z.number().int().optional() })
      .nullable(),
  })
  .meta({ id: "Violation" });

export const AlternativeBody = z
  .object({
    machineId: z.number().int(),
    machineCode: z.string(),
    machineName: z.string(),
    start: Iso,
    end: Iso,
    assisted: z.boolean().meta({ description: "Run by the unit's operator: book it with assisted=true (offered instead of a self-run request an IKM without a certificate may not make)" }),
  })
  .meta({ id: "Alternative" });

export const RefusalBody = z
  .object({
    error: z.object({
      code: z.literal("booking_rejected"),
      message: z.string(),
      details: z.object({ violations: z.array(ViolationBody), alternatives: z.array(AlternativeBody) }),
    }),
  })
  .meta({ id: "Refusal" });

export const WaitlistEntryBody = z
  .object({
    id: z.number().int(),
    ikmId: z.number().int(),
    machineId: z.number().int().nullable(),
    machineTypeId: z.number().int(),
    earliestStart: Iso,
    latestEnd: Iso,
    durationMinutes: z.number().int(),
    purpose: z.string(),
    status: z.enum(["waiting", "offered", "booked", "expired", "withdrawn"]),
    offeredBookingId: z.number().int().nullable(),
    offerExpiresAt: Iso.nullable(),
    createdAt: Iso,
  })
  .meta({ id: "WaitlistEntry" });

/** GET /api/v1/waitlist: an IKM member's own entries, or for staff the ranking per machine type. */
export const WaitlistListBody = z
  .union([
    z.object({ entries: z.array(WaitlistEntryBody) }),
    z.object({
      ranking: z.array(
        z.object({
          machineTypeId: z.number().int(),
          machineTypeName: z.string(),
          entries: z.array(WaitlistEntryBody.extend({ ikmName: z.string(), rank: z.number().int(), reason: z.object({ code: z.string(), recentTypeMinutes: z.number() }) })),
        }),
      ),
    }),
  ])
  .meta({ id: "WaitlistList" });

export const WaitlistAcceptedBody = z.object({ bookingId: z.number().int(), status: z.string() }).meta({ id: "WaitlistAccepted" });
export const WaitlistWithdrawnBody = z.object({ status: z.literal("withdrawn") }).meta({ id: "WaitlistWithdrawn" });

const ReportRow = z.strictObject({
  key: z.string(),
  label: z.string(),
  availableHours: z.number().nullable().meta({ description: "Open hours of the whole period, less closure days and maintenance (null per IKM)" }),
  availableHoursToDate: z.number().nullable().meta({ description: "The part of availableHours before asOf: what actualUtilization divides by (null per IKM)" }),
  bookedHours: z.number().meta({ description: "Booked hours in the whole period, the future included" }),
  bookedAheadHours: z.number().meta({ description: "The part of bookedHours from asOf on: planned, not yet happened" }),
  usedHours: z.number().meta({ description: "Used hours up to asOf" }),
  bookedUtilization: z.number().nullable(),
  actualUtilization: z.number().nullable(),
  noShowRate: z.number().nullable(),
  lateCancellationRate: z.number().nullable(),
  unmetDemandHours: z.number(),
  fees: z.number(),
});

export const UtilizationReportBody = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(["machine", "type", "ikm"]),
    asOf: Iso.meta({
      description: "The instant the to-date figures (used hours, actual utilization, no-show and late-cancellation rates, unmet demand, fees) stop at: now, or the period's end if that is earlier",
    }),
    rows: z.array(ReportRow),
    totals: ReportRow.partial({ key: true, label: true }),
  })
  .passthrough()
  .meta({
    id: "UtilizationReport",
    description:
      "Hours as decimals, rates as fractions 0–1 (null where the denominator is 0), fees in rupiah. A period reaching past now: what happened counts up to asOf, what is planned (booked hours and utilization) the whole period",
  });
