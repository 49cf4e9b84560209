import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookingCards } from "~/components/BookingCards";
import { formatDateLong } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { listMachines } from "~/models/machine.server";
import { ikmNotice, myBookings } from "~/services/booking/views.server";
import { unreadCount } from "~/services/messaging/notifications.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "booking:own");
  const t = now();
  const ikmId = user.ikmId ?? -1;
  const [mine, machines, notice, unread] = await Promise.all([myBookings(db(), ikmId, t, 0), listMachines(db()), ikmNotice(db(), ikmId, t), unreadCount(db(), user.id)]);
  return {
    name: user.name,
    now: t,
    upcoming: mine.upcoming.slice(0, 3),
    upcomingCount: mine.upcoming.length,
    pending: mine.upcoming.filter((b) => b.status === "pending").length,
    notice,
    unread,
    machines: machines.map((m) => ({ id: m.id, code: m.code, name: m.name, type: m.type_name, status: m.status })),
  };
}

export default function IkmHome() {
  const d = useLoaderData<typeof loader>();
  const { t, lang, timeZone } = useI18n();
  return (
    <>
      <h1>{t("home.hello", { name: d.name })}</h1>
      {d.notice ? (
        <p className="alert alert-warn" role="status">
          {t(d.notice.reason ? "ikm.restricted" : "ikm.restricted.noReason", { date: formatDateLong(d.notice.until, lang, timeZone), reason: d.notice.reason })}
        </p>
      ) : null}
      {d.unread ? (
        <p className="alert alert-info">
          <Link to="/notifikasi">{t("ikm.home.unread", { n: d.unread })}</Link>
        </p>
      ) : null}
      <p>
        <Link className="button primary block big" to="/jadwal">
          {t("home.ikm.bookNow")}
        </Link>
      </p>
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t("home.ikm.upcoming")}</h2>
        {d.pending ? <p className="small warn-text">{t("ikm.home.pending", { n: d.pending })}</p> : null}
        {d.upcoming.length ? <BookingCards items={d.upcoming} now={d.now} actions={false} /> : <p className="muted">{t("home.ikm.noUpcoming")}</p>}
        <p>
          <Link to="/pemesanan">{t("ikm.home.all", { n: d.upcomingCount })}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="machines-title">
        <h2 id="machines-title">{t("home.ikm.machines")}</h2>
        <ul className="plain-list">
          {d.machines.map((m) => (
            <li key={m.id}>
              <Link to={`/mesin/${m.id}`}>
                <strong>{m.code}</strong> {m.name}
              </Link>{" "}
              <span className="muted">· {m.type}</span>
              {m.status !== "active" ? <span className="tag tag-warn">{t(`ikm.machine.status.${m.status}`)}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
