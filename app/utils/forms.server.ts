/**
 * One way to answer a failed page form, beside the API's apiRoute (api.server.ts): what a page
 * action can throw becomes the form's field errors with 400 (bad input) or 409 (a state conflict);
 * a missing record is the 404 page, a forbidden one the 403 page; anything else is rethrown (a
 * real fault, logged by the server). Never a 500 for bad input.
 */
import { data } from "@remix-run/node";
import { z } from "zod";
import { ServiceError } from "~/services/errors.server";
import { forbidden } from "./auth.server";
import type { FormError, FormErrors } from "./form-errors";

export interface FormFailure {
  status: 400 | 409;
  errors: FormErrors;
  /** The failure in one message (a service's own key, or the first field's). */
  message: FormError;
}

/** The form field a path names; a page may map paths to its own fields (the admin's weekly hours editor). */
export type FieldOf = (path: PropertyKey[]) => string;
const plainField: FieldOf = (path) => (path.length ? path.map(String).join(".") : "_form");

/** The parameters a service error carries: its `params`, and any plain value among its details. */
function paramsOf(error: ServiceError): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(error.details)) if (k !== "field" && (typeof v === "string" || typeof v === "number")) params[k] = v;
  return { ...params, ...((error.details.params as Record<string, string | number> | undefined) ?? {}) };
}

/** What a page action threw, as the form's failure; 404 and 403 are thrown as pages, anything unknown rethrown. */
export function failureOf(error: unknown, fieldOf: FieldOf = plainField): FormFailure {
  if (error instanceof z.ZodError) {
    const errors: FormErrors = {};
    for (const issue of error.issues) {
      const field = fieldOf(issue.path);
      if (field in errors) continue;
      errors[field] = { key: issue.code === "unrecognized_keys" ? "validation.unknownField" : issue.message.includes(".") ? issue.message : "validation.invalid" };
    }
    return { status: 400, errors, message: Object.values(errors)[0] ?? { key: "validation.invalid" } };
  }
  if (error instanceof ServiceError) {
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    if (error.code === "forbidden") throw forbidden();
    const message: FormError = { key: error.messageKey, params: paramsOf(error) };
    const errors: FormErrors = {};
    const fields = (error.details.fields ?? []) as Array<{ field: string; messageKey: string; params?: Record<string, string | number> }>;
    for (const f of fields) errors[fieldOf(f.field.split("."))] = { key: f.messageKey, params: f.params ?? {} };
    if (!fields.length) errors[typeof error.details.field === "string" ? fieldOf([error.details.field]) : "_form"] = message;
    return { status: error.code === "invalid_state" ? 409 : 400, errors, message };
  }
  throw error;
}

/** The response of a failed form: `{ok: false, errors}` with what the page shows again (its values, …). */
export function formFailure<E extends Record<string, unknown>>(failure: Pick<FormFailure, "status" | "errors">, extra: E = {} as E) {
  return data({ ok: false as const, errors: failure.errors, ...extra }, { status: failure.status });
}
