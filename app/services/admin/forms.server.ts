/**
 * The administration pages' form handling: run a parse-and-save step; what goes wrong becomes
 * the form's failure through the one mapping of app/utils/forms.server.ts, with the admin forms'
 * own field names (the weekly hours editor shows errors per weekday).
 */
import { translate } from "~/i18n";
import type { AuthUser } from "~/utils/auth.server";
import { ApiError } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { type RequestContext, contextOf } from "~/utils/context";
import type { AdminCtx } from "./common.server";
import { type FormFailure, failureOf } from "~/utils/forms.server";
import { ServiceError } from "../errors.server";

/** The form field a zod path is shown under: the weekly hours editor shows errors per weekday. */
export function adminField(path: PropertyKey[]): string {
  if (!path.length) return "_form";
  const [head, day] = path;
  if (head === "hours" && day !== undefined) return `hours.${String(day)}`;
  if (head === "weeklyQuotaMinutes") return "weeklyQuotaHours";
  return path.map(String).join(".");
}

export function adminCtx(user: AuthUser, context: Partial<RequestContext> | undefined): AdminCtx {
  return { user, now: now(), requestId: contextOf(context).requestId };
}

export type FormOutcome<T> = { ok: true; value: T } | ({ ok: false } & FormFailure);

/**
 * Run `fn`; bad input becomes {ok: false, errors} (400, or 409 for a state conflict). A record
 * that does not exist is a 404 response, a forbidden one a 403.
 */
export async function runForm<T>(fn: () => Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, ...failureOf(error, adminField) };
  }
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
