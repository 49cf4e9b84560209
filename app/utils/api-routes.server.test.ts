import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { withApiRoutes } from "./api-routes.server";

type Call = { route: string; method: string; params: Record<string, string> };

/** A build with a few API routes shaped like Giliran's, each answering who it is. */
function setup() {
  const calls: Call[] = [];
  const fn = (route: string, method: string) => async ({ params }: { params: Record<string, string> }) => {
    calls.push({ route, method, params });
    return new Response(route);
  };
  const route = (id: string, path: string, mod: Record<string, unknown>) => [id, { id, path, parentId: "root", module: mod }];
  const routes = Object.fromEntries([
    ["root", { id: "root", path: "", module: {} }],
    route("bookings", "api/v1/bookings", { loader: fn("bookings", "loader"), action: fn("bookings", "action") }),
    route("booking", "api/v1/bookings/:id", { loader: fn("booking", "loader") }),
    route("booking-action", "api/v1/bookings/:id/:action", { action: fn("booking-action", "action") }),
    route("round-allocate", "api/v1/rounds/:id/allocate", { action: fn("round-allocate", "action") }),
    route("round-other", "api/v1/rounds/:id/:what", { action: fn("round-other", "action") }),
    route("thrower", "api/v1/thrower", { loader: async () => { throw new Response("thrown", { status: 418 }); } }),
    route("plain", "api/v1/plain", { loader: async () => ({ ok: true }) }),
    route("catch-all", "api/*", { loader: fn("catch-all", "loader") }),
    route("page", "jadwal", { loader: fn("page", "loader"), default: () => null }),
    route("docs", "api/docs", { loader: fn("docs", "loader"), default: () => null }),
  ]);
  const remixCalls: string[] = [];
  const handler = withApiRoutes({ routes } as unknown as ServerBuild, async (request) => {
    remixCalls.push(`${request.method} ${new URL(request.url).pathname}`);
    return new Response("remix");
  });
  const send = async (method: string, path: string) => (await handler(new Request(`http://x${path}`, { method }))).text();
  return { calls, remixCalls, send, handler };
}

describe("the API's routes answered without Remix", () => {
  it("calls the loader for GET and the action for POST, PUT, PATCH and DELETE, with decoded params", async () => {
    const t = setup();
    expect(await t.send("GET", "/api/v1/bookings")).toBe("bookings");
    expect(await t.send("POST", "/api/v1/bookings/")).toBe("bookings");
    expect(await t.send("GET", "/api/v1/bookings/%31%32")).toBe("booking");
    expect(await t.send("DELETE", "/api/v1/bookings/7/cancel")).toBe("booking-action");
    expect(t.calls).toEqual([
      { route: "bookings", method: "loader", params: {} },
      { route: "bookings", method: "action", params: {} },
      { route: "booking", method: "loader", params: { id: "12" } },
      { route: "booking-action", method: "action", params: { id: "7", action: "cancel" } },
    ]);
    expect(t.remixCalls).toEqual([]);
  });

  it("ranks a literal segment before a parameter, as Remix does", async () => {
    const t = setup();
    expect(await t.send("POST", "/api/v1/rounds/3/allocate")).toBe("round-allocate");
    expect(await t.send("POST", "/api/v1/rounds/3/replay")).toBe("round-other");
  });

  it("leaves to Remix what it does not answer itself: no such route, no such method, HEAD, pages, bad encoding", async () => {
    const t = setup();
    for (const [method, path] of [
      ["GET", "/api/v1/nothing/here/at/all"],
      ["GET", "/api/v2/bookings"],
      ["POST", "/api/v1/bookings/7"], // a loader only
      ["GET", "/api/v1/bookings/7/cancel"], // an action only
      ["HEAD", "/api/v1/bookings"],
      ["OPTIONS", "/api/v1/bookings"],
      ["GET", "/jadwal"],
      ["GET", "/api/docs"], // a page under /api
      ["GET", "/api/v1/bookings/%E0%A4%A"],
      ["GET", "/api//v1/bookings"],
    ]) {
      expect(await t.send(method, path), `${method} ${path}`).toBe("remix");
    }
    expect(t.calls).toEqual([]);
    expect(t.remixCalls).toHaveLength(10);
  });

  it("answers a thrown Response as Remix would, and a plain value as JSON", async () => {
    const t = setup();
    const thrown = await t.handler(new Request("http://x/api/v1/thrower"));
    expect(thrown.status).toBe(418);
    expect(await thrown.text()).toBe("thrown");
    const plain = await t.handler(new Request("http://x/api/v1/plain"));
    expect(await plain.json()).toEqual({ ok: true });
  });
});
