import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingSubmit, dateLabel } from "~/components/BookingParts";
import { StatusBadge } from "~/components/StatusBadge";
import { formatDateLong, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { loadFacility } from "~/models/scheduling.server";
import { Id } from "~/schemas/common";
import { SeriesCancelSchema } from "~/schemas/ikm-booking";
import { formToObject } from "~/schemas/parse";
import { lateIfCancelledAt } from "~/scheduling/types";
import { estimateFee } from "~/services/booking/views.server";
import { cancelSeriesFrom, getVisibleSeries, seriesCancellable } from "~/services/booking/series.server";
import { localDateKey } from "~/scheduling";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { failureOf } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Jadwal berulang · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

async function visible(request: Request, idParam: string | undefined) {
  const user = await requireUser(request);
  const id = Id.safeParse(idParam);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const series = await getVisibleSeries(db(), user, id.data);
  if (!series) throw new Response("Not found", { status: 404 });
  return { user, series };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { series } = await visible(request, params.id);
  const t = now();
  const tz = (await loadFacility(db())).time_zone;
  const bookings = series.bookings.map((b) => ({
    id: b.id,
    start: Number(b.start_at),
    end: Number(b.end_at),
    status: b.status,
    date: localDateKey(Number(b.start_at), tz),
    lateCancel: b.late_cancel === 1,
    cancellable: (b.status === "pending" || b.status === "confirmed") && Number(b.start_at) > t,
  }));
  const held = bookings.filter((b) => b.status === "pending" || b.status === "confirmed");
  const fees = await Promise.all(held.map((b) => estimateFee(db(), series.machine_id, b.start, b.end)));
  const url = new URL(request.url);
  return {
    series: { id: series.id, machineId: series.machine_id, machineCode: series.machine_code, machineName: series.machine_name, ikmName: series.ikm_name, weeks: series.weeks },
    bookings,
    feeTotal: fees.reduce((a, b) => a + b, 0),
    isNew: url.searchParams.get("baru") === "1",
    cancelledCount: url.searchParams.get("dibatalkan"),
    now: t,
  };
}

type ActionResult = { step: "confirm"; from: string; targets: Array<{ id: number; start: number; end: number; late: boolean }> } | { step: "error"; error: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, series } = await visible(request, params.id);
  const raw = formToObject(await request.formData());
  const parsed = SeriesCancelSchema.safeParse(raw);
  if (!parsed.success) return data<ActionResult>({ step: "error", error: "ikm.form.error.date" }, { status: 400 });
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  try {
    if (raw.confirm === "1") {
      const cancelled = await cancelSeriesFrom(db(), ctx, series.id, parsed.data.from);
      throw redirect(`/pemesanan/seri/${series.id}?dibatalkan=${cancelled.length}`);
    }
    const targets = await seriesCancellable(db(), ctx, series.id, parsed.data.from);
    return data<ActionResult>({
      step: "confirm",
      from: parsed.data.from,
      targets: targets.map((b) => ({ id: b.id, start: Number(b.start_at), end: Number(b.end_at), late: lateIfCancelledAt({ createdAt: Number(b.created_at), start: Number(b.start_at) }, ctx.now) })),
    });
  } catch (error) {
    const failure = failureOf(error);
    return data<ActionResult>({ step: "error", error: failure.message.key }, { status: 400 });
  }
}

export default function SeriesPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionResult | undefined;
  const { t, lang, timeZone } = useI18n();
  const booked = d.bookings.filter((b) => b.status !== "cancelled" && b.status !== "rejected");
  const future = d.bookings.filter((b) => b.cancellable);
  return (
    <>
      <p className="muted small">
        <Link to="/pemesanan">← {t("ikm.my.title")}</Link>
      </p>
      <h1>{t("ikm.seriesPage.title")}</h1>
      {d.isNew ? (
        <section className="card success" aria-live="polite">
          <h2>{t("ikm.seriesPage.created", { n: booked.length })}</h2>
          <p>{t("ikm.success.fee", { fee: formatRupiah(d.feeTotal) })}</p>
          <p>{t(d.bookings.some((b) => b.status === "pending") ? "ikm.next.pending" : "ikm.next.confirmed")}</p>
          <p>{t("ikm.success.reminder")}</p>
          <p>{t("ikm.seriesPage.cancelHow")}</p>
          <p>
            <Link className="button primary" to="/pemesanan">
              {t("ikm.success.myBookings")}
            </Link>
          </p>
        </section>
      ) : null}
      {d.cancelledCount !== null ? (
        <p className="alert alert-ok" role="status">
          {t("ikm.seriesPage.cancelled", { n: d.cancelledCount })}
        </p>
      ) : null}
      <section className="card">
        <p>
          <strong>
            {d.series.machineCode} · {d.series.machineName}
          </strong>
          {d.series.ikmName ? <span className="muted"> · {d.series.ikmName}</span> : null}
        </p>
        <ul className="series-list">
          {d.bookings.map((b) => (
            <li key={b.id}>
              <Link to={`/pemesanan/${b.id}`}>
                {formatDateLong(b.start, lang, timeZone)}, {formatTimeRange(b.start, b.end, lang, timeZone)}
              </Link>{" "}
              <StatusBadge status={b.status} />
              {b.lateCancel ? <span className="tag tag-warn">{t("ikm.my.lateCancelled")}</span> : null}
            </li>
          ))}
        </ul>
      </section>

      {future.length ? (
        <section className="card" id="batal-seri" aria-labelledby="series-cancel-title">
          <h2 id="series-cancel-title">{t("ikm.seriesPage.cancelTitle")}</h2>
          {a?.step === "error" ? (
            <p className="alert alert-error" role="alert">
              {t(a.error)}
            </p>
          ) : null}
          {a?.step === "confirm" ? (
            <Form method="post" className="stack">
              <input type="hidden" name="from" value={a.from} />
              <input type="hidden" name="confirm" value="1" />
              <p>{t("ikm.seriesPage.willCancel", { n: a.targets.length, date: dateLabel(a.from, lang) })}</p>
              <ul className="reasons">
                {a.targets.map((x) => (
                  <li key={x.id}>
                    {formatDateLong(x.start, lang, timeZone)}, {formatTimeRange(x.start, x.end, lang, timeZone)}
                    {x.late ? <strong className="warn-text"> — {t("ikm.seriesPage.late")}</strong> : null}
                  </li>
                ))}
              </ul>
              {a.targets.some((x) => x.late) ? (
                <p className="alert alert-warn" role="alert">
                  {t("ikm.cancel.late")}
                </p>
              ) : null}
              <div className="row">
                <BookingSubmit className="button danger" match={{ confirm: "1" }}>
                  {t("ikm.cancel.confirm")}
                </BookingSubmit>
                <Link className="button" to={`/pemesanan/seri/${d.series.id}`}>
                  {t("ikm.cancel.keep")}
                </Link>
              </div>
            </Form>
          ) : (
            <Form method="post" className="stack">
              <label className="field">
                <span>{t("ikm.seriesPage.from")}</span>
                <select name="from" defaultValue={future[0].date}>
                  {future.map((b) => (
                    <option key={b.id} value={b.date}>
                      {dateLabel(b.date, lang)}
                    </option>
                  ))}
                </select>
              </label>
              <BookingSubmit className="button danger">
                {t("ikm.seriesPage.cancelButton")}
              </BookingSubmit>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
