/**
 * The real app for integration tests: the built server bundle's request handler wrapped in the
 * same pipeline as server.js, on this test file's own database copy (SQLite or PostgreSQL). No mocks.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "../../db/connection";
import { BUILD_DIR, DEMO_PASSWORD } from "./constants";

export const BASE = "http://localhost:3000";

export interface TestApp {
  fetch(pathname: string, init?: RequestInit & { ip?: string }): Promise<Response>;
  db: Db;
  /** Log in through the login form; returns the Cookie header value. */
  login(login: string, password?: string): Promise<string>;
  /** Log in through the API; returns the bearer token. */
  apiLogin(login: string, password?: string): Promise<string>;
  setNow(iso: string): void;
  /** Run the server's background jobs once (waitlist expiry, reminders, round cut-offs). */
  runJobs(): Promise<void>;
}

let cached: Promise<TestApp> | null = null;
let closeLoaded: (() => Promise<void>) | null = null;

/** Close the loaded app's database connections (after the test file; a no-op when none was loaded). */
export async function closeLoadedApp(): Promise<void> {
  const close = closeLoaded;
  closeLoaded = null;
  cached = null;
  if (close) await close();
}

export function loadApp(): Promise<TestApp> {
  cached ??= (async () => {
    const build = await import(pathToFileURL(path.resolve(BUILD_DIR, "server/index.js")).href);
    const entry = build.entry.module;
    await entry.initDatabase();
    closeLoaded = () => entry.closeDatabase();
    const handler = entry.createAppHandler(build);
    const app: TestApp = {
      db: entry.openedDb().db,
      async fetch(pathname, init = {}) {
        const { ip, ...rest } = init;
        const headers = new Headers(rest.headers);
        if (!headers.has("Host")) headers.set("Host", new URL(BASE).host);
        if (rest.method && rest.method !== "GET" && !headers.has("Origin")) headers.set("Origin", BASE);
        return handler(new Request(BASE + pathname, { ...rest, headers, redirect: "manual" }), { ip: ip ?? "127.0.0.1" });
      },
      async login(login, password = DEMO_PASSWORD) {
        const res = await app.fetch("/login", { method: "POST", body: new URLSearchParams({ login, password }) });
        const cookie = res.headers.get("Set-Cookie");
        if (res.status !== 302 || !cookie) throw new Error(`login failed for ${login}: ${res.status}`);
        return cookie.split(";")[0];
      },
      async apiLogin(login, password = DEMO_PASSWORD) {
        const res = await app.fetch("/api/v1/session", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ login, password }),
        });
        if (res.status !== 200) throw new Error(`api login failed for ${login}: ${res.status}`);
        return ((await res.json()) as { token: string }).token;
      },
      setNow(iso) {
        process.env.GILIRAN_NOW = iso;
      },
      runJobs: () => entry.runJobs(),
    };
    return app;
  })();
  return cached;
}
