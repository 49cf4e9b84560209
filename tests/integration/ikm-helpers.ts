/**
 * Helpers of the IKM booking integration tests (ikm-*.test.ts): form posts, WIB date/time
 * strings, finding free time in this file's copy of the demo data, and reading the one-tap
 * alternative forms out of a page.
 */
import { expect } from "vitest";
import type { TestApp } from "../support/app";
import { TEST_NOW } from "../support/constants";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const WIB = 7 * HOUR;

export function post(fields: Record<string, string>, cookie: string): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields), headers: { Cookie: cookie } };
}

export function get(cookie: string): RequestInit {
  return { headers: { Cookie: cookie } };
}

/** "2026-12-02" and "08:00" of an instant in WIB. */
export function wibDate(ms: number): string {
  return new Date(ms + WIB).toISOString().slice(0, 10);
}
export function wibTime(ms: number): string {
  return new Date(ms + WIB).toISOString().slice(11, 16);
}
export function at(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+07:00`);
}

export interface Slot {
  machineId: number;
  date: string;
  start: string;
  end: string;
}

export function bookingFields(slot: Slot, extra: Record<string, string> = {}): Record<string, string> {
  return { machineId: String(slot.machineId), date: slot.date, start: slot.start, end: slot.end, weeks: "1", purpose: "", ...extra };
}

/**
 * The fields of a confirmed "book" post for a slot, taken from the page as a person gets them:
 * the form is posted once to be checked, and the confirmation's fingerprint (`checked`) is read
 * from the book button the page then shows (not forged with the production function). A slot
 * the page refuses offers no book button: the fields then carry no fingerprint, and posting them
 * shows the check again.
 */
/**
 * A "book" post for a slot the page would not offer a button for (a time refused at the check,
 * or taken since): what a stale or hand-made form sends. Its fingerprint is written out here as
 * the form's documented format (machine|date|start|end|assisted|weeks|ikm|reason), not computed
 * with the production function.
 */
export function staleConfirmFields(slot: Slot, extra: Record<string, string> = {}): Record<string, string> {
  const f = bookingFields(slot, extra);
  return { ...f, confirm: "1", checked: `${f.machineId}|${f.date}|${f.start}|${f.end}|0|${f.weeks}||` };
}

export async function confirmFields(app: TestApp, cookie: string, slot: Slot, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const f = bookingFields(slot, extra);
  const html = await (await app.fetch("/pesan", post(f, cookie))).text();
  const checked = /name="checked" value="([^"]*)"/.exec(html)?.[1];
  return checked === undefined ? { ...f, confirm: "1" } : { ...f, confirm: "1", checked: checked.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'") };
}

/** Machine id by code. */
export async function machineId(app: TestApp, code: string): Promise<number> {
  const m = await app.db.selectFrom("machines").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return m.id;
}

export async function ikmOf(app: TestApp, email: string): Promise<{ userId: number; ikmId: number; ikmName: string }> {
  const u = await app.db
    .selectFrom("users")
    .innerJoin("ikms", "ikms.id", "users.ikm_id")
    .select(["users.id", "users.ikm_id", "ikms.name"])
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  return { userId: u.id, ikmId: u.ikm_id as number, ikmName: u.name };
}

/**
 * The first free stretch of `minutes` on a machine from `fromDay` (days after the test day) on,
 * within 08.00–15.00 WIB on weekdays, clear of every slot-holding booking (with a 60-minute
 * margin, wider than any buffer), maintenance window and closure day. Found in the data, not
 * assumed.
 */
export async function freeSlot(app: TestApp, code: string, minutes: number, fromDay = 1, opts: { notDates?: string[] } = {}): Promise<Slot> {
  const id = await machineId(app, code);
  const closures = new Set((await app.db.selectFrom("closure_days").select("date").execute()).map((c) => c.date));
  for (let d = fromDay; d < fromDay + 25; d++) {
    const date = wibDate(TEST_NOW + d * DAY);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6 || closures.has(date) || opts.notDates?.includes(date)) continue;
    const busy = await app.db
      .selectFrom("bookings")
      .select(["start_at", "hold_end_at"])
      .where("machine_id", "=", id)
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .where("start_at", "<", at(date, "17:00"))
      .where("hold_end_at", ">", at(date, "07:00"))
      .execute();
    const maint = await app.db
      .selectFrom("maintenance_windows")
      .select(["start_at", "end_at"])
      .where("machine_id", "=", id)
      .where("start_at", "<", at(date, "17:00"))
      .where((eb) => eb.or([eb("end_at", "is", null), eb("end_at", ">", at(date, "07:00"))]))
      .execute();
    for (let h = 8 * 60; h + minutes <= 15 * 60; h += 30) {
      const startMs = at(date, "00:00") + h * 60_000;
      const endMs = startMs + minutes * 60_000;
      if (startMs < at(date, "13:00") && endMs > at(date, "11:30")) continue; // keep clear of breaks
      const margin = 60 * 60_000;
      const clash =
        busy.some((b) => Number(b.start_at) < endMs + margin && Number(b.hold_end_at) + margin > startMs) ||
        maint.some((m) => Number(m.start_at) < endMs && (m.end_at === null || Number(m.end_at) > startMs));
      if (!clash) return { machineId: id, date, start: wibTime(startMs), end: wibTime(endMs) };
    }
  }
  throw new Error(`no free slot on ${code}`);
}

/** A future slot-holding booking of another IKM than `notIkm`, on an active machine, with its machine code. */
export async function othersBooking(app: TestApp, notIkm: number, fromMs = TEST_NOW + DAY) {
  return app.db
    .selectFrom("bookings")
    .innerJoin("machines", "machines.id", "bookings.machine_id")
    .innerJoin("ikms", "ikms.id", "bookings.ikm_id")
    .select(["bookings.id", "bookings.machine_id", "bookings.start_at", "bookings.end_at", "bookings.ikm_id", "machines.code", "ikms.name as ikm_name"])
    .where("bookings.ikm_id", "!=", notIkm)
    .where("bookings.status", "=", "confirmed")
    .where("bookings.start_at", ">", fromMs)
    .where("machines.status", "=", "active")
    .where("machines.slot_minutes", "is", null)
    .orderBy("bookings.start_at")
    .executeTakeFirstOrThrow();
}

/** Counts of everything a booking decision could write. */
export async function writeCounts(app: TestApp) {
  const count = async (table: "bookings" | "booking_attempts" | "audit_events" | "notifications" | "booking_series") => {
    const r = await app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  return {
    bookings: await count("bookings"),
    attempts: await count("booking_attempts"),
    audit: await count("audit_events"),
    notifications: await count("notifications"),
    series: await count("booking_series"),
  };
}

/** The hidden fields of each one-tap alternative form in a page, in page order. */
export function alternativeForms(html: string): Array<Record<string, string>> {
  const list = html.split('class="alt-list"')[1];
  if (!list) return [];
  const items = list.split("</ul>")[0].split("<li>").slice(1);
  return items.map((item) => {
    const fields: Record<string, string> = {};
    for (const m of item.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) fields[m[1]] = decode(m[2]);
    return fields;
  });
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Location of a redirect, asserting it is one. */
export function location(res: Response): string {
  expect([301, 302, 303]).toContain(res.status);
  return res.headers.get("Location") ?? "";
}

/** Visible text of a page (tags stripped, entities decoded, whitespace collapsed). */
export function text(html: string): string {
  return decode(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );
}
