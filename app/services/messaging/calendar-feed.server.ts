/**
 * The personal calendar feed (/kalender/<token>.ics): a secret, revocable token per IKM member
 * (only its sha256 is stored, in users.calendar_token_hash), and the feed of the member's IKM's
 * bookings from 60 days ago onward. Cancelled, rejected and no-show bookings stay in the feed as
 * STATUS:CANCELLED so subscribed calendars remove them (left out, a calendar that already holds the
 * event would keep showing it as confirmed). DTSTAMP is the feed's generation time (RFC 5545 with
 * METHOD); when the booking last changed is LAST-MODIFIED.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "#db/connection";
import { type Lang, parseLang, translate } from "~/i18n";
import { DAY_MS } from "~/scheduling";
import { loadFacility } from "~/models/scheduling.server";
import { type Principal, can } from "~/utils/permissions";
import { hashToken } from "~/utils/session.server";
import { audit } from "../audit.server";
import { ServiceError } from "../errors.server";
import { type IcsEvent, type IcsStatus, buildCalendar } from "./ics.server";

export const FEED_PAST_DAYS = 60;
const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

interface Ctx {
  user: Principal;
  now: number;
  requestId?: string;
}

function requireIkmMember(user: Principal): void {
  if (!can(user, "booking:own") || user.ikmId === null) throw new ServiceError("forbidden", "error.forbidden.title");
}

export async function hasCalendarToken(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom("users").select("calendar_token_hash").where("id", "=", userId).executeTakeFirst();
  return !!row?.calendar_token_hash;
}

/** Issue a new token (replacing any old one, whose URL stops working). The token is returned once and never stored. */
export async function issueCalendarToken(db: Db, ctx: Ctx): Promise<string> {
  requireIkmMember(ctx.user);
  const token = randomBytes(24).toString("base64url");
  const replaced = await hasCalendarToken(db, ctx.user.id);
  await db.updateTable("users").set({ calendar_token_hash: hashToken(token), updated_at: ctx.now }).where("id", "=", ctx.user.id).execute();
  await audit(db, {
    actorUserId: ctx.user.id,
    action: replaced ? "calendar_feed.regenerate" : "calendar_feed.create",
    entity: "user",
    entityId: ctx.user.id,
    requestId: ctx.requestId,
    at: ctx.now,
  });
  return token;
}

export async function revokeCalendarToken(db: Db, ctx: Ctx): Promise<void> {
  requireIkmMember(ctx.user);
  await db.updateTable("users").set({ calendar_token_hash: null, updated_at: ctx.now }).where("id", "=", ctx.user.id).execute();
  await audit(db, { actorUserId: ctx.user.id, action: "calendar_feed.revoke", entity: "user", entityId: ctx.user.id, requestId: ctx.requestId, at: ctx.now });
}

const STATUS_OF: Record<string, IcsStatus> = {
  pending: "TENTATIVE",
  confirmed: "CONFIRMED",
  checked_in: "CONFIRMED",
  completed: "CONFIRMED",
  // Did not happen and holds no slot (DESIGN.md): off the calendar like a cancellation.
  no_show: "CANCELLED",
  cancelled: "CANCELLED",
  rejected: "CANCELLED",
};

/** The feed for a token, or null for an unknown or revoked token (or a member no longer active). */
export async function calendarFeed(db: Db, token: string, now: number): Promise<string | null> {
  if (!TOKEN_RE.test(token)) return null;
  const user = await db
    .selectFrom("users")
    .select(["id", "ikm_id", "language", "role"])
    .where("calendar_token_hash", "=", hashToken(token))
    .where("active", "=", 1)
    .executeTakeFirst();
  if (user?.role !== "ikm" || user.ikm_id === null) return null;
  const lang: Lang = parseLang(user.language);
  const [facility, ikm, rows] = await Promise.all([
    loadFacility(db),
    db.selectFrom("ikms").select("name").where("id", "=", user.ikm_id).executeTakeFirstOrThrow(),
    db
      .selectFrom("bookings")
      .innerJoin("machines", "machines.id", "bookings.machine_id")
      .select([
        "bookings.id",
        "bookings.start_at",
        "bookings.end_at",
        "bookings.status",
        "bookings.purpose",
        "bookings.status_reason",
        "bookings.created_at",
        "bookings.updated_at",
        "machines.code",
        "machines.name",
        "machines.location",
      ])
      .where("bookings.ikm_id", "=", user.ikm_id)
      .where("bookings.end_at", ">", now - FEED_PAST_DAYS * DAY_MS)
      .orderBy("bookings.start_at")
      .limit(2000)
      .execute(),
  ]);
  const events: IcsEvent[] = rows.map((b) => {
    const statusText = translate(lang, `status.${b.status}`);
    const description = [b.purpose.trim(), `${translate(lang, "ikm.ics.status")}: ${statusText}`, b.status_reason ? `${translate(lang, "ikm.ics.reason")}: ${b.status_reason}` : ""]
      .filter(Boolean)
      .join("\n");
    const created = Number(b.created_at);
    const updated = Math.max(created, Number(b.updated_at));
    return {
      uid: `booking-${b.id}@giliran`,
      stamp: now,
      created,
      lastModified: updated,
      sequence: Math.max(0, Math.floor((updated - created) / 1000)),
      start: Number(b.start_at),
      end: Number(b.end_at),
      summary: `${b.code} ${b.name}`,
      location: b.location ? `${facility.name}, ${b.location}` : facility.name,
      description,
      status: STATUS_OF[b.status] ?? "CONFIRMED",
    };
  });
  return buildCalendar({ name: `Giliran – ${ikm.name}`, refreshMinutes: 60, events });
}
