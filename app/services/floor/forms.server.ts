/**
 * Page-action plumbing of the technician's console: service and validation errors become the
 * form's field errors (400/409), a missing record a 404 page, a forbidden one a 403; local
 * clock times from the forms become instants in the facility zone.
 */
import { data } from "@remix-run/node";
import { z } from "zod";
import { type Lang, translate } from "~/i18n";
import { violationMessage } from "~/i18n/violations";
import { formatDateShort, formatTimeRange } from "~/i18n/format";
import { type Alternative, type Violation, zonedInstant } from "~/scheduling";
import { fieldErrors } from "~/schemas/parse";
import { forbidden } from "~/utils/auth.server";
import { ServiceError } from "../errors.server";
import type { Affected, MaintenanceChoice } from "./maintenance-plan.server";
import type { FloorAffectedItem } from "~/views/floor";

/** A thrown service or validation error as the page's action result; anything else is rethrown. */
export function formFailure<E extends Record<string, unknown>>(error: unknown, extra: E = {} as E) {
  const fail = (errors: Record<string, string>, params: Record<string, string | number>, status: number) =>
    data({ ...extra, errors, params } as E & { errors: Record<string, string>; params: Record<string, string | number> }, { status });
  if (error instanceof z.ZodError) return fail(fieldErrors(error), {}, 400);
  if (error instanceof ServiceError) {
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    if (error.code === "forbidden") throw forbidden();
    const field = typeof error.details.field === "string" ? error.details.field : "_form";
    const params = (error.details.params as Record<string, string | number> | undefined) ?? {};
    return fail({ [field]: error.messageKey }, params, error.code === "invalid" ? 400 : 409);
  }
  throw error;
}

/** "YYYY-MM-DD" + "HH:mm" in the facility zone. */
export function localInstant(date: string, time: string, timeZone: string): number {
  return zonedInstant(date, time, timeZone);
}

/** "YYYY-MM-DDTHH:mm" (datetime-local) in the facility zone. */
export function localDateTime(value: string, timeZone: string): number {
  return zonedInstant(value.slice(0, 10), value.slice(11, 16), timeZone);
}

/** A refusal as the page shows it: one sentence per violation, and the alternatives. */
export function refusalView(violations: Violation[], alternatives: Alternative[], lang: Lang, tz: string, requestStart: number) {
  return {
    messages: violations.map((v) => violationMessage(v, lang, tz, requestStart)),
    codes: [...new Set(violations.map((v) => v.code))],
    alternatives: alternatives.map((a) => ({
      machineId: a.machineId,
      label: `${a.machineCode} · ${formatDateShort(a.start, lang, tz)} ${formatTimeRange(a.start, a.end, lang, tz)}`,
      start: a.start,
      end: a.end,
    })),
    title: translate(lang, "floor.refused.title"),
  };
}

/** Form fields as strings, to refill a form after an error. */
export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

/** The per-booking choices of a maintenance form: `choice-<bookingId>` = move|machine|start|end, cancel or keep. */
export function parseChoices(form: FormData): MaintenanceChoice[] {
  const out: MaintenanceChoice[] = [];
  for (const [key, value] of form.entries()) {
    const m = /^choice-(\d{1,10})$/.exec(key);
    if (!m || typeof value !== "string") continue;
    const bookingId = Number(m[1]);
    if (value === "cancel" || value === "keep") {
      out.push({ bookingId, action: value });
      continue;
    }
    const move = /^move\|(\d{1,10})\|(\d{1,15})\|(\d{1,15})$/.exec(value);
    if (!move) throw new ServiceError("invalid", "floor.validation.action", { field: key });
    out.push({ bookingId, action: "move", target: { machineId: Number(move[1]), start: Number(move[2]), end: Number(move[3]) } });
  }
  return out;
}

/** An affected booking as the pages show it. */
export function affectedView(a: Affected): FloorAffectedItem {
  return {
    bookingId: a.booking.id,
    ikmName: a.booking.ikm_name,
    machineCode: a.booking.machine_code,
    start: Number(a.booking.start_at),
    end: Number(a.booking.end_at),
    status: a.booking.status,
    movable: a.movable,
    proposal: a.proposal ? { machineId: a.proposal.machineId, machineCode: a.proposal.machineCode, start: a.proposal.start, end: a.proposal.end } : null,
  };
}
