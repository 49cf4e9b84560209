/**
 * The JSON API's frame: bearer-token users, the error shape {"error": {code, message, details}},
 * JSON bodies parsed with a size limit and zod, and one wrapper that turns every failure into
 * the right status — never a 500 with a stack trace.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { type Lang, parseLang, translate } from "~/i18n";
import { ServiceError } from "~/services/errors.server";
import { type AuthUser, toAuthUser } from "./auth.server";
import { now } from "./clock.server";
import { contextOf } from "./context";
import { db } from "./db.server";
import { API_BODY_LIMIT } from "./http.server";
import { type Permission, can } from "./permissions";
import { userForToken } from "./session.server";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

function requestLang(request: Request, user?: AuthUser | null): Lang {
  if (user) return user.language;
  const accept = request.headers.get("Accept-Language") ?? "";
  return parseLang(accept.toLowerCase().startsWith("en") ? "en" : "id");
}

/** A JSON answer with its length, so that small ones go out uncompressed (compression's 1 KB threshold). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)), ...headers },
  });
}

export function bearerToken(request: Request): string | null {
  const h = request.headers.get("Authorization") ?? "";
  const m = /^Bearer\s+([A-Za-z0-9_-]{10,200})$/.exec(h.trim());
  return m ? m[1] : null;
}

export async function apiUser(request: Request): Promise<AuthUser> {
  const token = bearerToken(request);
  const user = token ? await userForToken(db(), token, "api", now()) : null;
  if (!user) throw new ApiError(401, "unauthorized", "api.error.unauthorized", {}, { "WWW-Authenticate": "Bearer" });
  return toAuthUser(user);
}

export async function apiPermission(request: Request, permission: Permission): Promise<AuthUser> {
  const user = await apiUser(request);
  if (!can(user, permission)) throw new ApiError(403, "forbidden", "api.error.forbidden");
  return user;
}

/** zod issues → details.fields[{field, message}] in the caller's language. */
function zodDetails(error: z.ZodError, lang: Lang) {
  return {
    fields: error.issues.map((i) => {
      const field = i.path.join(".") || (i.code === "unrecognized_keys" ? (i.keys ?? []).join(",") : "body");
      const key = i.code === "unrecognized_keys" ? "validation.unknownField" : i.message;
      const message = key.includes(".") ? translate(lang, key) : translate(lang, "validation.invalid");
      return { field, message };
    }),
  };
}

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > API_BODY_LIMIT) throw new ApiError(400, "body_too_large", "api.error.bodyTooLarge");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "api.error.invalidJson");
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw r.error;
  return r.data;
}

export function queryObject(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(request.url).searchParams) out[k] = v;
  return out;
}

export interface ApiArgs {
  request: Request;
  params: Record<string, string | undefined>;
  requestId: string;
  ip: string;
}

type ApiFn = (args: ApiArgs) => Promise<Response>;

/** One POST /api/v1/bookings/:id/<action> handler (the body is already read, not yet parsed). */
export type BookingAction = (args: ApiArgs & { user: AuthUser; id: number; body: unknown }) => Promise<Response>;

/** Wraps an API handler: every error becomes the documented JSON shape and status. */
export function apiHandler(fn: ApiFn) {
  return async ({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    const ctx = contextOf(context);
    try {
      return await fn({ request, params, requestId: ctx.requestId, ip: ctx.ip });
    } catch (error) {
      if (error instanceof Response) return error;
      const lang = requestLang(request);
      if (error instanceof ApiError) {
        return json({ error: { code: error.code, message: translate(lang, error.messageKey), details: error.details } }, error.status, error.headers);
      }
      if (error instanceof z.ZodError) {
        return json({ error: { code: "invalid_input", message: translate(lang, "api.error.invalid"), details: zodDetails(error, lang) } }, 400);
      }
      if (error instanceof ServiceError) {
        const status = { not_found: 404, forbidden: 403, invalid: 400, invalid_state: 409 }[error.code];
        const code = error.code === "invalid" ? "invalid_input" : error.code;
        return json({ error: { code, message: translate(lang, error.messageKey, error.details.params as Record<string, string | number> | undefined), details: error.details } }, status);
      }
      console.error(JSON.stringify({ level: "error", requestId: ctx.requestId, path: new URL(request.url).pathname, error: String((error as Error)?.stack ?? error) }));
      return json({ error: { code: "server_error", message: "Internal error", details: { requestId: ctx.requestId } } }, 500);
    }
  };
}

/** Method dispatch for a resource route: GET → loader, the rest → action; others get 405. */
export function apiRoute(handlers: Partial<Record<"GET" | "POST" | "PATCH" | "DELETE", ApiFn>>) {
  const dispatch = apiHandler(async (args) => {
    const fn = handlers[args.request.method as keyof typeof handlers];
    if (!fn) throw new ApiError(405, "method_not_allowed", "api.error.methodNotAllowed");
    return fn(args);
  });
  return { loader: dispatch, action: dispatch };
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}
