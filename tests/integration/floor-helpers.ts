/** Shared helpers of the technician-console integration tests (tests/integration/floor-*.test.ts). */
import { expect } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW, TEST_NOW_ISO } from "../support/constants";

export interface Floor {
  app: TestApp;
  tech: string;
  techCookie: string;
}

export async function floorSetup(): Promise<Floor> {
  const app = await loadApp();
  app.setNow(TEST_NOW_ISO);
  const [tech, techCookie] = await Promise.all([app.apiLogin("teknisi@giliran.test"), app.login("teknisi@giliran.test")]);
  return { app, tech, techCookie };
}

/** "2026-12-01" + "13:00" → an ISO instant with the WIB offset. */
export function wib(date: string, time: string): string {
  return `${date}T${time}:00+07:00`;
}

export const TODAY = "2026-12-01";
export const YESTERDAY = "2026-11-30";

export async function api(app: TestApp, token: string | null, method: string, path: string, body?: unknown) {
  const res = await app.fetch(path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A form post as a browser without JavaScript sends it. */
export function post(app: TestApp, cookie: string, path: string, fields: Record<string, string | number>) {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return app.fetch(path, { method: "POST", headers: { Cookie: cookie }, body });
}

export function page(app: TestApp, cookie: string, path: string) {
  return app.fetch(path, { headers: { Cookie: cookie } });
}

/** Book as the technician (staff may book any IKM; the override reason lets test setup skip quotas). */
export async function book(
  f: Floor,
  b: { machineId: number; ikmId: number; start: string; end: string; purpose?: string; source?: "walk_in" | "backfill"; assisted?: boolean },
): Promise<{ id: number; status: string; start: string; end: string }> {
  const res = await api(f.app, f.tech, "POST", "/api/v1/bookings", { purpose: "Uji lantai bengkel", overrideReason: "persiapan uji", ...b });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.booking;
}

/**
 * A booking that holds the given slot: booked now, or — when the demo already has one there
 * (today's seeded bookings) — the one that holds it.
 */
export async function heldSlot(f: Floor, b: { machineId: number; ikmId: number; start: string; end: string; source?: "walk_in" | "backfill" }) {
  const res = await api(f.app, f.tech, "POST", "/api/v1/bookings", { purpose: "Uji lantai bengkel", overrideReason: "persiapan uji", ...b });
  const id: number | undefined = res.status === 201 ? res.body.booking.id : res.body.error?.details?.violations?.find((v: { code: string }) => v.code === "OVERLAP")?.conflict?.id;
  expect(id, JSON.stringify(res.body)).toBeDefined();
  return f.app.db.selectFrom("bookings").selectAll().where("id", "=", id as number).executeTakeFirstOrThrow();
}

export async function machineByCode(app: TestApp, code: string) {
  return app.db.selectFrom("machines").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
}

/** An IKM that has at least one active member login, with no restriction and room for more bookings. */
export async function ikmWithMember(app: TestApp, skip: number[] = []) {
  const rows = await app.db
    .selectFrom("ikms")
    .innerJoin("users", "users.ikm_id", "ikms.id")
    .select(["ikms.id", "ikms.name", "users.email"])
    .where("users.active", "=", 1)
    .where("users.email", "is not", null)
    .where("ikms.restricted_until", "is", null)
    .orderBy("ikms.id")
    .execute();
  for (const row of rows) {
    if (skip.includes(row.id)) continue;
    const active = await app.db.selectFrom("bookings").select("id").where("ikm_id", "=", row.id).where("start_at", ">", TEST_NOW).where("status", "in", ["pending", "confirmed"]).execute();
    if (active.length < 8) return row;
  }
  throw new Error("no IKM with a member and room for bookings");
}

export async function notificationsOf(app: TestApp, ikmId: number, kind: string, bookingId?: number) {
  let q = app.db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .selectAll("notifications")
    .where("users.ikm_id", "=", ikmId)
    .where("notifications.kind", "=", kind);
  if (bookingId !== undefined) q = q.where("notifications.booking_id", "=", bookingId);
  return q.execute();
}

export async function auditOf(app: TestApp, entity: string, id: number | string, action?: string) {
  let q = app.db.selectFrom("audit_events").selectAll().where("entity", "=", entity).where("entity_id", "=", String(id));
  if (action) q = q.where("action", "=", action);
  return q.orderBy("id").execute();
}

/** Text of an HTML page without tags (for "the page says…" checks). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** An IKM with a member holding a valid qualification for the machine's type. */
export async function qualifiedIkm(app: TestApp, machine: { type_id: number }, at: number) {
  const row = await app.db
    .selectFrom("qualifications")
    .innerJoin("users", "users.id", "qualifications.user_id")
    .innerJoin("ikms", "ikms.id", "users.ikm_id")
    .select(["ikms.id", "ikms.name"])
    .where("qualifications.machine_type_id", "=", machine.type_id)
    .where("qualifications.valid_until", ">", at)
    .where("ikms.restricted_until", "is", null)
    .orderBy("ikms.id")
    .executeTakeFirstOrThrow();
  return row;
}
