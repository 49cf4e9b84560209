/** Small helpers shared by the administration integration tests (admin-*.test.ts). */
import { expect } from "vitest";
import type { TestApp } from "../support/app";

export const ADMIN = "admin@giliran.test";
export const MANAGER = "manajer@giliran.test";
export const TECHNICIAN = "teknisi@giliran.test";
export const IKM1 = "ikm1@giliran.test";

/** The page's HTML with React's text separators removed and entities decoded, so messages can be matched whole. */
export async function pageText(res: Response): Promise<string> {
  const html = await res.text();
  return (
    html
      // React 18.3's renderToPipeableStream sends its whole 2 KB buffer when a multi-byte character
      // does not fit at the end, so stray NUL bytes appear there (browsers drop them in text).
      .replaceAll(String.fromCharCode(0), "")
      .replace(/<!-- -->/g, "")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
  );
}

export function postForm(app: TestApp, path: string, cookie: string, body: Record<string, string> | URLSearchParams | FormData) {
  return app.fetch(path, {
    method: "POST",
    headers: { Cookie: cookie },
    body: body instanceof URLSearchParams || body instanceof FormData ? body : new URLSearchParams(body),
  });
}

export function apiCall(app: TestApp, method: string, path: string, token: string, body?: unknown) {
  return app.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A form post that must fail with this status and show this message (and never a stack trace). */
export async function expectFormError(res: Response, status: number, message: string) {
  expect(res.status).toBe(status);
  const text = await pageText(res);
  expect(text).toContain(message);
  expect(text).not.toMatch(/at \w+ \(.*:\d+:\d+\)/);
  return text;
}

/** Each role's cookie, logged in once per file. */
export async function cookies(app: TestApp) {
  const [admin, manager, technician, ikm] = await Promise.all([app.login(ADMIN), app.login(MANAGER), app.login(TECHNICIAN), app.login(IKM1)]);
  return { admin, manager, technician, ikm };
}

/** GET as every role: admin and manager read (200), technician and IKM member are refused (403). */
export async function expectReadPermissions(app: TestApp, path: string, c: Awaited<ReturnType<typeof cookies>>) {
  for (const [who, cookie, status] of [
    ["admin", c.admin, 200],
    ["manager", c.manager, 200],
    ["technician", c.technician, 403],
    ["ikm", c.ikm, 403],
  ] as const) {
    const res = await app.fetch(path, { headers: { Cookie: cookie } });
    expect(res.status, `${who} GET ${path}`).toBe(status);
  }
}

/** POST as every non-admin role: refused with 403, nothing written. */
export async function expectWriteForbidden(app: TestApp, path: string, body: Record<string, string>, c: Awaited<ReturnType<typeof cookies>>) {
  for (const [who, cookie] of [
    ["manager", c.manager],
    ["technician", c.technician],
    ["ikm", c.ikm],
  ] as const) {
    const res = await postForm(app, path, cookie, body);
    expect(res.status, `${who} POST ${path}`).toBe(403);
  }
}

/**
 * The first free span of `minutes` on a machine within a local day ("2026-12-03"), from the
 * availability API, starting on the half-hour grid and not before `notBefore`.
 */
export async function freeSlot(app: TestApp, token: string, machineId: number, day: string, minutes: number, notBefore = 0) {
  const from = encodeURIComponent(`${day}T00:00:00+07:00`);
  const to = encodeURIComponent(`${day}T23:59:00+07:00`);
  const res = await apiCall(app, "GET", `/api/v1/machines/${machineId}/availability?from=${from}&to=${to}`, token);
  expect(res.status).toBe(200);
  const { free } = (await res.json()) as { free: Array<{ start: string; end: string }> };
  const HALF = 30 * 60_000;
  for (const f of free) {
    const start = Math.ceil(Math.max(Date.parse(f.start), notBefore) / HALF) * HALF;
    const end = start + minutes * 60_000;
    if (end <= Date.parse(f.end)) return { start, end };
  }
  throw new Error(`no free ${minutes} min on machine ${machineId} on ${day}`);
}

/** An ISO instant with the WIB offset, as the API wants it. */
export function wib(ms: number): string {
  return `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}
