import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FloorBookingCard } from "~/components/FloorBookingCard";
import { FloorNav } from "~/components/FloorNav";
import { formatDateLong, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { Id } from "~/schemas/common";
import { checkIn, earlyCheckInMinutes } from "~/services/floor/check-in-out.server";
import { loadBoard } from "~/services/floor/day-board.server";
import { failureOf, formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Lantai bengkel · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "floor:operate");
  const board = await loadBoard(db(), now());
  const url = new URL(request.url);
  const okId = Number(url.searchParams.get("b"));
  const okItem = board.machines.flatMap((m) => m.items.map((i) => ({ ...i, machineCode: m.code }))).find((i) => i.id === okId);
  const flash = url.searchParams.get("ok") === "checkin" && okItem?.actualStart != null ? { ikm: okItem.ikmName, machine: okItem.machineCode, start: okItem.actualStart } : null;
  return { ...board, flash };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "floor:operate");
  const form = await request.formData();
  const parsed = Id.safeParse(form.get("bookingId"));
  if (form.get("intent") !== "checkin" || !parsed.success) throw new Response("Bad request", { status: 400 });
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  try {
    // Far before the booked start: ask first, in the booking's card.
    const early = form.get("early") === "1" ? 0 : await earlyCheckInMinutes(db(), ctx, parsed.data);
    if (early) return { bookingId: parsed.data, early };
    await checkIn(db(), ctx, parsed.data);
  } catch (error) {
    return formFailure(failureOf(error), { bookingId: parsed.data });
  }
  // The confirmation is what comes into view.
  return redirect(`/teknisi?ok=checkin&b=${parsed.data}#hasil`);
}

export default function TechnicianToday() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const active = d.machines.filter((m) => m.items.length || m.faults.length || m.maintenance.length);
  const idle = d.machines.filter((m) => !m.items.length && !m.faults.length && !m.maintenance.length);
  const failedId = actionData && "bookingId" in actionData ? Number(actionData.bookingId) : null;
  const failedKey = actionData && "errors" in actionData && actionData.errors ? Object.values(actionData.errors)[0]?.key : undefined;
  const early = actionData && "early" in actionData ? { id: Number(actionData.bookingId), minutes: actionData.early } : null;
  return (
    <div className="floor">
      <FloorNav />
      <h1>{t("home.tech.title")}</h1>
      <p className="floor-today">
        {formatDateLong(d.now, lang, timeZone)} · {t("floor.board.now", { time: formatTime(d.now, lang, timeZone) })}
      </p>
      {d.flash ? (
        <p className="alert alert-ok" role="status" id="hasil" tabIndex={-1}>
          {t("floor.flash.checkIn", { ikm: d.flash.ikm, machine: d.flash.machine, time: formatTime(d.flash.start, lang, timeZone) })}
        </p>
      ) : null}
      <ul className="floor-summary" aria-label={t("floor.board.summary")}>
        <li>
          <strong>{d.counts.waiting}</strong> {t("floor.count.waiting")}
        </li>
        <li className={d.counts.late ? "floor-summary-late" : undefined}>
          <strong>{d.counts.late}</strong> {t("floor.count.late")}
        </li>
        <li>
          <strong>{d.counts.inUse}</strong> {t("floor.count.inUse")}
        </li>
        <li>
          <strong>{d.counts.done}</strong> {t("floor.count.done")}
        </li>
      </ul>
      {active.length === 0 ? <p className="card muted">{t("floor.board.empty")}</p> : null}
      {active.map((m) => (
        <section key={m.id} className={`card floor-machine${m.down ? " floor-machine-down" : ""}`} id={`m-${m.id}`} aria-labelledby={`m-${m.id}-h`}>
          <h2 id={`m-${m.id}-h`} className="floor-machine-head">
            <span className="floor-code">{m.code}</span> <span className="floor-machine-name">{m.name}</span>
          </h2>
          {m.faults.map((f) => (
            <p key={f.id} className="alert alert-error floor-fault">
              <span aria-hidden="true">⚠</span> {t("floor.board.fault", { time: formatTime(f.start, lang, timeZone), reason: f.reason })}{" "}
              <Link to={`/teknisi/perawatan/${f.id}`}>{t("floor.board.faultOpen")}</Link>
            </p>
          ))}
          {m.maintenance.map((w) => (
            <p key={w.id} className="alert alert-warn">
              <span aria-hidden="true">⚙</span> {t("floor.board.maintenance", { range: formatTimeRange(w.start, w.end, lang, timeZone), reason: w.reason })}{" "}
              <Link to={`/teknisi/perawatan/${w.id}`}>{t("common.details")}</Link>
            </p>
          ))}
          {m.items.length ? (
            <ol className="floor-list">
              {m.items.map((i) => (
                <FloorBookingCard key={i.id} item={i} busy={busy} error={failedId === i.id ? failedKey : undefined} earlyMinutes={early?.id === i.id ? early.minutes : undefined} />
              ))}
            </ol>
          ) : (
            <p className="muted">{t("floor.board.noBookings")}</p>
          )}
        </section>
      ))}
      {idle.length ? (
        <section className="card">
          <h2>{t("floor.board.idle")}</h2>
          <p className="floor-idle">
            {idle.map((m) => (
              <span key={m.id} className="floor-tag" title={m.name}>
                {m.code}
              </span>
            ))}
          </p>
        </section>
      ) : null}
      <p className="floor-footer-actions no-print">
        <Link className="button block" to="/teknisi/catat">
          {t("floor.board.recordLink")}
        </Link>
      </p>
    </div>
  );
}
