/**
 * The booking form's server side, shared by /pesan (check, confirm, book) and its live check
 * (/pesan/cek): form values → a booking request in the facility zone → the engine's verdict as
 * sentences in the reader's language. Checks write nothing.
 */
import type { Db } from "#db/connection";
import type { Lang } from "~/i18n";
import { loadFacility } from "~/models/scheduling.server";
import { zonedInstant } from "~/scheduling";
import { type BookingForm, decisionSignature } from "~/schemas/ikm-booking";
import type { AuthUser } from "~/utils/auth.server";
import { flatFormErrors } from "~/utils/form-errors";
import { failureOf } from "~/utils/forms.server";
import { isStaff } from "~/utils/permissions";
import { ServiceError } from "../errors.server";
import { checkBooking } from "./commands.server";
import type { Ctx } from "./decision-input.server";
import { checkView, sentences } from "./views.server";
import type { CheckView } from "~/views/booking";
import { type SeriesPlan, type SeriesRequest, checkSeries } from "./series.server";
import type { SeriesView } from "~/views/booking";

export interface FormCheck {
  signature: string;
  check: CheckView | null;
  series: SeriesView | null;
}

export async function facilityZone(db: Db): Promise<string> {
  return (await loadFacility(db)).time_zone;
}

/** The request the form describes; staff-only fields are dropped for IKM members. */
export function formRequest(f: BookingForm, user: AuthUser, tz: string): SeriesRequest {
  const staff = isStaff(user);
  return {
    machineId: f.machineId,
    start: zonedInstant(f.date, f.start, tz),
    end: zonedInstant(f.date, f.end, tz),
    purpose: f.purpose,
    assisted: f.assisted,
    ikmId: staff ? f.ikmId : undefined,
    overrideReason: staff ? f.overrideReason : undefined,
    source: "web",
    weeks: f.weeks,
  };
}

export function seriesView(plan: SeriesPlan, lang: Lang, tz: string): SeriesView {
  return {
    rows: plan.occurrences.map((o) => ({
      date: o.date,
      start: o.start,
      end: o.end,
      ok: o.check.ok,
      status: o.check.status,
      reasons: sentences(o.check.violations, lang, tz, o.start),
      feeEstimate: o.check.feeEstimate,
    })),
    fitting: plan.fitting,
    feeTotal: plan.occurrences.filter((o) => o.check.ok).reduce((sum, o) => sum + o.check.feeEstimate, 0),
  };
}

/** Decide the form's request (one booking or a weekly series) without writing anything. */
export async function checkForm(db: Db, ctx: Ctx & { user: AuthUser }, f: BookingForm, lang: Lang): Promise<FormCheck> {
  const tz = await facilityZone(db);
  const req = formRequest(f, ctx.user, tz);
  const signature = decisionSignature(f);
  if (f.weeks > 1) {
    const plan = await checkSeries(db, ctx, req);
    return { signature, check: null, series: seriesView(plan, lang, tz) };
  }
  const check = await checkBooking(db, ctx, req);
  return { signature, check: checkView(check, lang, tz, req.start), series: null };
}

/**
 * A booking or move form's failure, one key per field: a machine that does not exist is the
 * machine field's error (not a missing page); anything else as every form answers it (forms.server).
 */
export function bookingFormFailure(error: unknown): { status: 400 | 409; errors: Record<string, string>; message: string } {
  if (error instanceof ServiceError && error.code === "not_found") return { status: 400, errors: { machineId: "ikm.form.error.machine" }, message: "ikm.form.error.machine" };
  const failure = failureOf(error);
  return { status: failure.status, errors: flatFormErrors(failure.errors).errors, message: failure.message.key };
}
