/**
 * The request pipeline around Remix's handler, used by server.js and by the integration tests
 * alike: request id, CSP nonce, CSRF origin check for form posts, body-size limit for the API,
 * security headers on every response, a structured log line, and no stack trace ever.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type AppLoadContext, type ServerBuild, createRequestHandler } from "@remix-run/node";
import { withApiRoutes } from "./api-routes.server";
import type { RequestContext } from "./context";
import { getEnv } from "./env.server";

type Handler = (request: Request, context?: AppLoadContext) => Promise<Response>;

export const API_BODY_LIMIT = 64 * 1024;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function securityHeaders(headers: Headers, nonce: string, path: string) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", csp);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (path.startsWith("/api/") && !headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}

/** A form post from another site is refused: the Origin (or Referer) must be this host. */
export function isCrossSite(request: Request): boolean {
  const url = new URL(request.url);
  const origin = request.headers.get("Origin") ?? request.headers.get("Referer");
  if (!origin || origin === "null") return origin === "null";
  try {
    return new URL(origin).host !== url.host;
  } catch {
    return true;
  }
}

function errorResponse(status: number, code: string, message: string, isApi: boolean): Response {
  if (isApi) {
    return new Response(JSON.stringify({ error: { code, message, details: {} } }), {
      status,
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  }
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function wrapAppHandler(handler: Handler): (request: Request, ctx?: Partial<RequestContext>) => Promise<Response> {
  return async (request, ctx) => {
    const started = performance.now();
    const requestId = ctx?.requestId ?? randomUUID();
    const nonce = ctx?.nonce ?? randomBytes(16).toString("base64");
    const context: RequestContext = { requestId, nonce, ip: ctx?.ip ?? "unknown" };
    const url = new URL(request.url);
    const isApi = url.pathname.startsWith("/api/");
    let response: Response;
    try {
      if (UNSAFE.has(request.method) && !isApi && isCrossSite(request)) {
        response = errorResponse(403, "csrf", "Cross-site form post refused.", false);
      } else if (isApi && Number(request.headers.get("Content-Length") ?? 0) > API_BODY_LIMIT) {
        response = errorResponse(400, "body_too_large", `Request body exceeds ${API_BODY_LIMIT} bytes.`, true);
      } else {
        response = await handler(request, context);
      }
    } catch (error) {
      console.error(JSON.stringify({ level: "error", requestId, path: url.pathname, error: String((error as Error)?.message ?? error) }));
      response = errorResponse(500, "server_error", "Internal error. Request id: " + requestId, isApi);
    }
    // Headers of a response from Remix may be immutable: copy when needed.
    let headers: Headers;
    try {
      headers = response.headers;
      headers.set("X-Request-Id", requestId);
    } catch {
      response = new Response(response.body, response);
      headers = response.headers;
      headers.set("X-Request-Id", requestId);
    }
    securityHeaders(headers, nonce, url.pathname);
    if (getEnv().LOG_REQUESTS === "1") {
      console.log(
        JSON.stringify({
          t: new Date().toISOString(),
          requestId,
          method: request.method,
          path: url.pathname,
          status: response.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        }),
      );
    }
    return response;
  };
}

/**
 * The app's request handler as server.js and the integration tests run it: Giliran's pipeline
 * (request id, CSRF and size checks, security headers, the request log) around the JSON API's
 * routes (answered directly, app/utils/api-routes.server.ts) and Remix for everything else.
 */
export function createAppHandler(build: ServerBuild): (request: Request, ctx?: Partial<RequestContext>) => Promise<Response> {
  return wrapAppHandler(withApiRoutes(build, createRequestHandler(build, "production")));
}
