/**
 * GET /kalender/<token>.ics — the personal calendar feed (text/calendar). The token is the only
 * credential (calendar apps send no cookie); an unknown or revoked token is a 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFeed } from "~/services/messaging/calendar-feed.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const body = await calendarFeed(db(), params.token ?? "", now());
  if (body === null) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="giliran.ics"',
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
