/**
 * The JSON API's routes answered without Remix's page pipeline. Every API route is a resource
 * route (a loader and/or an action, no component), which Remix runs alone — no parent loaders —
 * but to find it Remix flattens and ranks all 60-odd routes on every request (about 0.4 ms of a
 * booking request's 3.7 ms, bench/README.md). Here the API routes are matched against patterns
 * compiled once from the same build, and their loader (GET) or action (POST, PUT, PATCH,
 * DELETE) is called exactly as Remix calls it, with the same request, params and context.
 * Anything else — pages (also `/api/docs`), HEAD, OPTIONS, the catch-all `/api/*` — goes to
 * Remix as before.
 */
import type { AppLoadContext, ServerBuild } from "@remix-run/node";

type Handler = (request: Request, context?: AppLoadContext) => Promise<Response>;
type RouteFunction = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;

interface ApiRoute {
  /** Literal segments, or null where the pattern has a parameter. */
  segments: (string | null)[];
  names: (string | null)[];
  /** Static segments rank before parameters, as in Remix. */
  score: number;
  loader?: RouteFunction;
  action?: RouteFunction;
}

function compile(build: ServerBuild): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const route of Object.values(build.routes)) {
    const path = route.path ?? "";
    if (!path.startsWith("api/") || path.includes("*") || path.includes("?")) continue;
    const parts = path.split("/");
    const mod = route.module as { loader?: RouteFunction; action?: RouteFunction; default?: unknown };
    // A page under /api (the API's documentation page) renders through Remix.
    if (mod.default) continue;
    routes.push({
      segments: parts.map((p) => (p.startsWith(":") ? null : p)),
      names: parts.map((p) => (p.startsWith(":") ? p.slice(1) : null)),
      score: parts.reduce((k, p) => k + (p.startsWith(":") ? 3 : 10), 0),
      loader: mod.loader,
      action: mod.action,
    });
  }
  return routes.sort((a, b) => b.score - a.score);
}

function match(routes: ApiRoute[], pathname: string): { route: ApiRoute; params: Record<string, string> } | null {
  const parts = pathname.slice(1).split("/");
  if (parts.length && parts[parts.length - 1] === "") parts.pop();
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const literal = route.segments[i];
      if (literal !== null) ok = literal === parts[i];
      else {
        try {
          params[route.names[i] as string] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
        ok &&= parts[i] !== "";
      }
    }
    if (ok) return { route, params };
  }
  return null;
}

const ACTION_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `remix` with the API's resource routes answered directly. */
export function withApiRoutes(build: ServerBuild, remix: Handler): Handler {
  const routes = compile(build);
  return async (request, context) => {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith("/api/")) return remix(request, context);
    const found = match(routes, pathname);
    const fn = !found ? undefined : request.method === "GET" ? found.route.loader : ACTION_METHODS.has(request.method) ? found.route.action : undefined;
    if (!found || !fn) return remix(request, context);
    try {
      const result = await fn({ request, params: found.params, context: context ?? {} });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };
}
