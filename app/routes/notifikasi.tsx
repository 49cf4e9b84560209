import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BookingSubmit } from "~/components/BookingParts";
import { NotificationText } from "~/components/NotificationText";
import { formatDateShort, formatTime } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { Id } from "~/schemas/common";
import { NOTIFICATIONS_PAGE, listNotifications, markAllRead, markRead } from "~/services/messaging/notifications.server";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Notifikasi · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pages = Math.min(20, Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("lagi") ?? "1", 10) || 1));
  const list = await listNotifications(db(), user.id, pages * NOTIFICATIONS_PAGE);
  return { ...list, pages, ikm: can(user, "booking:own") };
}

/** Where a notification leads: its booking, or my bookings for a restriction notice. */
function target(n: { bookingId: number | null; kind: string; params?: Record<string, unknown> }, ikm: boolean): string | null {
  if (n.kind === "allocation_result") return "/putaran";
  if (n.kind === "closures_missing") return `/admin/libur?tahun=${encodeURIComponent(String(n.params?.year ?? ""))}`;
  // An offer is accepted or declined on the waitlist page.
  if (n.kind === "waitlist_offer" && ikm) return "/daftar-tunggu";
  if (n.bookingId !== null) return `/pemesanan/${n.bookingId}`;
  if (n.kind === "restricted" && ikm) return "/pemesanan";
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "read-all") {
    await markAllRead(db(), user.id, now());
    throw redirect("/notifikasi");
  }
  if (intent === "open") {
    const id = Id.safeParse(form.get("id"));
    const n = id.success ? await markRead(db(), user.id, id.data, now()) : null;
    if (!n) throw new Response("Not found", { status: 404 });
    throw redirect(target(n, can(user, "booking:own")) ?? "/notifikasi");
  }
  return data({ error: "validation.invalid" }, { status: 400 });
}

export default function Notifications() {
  const d = useLoaderData<typeof loader>();
  const { t, lang, timeZone } = useI18n();
  return (
    <>
      <h1>{t("ikm.notif.title")}</h1>
      <div className="row notif-bar">
        <p className="muted" role="status">
          {d.unread ? t("ikm.notif.unread", { n: d.unread }) : t("ikm.notif.allRead")}
        </p>
        {d.unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <BookingSubmit className="button small" match={{ intent: "read-all" }}>
              {t("ikm.notif.markAll")}
            </BookingSubmit>
          </Form>
        ) : null}
      </div>
      {d.items.length ? (
        <ul className="notif-list">
          {d.items.map((n) => {
            const to = target(n, d.ikm);
            const stamp = `${formatDateShort(n.createdAt, lang, timeZone)} ${formatTime(n.createdAt, lang, timeZone)}`;
            const body = (
              <>
                <span className="notif-meta">
                  {n.read ? null : <span className="tag tag-new">{t("ikm.notif.new")}</span>}
                  <time dateTime={new Date(n.createdAt).toISOString()}>{stamp}</time>
                </span>
                <span className="notif-body">
                  <NotificationText n={n} />
                </span>
              </>
            );
            return (
              <li key={n.id} className={n.read ? "notif" : "notif notif-unread"}>
                {to ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="open" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="notif-open">
                      {body}
                      <span className="notif-go">{t("ikm.notif.open")} ›</span>
                    </button>
                  </Form>
                ) : (
                  <div className="notif-static">{body}</div>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="card muted">{t("ikm.notif.none")}</p>
      )}
      {d.more ? (
        <p>
          <Link className="button small" to={`?lagi=${d.pages + 1}`} preventScrollReset>
            {t("ikm.notif.more")}
          </Link>
        </p>
      ) : null}
    </>
  );
}
