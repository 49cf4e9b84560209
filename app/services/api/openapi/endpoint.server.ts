/**
 * What one endpoint of the OpenAPI document says, and the response entries every list repeats.
 * A leaf: the endpoint lists (core, floor, rounds, machines) import it, the document imports
 * the lists; nothing here imports back.
 */
import type { z } from "zod";
import { ErrorBody } from "~/schemas/api-responses";

type Method = "get" | "post" | "patch" | "delete";

export interface Endpoint {
  method: Method;
  /** OpenAPI path, parameters in braces: /api/v1/bookings/{id} */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it (in words); undefined = no token needed. */
  roles?: string;
  query?: z.ZodObject | z.ZodType;
  body?: z.ZodType;
  /** `csv`: the response may also be text/csv (format=csv). */
  responses: Record<number, { description: string; schema?: z.ZodType; csv?: boolean }>;
}

/** An error response: `{error: {code, message, details}}` with the given status. */
export const errorResponse = (status: number, description: string) => ({ [status]: { description, schema: ErrorBody } });

export const AUTH = errorResponse(401, "No, wrong or expired token");

/** 400 for malformed input; `more` adds what else the endpoint reports as a field error. */
export const invalidResponse = (more?: string) => errorResponse(400, `Malformed input: details.fields names each bad field${more ? ` (${more})` : ""}`);

export const ANY = "any logged-in user";
export const STAFF = "technician, manager, admin";
