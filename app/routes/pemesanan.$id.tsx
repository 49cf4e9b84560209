import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import {
  BookingAlternatives,
  BookingReasons,
  BookingSubmit,
  type CheckView,
  type FormValues,
  dateLabel,
  timeLabel,
  timeOptions,
} from "~/components/BookingParts";
import { StatusBadge } from "~/components/StatusBadge";
import { formatDateLong, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { usageOf } from "~/models/booking.server";
import { loadCalendar, loadFacility } from "~/models/scheduling.server";
import { Id } from "~/schemas/common";
import { CancelFormSchema, MoveFormSchema } from "~/schemas/ikm-booking";
import { fieldErrors, formToObject } from "~/schemas/parse";
import { localTime } from "~/services/booking/board.server";
import { cancelBooking, getVisibleBooking, moveBooking } from "~/services/booking/commands.server";
import { isUndo, lateIfCancelledAt, undoSecondsLeft } from "~/scheduling/types";
import { bookingFormFailure } from "~/services/booking/form.server";
import { checkView, estimateFee, formMachines } from "~/services/booking/views.server";
import { localDateKey, zonedInstant } from "~/scheduling";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { failureOf } from "~/utils/forms.server";
import { isStaff } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Rincian pemesanan · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

function notFound(): Response {
  return new Response("Not found", { status: 404 });
}

async function visible(request: Request, idParam: string | undefined) {
  const user = await requireUser(request);
  const id = Id.safeParse(idParam);
  if (!id.success) throw notFound();
  const booking = await getVisibleBooking(db(), user, id.data);
  if (!booking) throw notFound();
  return { user, booking };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, booking } = await visible(request, params.id);
  const t = now();
  const facility = await loadFacility(db());
  const calendar = await loadCalendar(db(), facility);
  const tz = facility.time_zone;
  const [usage, machines] = await Promise.all([
    usageOf(db(), booking.id),
    formMachines(db(), facility, calendar, t),
  ]);
  const start = Number(booking.start_at);
  const end = Number(booking.end_at);
  const machine = machines.find((m) => m.id === booking.machine_id);
  const sameType = machines.filter((m) => machine && m.typeId === machine.typeId && m.status === "active");
  const changeable = (booking.status === "pending" || booking.status === "confirmed") && (start > t || isStaff(user));
  const url = new URL(request.url);
  return {
    booking: {
      id: booking.id,
      start,
      end,
      status: booking.status,
      purpose: booking.purpose,
      machineId: booking.machine_id,
      machineCode: booking.machine_code,
      machineName: booking.machine_name,
      ikmName: isStaff(user) ? booking.ikm_name : null,
      seriesId: booking.series_id,
      statusReason: booking.status_reason,
      lateCancel: booking.late_cancel === 1,
      assisted: booking.assisted === 1,
      date: localDateKey(start, tz),
      startTime: localTime(start, tz),
      endTime: localTime(end, tz),
    },
    fee: usage?.fee != null ? Number(usage.fee) : null,
    feeEstimate: usage?.fee != null ? null : await estimateFee(db(), booking.machine_id, start, end),
    changeable,
    late: lateIfCancelledAt({ createdAt: Number(booking.created_at), start }, t),
    machines: sameType,
    today: localDateKey(t, tz),
    /** The reminder job writes the day before; a booking for today gets none. */
    remind: localDateKey(start, tz) > localDateKey(t, tz),
    isNew: url.searchParams.get("baru") === "1",
    moved: url.searchParams.get("dipindah") === "1",
    askCancel: url.searchParams.get("batal") === "1",
    staff: isStaff(user),
    /** Seconds left to undo a booking just made (a wrong tap), without the late-cancellation mark. */
    undoSeconds: booking.status === "pending" || booking.status === "confirmed" ? undoSecondsLeft(Number(booking.created_at), t) : 0,
  };
}

/** "Batalkan" for the first seconds after booking: visible, counting down, gone when the time is up. */
function UndoBar({ seconds }: { seconds: number }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  if (left <= 0) return null;
  return (
    <Form method="post" className="undo-bar">
      <input type="hidden" name="intent" value="cancel" />
      <input type="hidden" name="confirm" value="1" />
      <input type="hidden" name="undo" value="1" />
      <p>{t("ikm.undo.text", { seconds: left })}</p>
      <button type="submit" className="button danger">
        {t("ikm.undo.button")}
      </button>
    </Form>
  );
}

type ActionResult =
  | { intent: "move"; ok: false; values: FormValues; errors?: Record<string, string>; check?: CheckView }
  | { intent: "cancel"; ok: false; error: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, booking } = await visible(request, params.id);
  const raw = formToObject(await request.formData());
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const tz = (await loadFacility(db())).time_zone;
  if (raw.intent === "cancel") {
    const form = CancelFormSchema.parse(raw);
    // Not confirmed yet, or the undo button of a booking just made tapped past its seconds: the usual confirmation step.
    if (!form.confirm || (form.undo && !isUndo(Number(booking.created_at), ctx.now))) throw redirect(`/pemesanan/${booking.id}?batal=1#batal`);
    try {
      await cancelBooking(db(), ctx, booking.id, form.reason);
    } catch (error) {
      const failure = failureOf(error);
      return data<ActionResult>({ intent: "cancel", ok: false, error: failure.message.key }, { status: failure.status });
    }
    throw redirect(isStaff(user) ? `/pemesanan/${booking.id}` : `/pemesanan?dibatalkan=${booking.id}`);
  }
  if (raw.intent === "move") {
    const s = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : "");
    const values: FormValues = { machineId: s("machineId") || String(booking.machine_id), date: s("date"), start: s("start"), end: s("end"), purpose: "", assisted: booking.assisted === 1, weeks: "1", ikmId: "", overrideReason: "" };
    const parsed = MoveFormSchema.safeParse(raw);
    if (!parsed.success) return data<ActionResult>({ intent: "move", ok: false, values, errors: fieldErrors(parsed.error) }, { status: 400 });
    const f = parsed.data;
    const to = { start: zonedInstant(f.date, f.start, tz), end: zonedInstant(f.date, f.end, tz), machineId: f.machineId };
    try {
      const out = await moveBooking(db(), ctx, booking.id, to);
      if (out.ok) throw redirect(`/pemesanan/${booking.id}?dipindah=1`);
      const check = checkView({ ok: false, status: null, violations: out.violations, notices: [], alternatives: out.alternatives, feeEstimate: 0 }, user.language, tz, to.start);
      return data<ActionResult>({ intent: "move", ok: false, values, check }, { status: 409 });
    } catch (error) {
      const failure = bookingFormFailure(error);
      return data<ActionResult>({ intent: "move", ok: false, values, errors: { _form: failure.message } }, { status: failure.status });
    }
  }
  return data<ActionResult>({ intent: "cancel", ok: false, error: "validation.invalid" }, { status: 400 });
}

export default function BookingDetail() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionResult | undefined;
  const { t, lang, timeZone } = useI18n();
  const b = d.booking;
  const move = a?.intent === "move" ? a : null;
  const [mv, setMv] = useState<FormValues>(
    move?.values ?? { machineId: String(b.machineId), date: b.date, start: b.startTime, end: b.endTime, purpose: "", assisted: b.assisted, weeks: "1", ikmId: "", overrideReason: "" },
  );
  const machine = d.machines.find((m) => String(m.id) === mv.machineId) ?? d.machines[0];
  const opts = useMemo(() => timeOptions(machine, mv.date), [machine, mv.date]);
  const start = opts.starts.includes(mv.start) ? mv.start : (opts.starts[0] ?? "");
  const end = opts.ends.includes(mv.end) && mv.end > start ? mv.end : (opts.ends.find((e) => e > start) ?? "");
  const moveErrors = move?.errors ?? {};
  return (
    <>
      <p className="muted small">
        <Link to={d.staff ? "/jadwal" : "/pemesanan"}>← {t(d.staff ? "ikm.board.title" : "ikm.my.title")}</Link>
      </p>

      {d.isNew ? (
        <section className={`card success success-${b.status}`} aria-labelledby="success-title">
          <h1 id="success-title">{t(b.status === "pending" ? "ikm.success.title.pending" : "ikm.success.title.confirmed")}</h1>
          <p className="success-what">
            <strong>
              {b.machineCode} · {b.machineName}
            </strong>
            <br />
            {formatDateLong(b.start, lang, timeZone)}, {formatTimeRange(b.start, b.end, lang, timeZone)}
            {b.assisted ? (
              <>
                <br />
                {t("ikm.machine.operator.assisted")}
              </>
            ) : null}
            {b.ikmName ? (
              <>
                <br />
                {t("ikm.detail.ikm")}: {b.ikmName}
              </>
            ) : null}
          </p>
          <p>
            {t("ikm.detail.status")}: <StatusBadge status={b.status} />
          </p>
          {d.feeEstimate !== null ? <p>{t("ikm.success.fee", { fee: formatRupiah(d.feeEstimate) })}</p> : null}
          {d.undoSeconds > 0 ? <UndoBar seconds={d.undoSeconds} /> : null}
          <p>{t(b.status === "pending" ? "ikm.next.pending" : "ikm.next.confirmed")}</p>
          <p>{t(d.remind ? "ikm.success.reminder" : "ikm.success.today")}</p>
          <p>{t("ikm.success.cancel")}</p>
          <div className="row">
            <Link className="button primary" to="/pemesanan">
              {t("ikm.success.myBookings")}
            </Link>
            <Link className="button" to="/jadwal">
              {t("ikm.success.another")}
            </Link>
          </div>
        </section>
      ) : (
        <h1>{t("ikm.detail.title")}</h1>
      )}

      {d.moved ? (
        <p className="alert alert-ok" role="status">
          {t("ikm.move.done")}
        </p>
      ) : null}
      {a?.intent === "cancel" ? (
        <p className="alert alert-error" role="alert">
          {t(a.error)}
        </p>
      ) : null}

      {d.isNew ? null : (
      <section className="card" aria-label={t("ikm.detail.title")}>
        <dl className="detail">
          <dt>{t("ikm.detail.machine")}</dt>
          <dd>
            <Link to={`/mesin/${b.machineId}`}>
              {b.machineCode} · {b.machineName}
            </Link>
          </dd>
          {b.ikmName ? (
            <>
              <dt>{t("ikm.detail.ikm")}</dt>
              <dd>{b.ikmName}</dd>
            </>
          ) : null}
          <dt>{t("ikm.detail.when")}</dt>
          <dd>
            {formatDateLong(b.start, lang, timeZone)}, {formatTimeRange(b.start, b.end, lang, timeZone)}
            {b.assisted ? <div className="small muted">{t("ikm.machine.operator.assisted")}</div> : null}
          </dd>
          <dt>{t("ikm.detail.status")}</dt>
          <dd>
            <StatusBadge status={b.status} />
            {b.lateCancel ? <span className="tag tag-warn">{t("ikm.my.lateCancelled")}</span> : null}
          </dd>
          {b.statusReason ? (
            <>
              <dt>{t("ikm.detail.reason")}</dt>
              <dd>{b.statusReason}</dd>
            </>
          ) : null}
          {b.purpose ? (
            <>
              <dt>{t("ikm.detail.purpose")}</dt>
              <dd>{b.purpose}</dd>
            </>
          ) : null}
          <dt>{d.fee !== null ? t("ikm.detail.fee") : t("ikm.detail.feeEstimate")}</dt>
          <dd>{formatRupiah(d.fee ?? d.feeEstimate ?? 0)}</dd>
          {b.seriesId ? (
            <>
              <dt>{t("ikm.detail.series")}</dt>
              <dd>
                <Link to={`/pemesanan/seri/${b.seriesId}`}>{t("ikm.detail.seriesLink")}</Link>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      )}

      {d.changeable && !d.isNew ? (
        <>
          <section className="card" id="pindah" aria-labelledby="move-title">
            <h2 id="move-title">{t("ikm.move.title")}</h2>
            {move?.check ? (
              <>
                <BookingReasons reasons={move.check.reasons} title={t("ikm.move.refused")} />
                <BookingAlternatives alternatives={move.check.alternatives} base={move.values} title={t("ikm.move.altTitle")} intent="move" />
              </>
            ) : null}
            {moveErrors._form ? (
              <p className="alert alert-error" role="alert">
                {t(moveErrors._form)}
              </p>
            ) : null}
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="move" />
              {d.machines.length > 1 ? (
                <label className="field">
                  <span>{t("ikm.form.machine")}</span>
                  <select name="machineId" value={mv.machineId} onChange={(e) => setMv({ ...mv, machineId: e.target.value })}>
                    {d.machines.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.code} · {m.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <input type="hidden" name="machineId" value={mv.machineId} />
              )}
              <label className="field">
                <span>{t("ikm.form.date")}</span>
                <input type="date" name="date" value={mv.date} min={d.today} onChange={(e) => setMv({ ...mv, date: e.target.value })} aria-invalid={moveErrors.date ? true : undefined} required />
                {moveErrors.date ? <small className="field-error">{t(moveErrors.date)}</small> : <small className="muted">{mv.date ? dateLabel(mv.date, lang) : ""}</small>}
              </label>
              <div className="grid-2 time-pair">
                <label className="field">
                  <span>{t("ikm.form.start")}</span>
                  <select name="start" value={start} onChange={(e) => setMv({ ...mv, start: e.target.value })} aria-invalid={moveErrors.start ? true : undefined}>
                    {opts.starts.map((x) => (
                      <option key={x} value={x}>
                        {timeLabel(x, lang)}
                      </option>
                    ))}
                  </select>
                  {moveErrors.start ? <small className="field-error">{t(moveErrors.start)}</small> : null}
                </label>
                <label className="field">
                  <span>{t("ikm.form.end")}</span>
                  <select name="end" value={end} onChange={(e) => setMv({ ...mv, end: e.target.value })} aria-invalid={moveErrors.end ? true : undefined}>
                    {opts.ends.map((x) => (
                      <option key={x} value={x} disabled={x <= start}>
                        {timeLabel(x, lang)}
                      </option>
                    ))}
                  </select>
                  {moveErrors.end ? <small className="field-error">{t(moveErrors.end)}</small> : null}
                </label>
              </div>
              <BookingSubmit match={{ intent: "move" }}>{t("ikm.move.submit")}</BookingSubmit>
            </Form>
          </section>
          <section className="card" id="batal" aria-labelledby="cancel-title">
            <h2 id="cancel-title">{t("ikm.cancel.title")}</h2>
            {d.askCancel ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="cancel" />
                <input type="hidden" name="confirm" value="1" />
                <p className={d.late ? "alert alert-warn" : "muted"} role={d.late ? "alert" : undefined}>
                  {t(d.late ? "ikm.cancel.late" : "ikm.cancel.notLate")}
                </p>
                <label className="field">
                  <span>{t("ikm.cancel.reason")}</span>
                  <input name="reason" maxLength={500} />
                </label>
                <div className="row">
                  <BookingSubmit className="button danger" match={{ intent: "cancel" }}>
                    {t("ikm.cancel.confirm")}
                  </BookingSubmit>
                  <Link className="button" to={`/pemesanan/${b.id}`}>
                    {t("ikm.cancel.keep")}
                  </Link>
                </div>
              </Form>
            ) : (
              <>
                {d.late ? <p className="small warn-text">{t("ikm.my.lateWarn")}</p> : null}
                <Link className="button danger" to="?batal=1#batal">
                  {t("ikm.cancel.button")}
                </Link>
              </>
            )}
          </section>

        </>
      ) : null}
    </>
  );
}
