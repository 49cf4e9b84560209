/**
 * The administration pages' form handling: run a parse-and-save step and turn what can go wrong
 * (a zod issue, a service's field error, a unique index, a state conflict) into field errors for
 * the form, or into the right status. Never a 500 for bad input.
 */
import { data } from "@remix-run/node";
import { z } from "zod";
import { translate } from "~/i18n";
import type { AuthUser } from "~/utils/auth.server";
import { ApiError } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { type RequestContext, contextOf } from "~/utils/context";
import { type AdminCtx, serviceFieldErrors } from "./common.server";
import { ServiceError } from "../errors.server";

export type FormError = { key: string; params?: Record<string, string | number> };
export type FormErrors = Record<string, FormError>;

/** The form field a zod path is shown under: the weekly hours editor shows errors per weekday. */
function formField(path: PropertyKey[]): string {
  if (!path.length) return "_form";
  const [head, day] = path;
  if (head === "hours" && day !== undefined) return `hours.${String(day)}`;
  if (head === "weeklyQuotaMinutes") return "weeklyQuotaHours";
  return path.map(String).join(".");
}

export function zodFormErrors(error: z.ZodError): FormErrors {
  const out: FormErrors = {};
  for (const issue of error.issues) {
    const key = formField(issue.path);
    if (key in out) continue;
    out[key] = { key: issue.code === "unrecognized_keys" ? "validation.unknownField" : issue.message.includes(".") ? issue.message : "validation.invalid" };
  }
  return out;
}

export function adminCtx(user: AuthUser, context: Partial<RequestContext> | undefined): AdminCtx {
  return { user, now: now(), requestId: contextOf(context).requestId };
}

export type FormOutcome<T> = { ok: true; value: T } | { ok: false; status: number; errors: FormErrors };

/**
 * Run `fn`; bad input becomes {ok: false, errors} (400, or 409 for a state conflict). A record
 * that does not exist is a 404 response, a forbidden one a 403.
 */
export async function runForm<T>(fn: () => Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof z.ZodError) return { ok: false, status: 400, errors: zodFormErrors(error) };
    if (error instanceof ServiceError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      if (error.code === "forbidden") throw new Response("Forbidden", { status: 403 });
      const fields = serviceFieldErrors(error);
      const errors: FormErrors = {};
      for (const [f, e] of Object.entries(fields)) errors[f === "weeklyQuotaMinutes" ? "weeklyQuotaHours" : f] = { key: e.key, params: e.params };
      return { ok: false, status: error.code === "invalid_state" ? 409 : 400, errors };
    }
    throw error;
  }
}

/** The response of a failed form: the errors and the values to show again. */
export function formFailure<E extends Record<string, string> = Record<never, string>>(outcome: { status: number; errors: FormErrors }, values: Record<string, unknown>, extra?: E) {
  return data({ ok: false as const, errors: outcome.errors, values: values as Record<string, string | string[]>, ...(extra as E) }, { status: outcome.status });
}

/** The posted `intent` (which button of a page's forms was pressed). */
export function intentOf(form: FormData): string {
  const v = form.get("intent");
  return typeof v === "string" ? v : "";
}

/**
 * For the API: a service's field errors as the documented 400
 * ({code: "invalid_input", details: {fields: [{field, message}]}}) in the caller's language.
 */
export function apiFieldErrors(error: unknown, lang: "id" | "en"): unknown {
  if (!(error instanceof ServiceError) || error.code !== "invalid" || !Array.isArray(error.details.fields)) return error;
  const fields = (error.details.fields as Array<{ field: string; messageKey: string; params?: Record<string, string | number> }>).map((f) => ({
    field: f.field,
    message: translate(lang, f.messageKey, f.params),
  }));
  return new ApiError(400, "invalid_input", "api.error.invalid", { fields });
}
