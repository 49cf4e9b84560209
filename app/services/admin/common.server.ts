/** Small helpers shared by the administration services: field errors, unique indexes, local dates. */
import { uniqueViolationColumn } from "#db/connection";
import { localDateKey, zonedInstant } from "~/scheduling";
import type { Ctx } from "../booking/decision-input.server";
import { ServiceError } from "../errors.server";

export type AdminCtx = Ctx;

/**
 * A bad value of one field, found by a service (after the schema): the form shows it under the
 * field, the API lists it in details.fields. `params` fill the message's placeholders.
 */
export function fieldError(field: string, messageKey: string, params: Record<string, string | number> = {}): ServiceError {
  return new ServiceError("invalid", messageKey, { field, fields: [{ field, messageKey, params }] });
}

/** Field errors carried by a ServiceError from fieldError(), as {field: {key, params}}. */
export function serviceFieldErrors(error: ServiceError): Record<string, { key: string; params: Record<string, string | number> }> {
  const out: Record<string, { key: string; params: Record<string, string | number> }> = {};
  const fields = (error.details.fields ?? []) as Array<{ field: string; messageKey: string; params?: Record<string, string | number> }>;
  for (const f of fields) out[f.field] = { key: f.messageKey, params: f.params ?? {} };
  if (!fields.length) out._form = { key: error.messageKey, params: (error.details.params as Record<string, string | number>) ?? {} };
  return out;
}

/**
 * Run a write; a unique index refusing it becomes a field error (never a 500). `columns` maps
 * the index's column to the form field and its message.
 */
export async function withUniqueFields<T>(columns: Record<string, [field: string, messageKey: string]>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const column = uniqueViolationColumn(error);
    if (column && columns[column]) throw fieldError(columns[column][0], columns[column][1]);
    throw error;
  }
}

/** Local midnight (facility zone) at the start of a "YYYY-MM-DD" date. */
export function startOfLocalDate(dateKey: string, timeZone: string): number {
  return zonedInstant(dateKey, "00:00", timeZone);
}

/** The "YYYY-MM-DD" after a date key. */
export function nextDateKey(dateKey: string): string {
  const [y, m, d] = dateKey.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function todayKey(now: number, timeZone: string): string {
  return localDateKey(now, timeZone);
}

/** A user row without its secrets, for the audit trail. */
export function publicUser<T extends { password_hash?: string; calendar_token_hash?: string | null }>(u: T) {
  const { password_hash: _p, calendar_token_hash: _c, ...rest } = u;
  return rest;
}
