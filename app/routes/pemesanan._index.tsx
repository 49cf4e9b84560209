import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingCards } from "~/components/BookingCards";
import { IcsFeedSection } from "~/components/IcsFeedSection";
import { formatDateLong } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { hasCalendarToken, issueCalendarToken, revokeCalendarToken } from "~/services/messaging/calendar-feed.server";
import { ikmNotice, myBookings } from "~/services/booking/views.server";
import { type AuthUser, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { can, homePath } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Pemesanan saya · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

const PAST_PAGE = 10;

/** My bookings is the IKM member's page: staff are sent to their own home. */
async function ikmMember(request: Request): Promise<AuthUser & { ikmId: number }> {
  const user = await requireUser(request);
  if (!can(user, "booking:own") || user.ikmId === null) throw redirect(homePath(user.role));
  return user as AuthUser & { ikmId: number };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await ikmMember(request);
  const t = now();
  const url = new URL(request.url);
  const pages = Math.min(20, Math.max(1, Number.parseInt(url.searchParams.get("riwayat") ?? "1", 10) || 1));
  const [list, notice, calendar] = await Promise.all([myBookings(db(), user.ikmId, t, pages * PAST_PAGE), ikmNotice(db(), user.ikmId, t), hasCalendarToken(db(), user.id)]);
  return { ...list, notice, calendar, now: t, pages, cancelled: url.searchParams.get("dibatalkan") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await ikmMember(request);
  const form = await request.formData();
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const intent = form.get("intent");
  if (intent === "calendar-create") {
    const token = await issueCalendarToken(db(), ctx);
    const origin = new URL(request.url).origin;
    return { calendarUrl: `${origin}/kalender/${token}.ics`, revoked: false };
  }
  if (intent === "calendar-revoke") {
    await revokeCalendarToken(db(), ctx);
    return { calendarUrl: null, revoked: true };
  }
  return data({ calendarUrl: null, revoked: false }, { status: 400 });
}

export default function MyBookings() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, lang, timeZone } = useI18n();
  return (
    <>
      <h1>{t("ikm.my.title")}</h1>
      {d.notice ? (
        <p className="alert alert-warn" role="status">
          {t(d.notice.reason ? "ikm.restricted" : "ikm.restricted.noReason", { date: formatDateLong(d.notice.until, lang, timeZone), reason: d.notice.reason })}
        </p>
      ) : null}
      {d.cancelled ? (
        <p className="alert alert-ok" role="status">
          {t("ikm.cancel.done")}
        </p>
      ) : null}
      <p>
        <Link className="button primary block" to="/jadwal">
          {t("ikm.my.book")}
        </Link>
      </p>
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">
          {t("ikm.my.upcoming")} ({d.upcoming.length})
        </h2>
        {d.upcoming.length ? <BookingCards items={d.upcoming} now={d.now} actions /> : <p className="muted">{t("ikm.my.none")}</p>}
      </section>
      <section className="card" aria-labelledby="past-title">
        <h2 id="past-title">{t("ikm.my.past")}</h2>
        {d.past.length ? <BookingCards items={d.past} now={d.now} actions={false} /> : <p className="muted">{t("ikm.my.nonePast")}</p>}
        {d.morePast ? (
          <p>
            <Link className="button small" to={`?riwayat=${d.pages + 1}#past-title`} preventScrollReset>
              {t("ikm.my.more")}
            </Link>
          </p>
        ) : null}
      </section>
      <IcsFeedSection active={d.calendar} url={a?.calendarUrl ?? null} revoked={!!a?.revoked} />
    </>
  );
}
