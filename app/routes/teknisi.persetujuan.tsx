import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FloorNav } from "~/components/FloorNav";
import { formatDateLong, formatDateShort, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { Id, LocalDate } from "~/schemas/common";
import { RejectForm } from "~/schemas/floor";
import { formToObject } from "~/schemas/parse";
import { type QueueItem, approvalDays, approveMany } from "~/services/floor/approvals.server";
import { approveBooking, rejectBooking } from "~/services/booking/commands.server";
import { formValues } from "~/services/floor/forms.server";
import { flatFormErrors } from "~/utils/form-errors";
import { failureOf, formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Persetujuan · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "booking:approve");
  const t = now();
  const url = new URL(request.url);
  // Filters by day and machine type; a value that is not one is ignored (the whole queue shows).
  const date = LocalDate.safeParse(url.searchParams.get("tanggal") || undefined);
  const type = Id.safeParse(url.searchParams.get("jenis") || undefined);
  const filter = { date: date.success ? date.data : undefined, typeId: type.success ? type.data : undefined };
  return { now: t, filter, ...(await approvalDays(db(), t, filter)), ok: url.searchParams.get("ok") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "booking:approve");
  const form = await request.formData();
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const intent = form.get("intent");
  if (intent === "approveMany") {
    // The requests as the technician saw them in that day's group: each decided on its own.
    const ids = form.getAll("bookingId").map((v) => Id.safeParse(v));
    if (!ids.length || ids.some((r) => !r.success)) throw new Response("Bad request", { status: 400 });
    return { intent: "approveMany", results: await approveMany(db(), ctx, ids.map((r) => r.data as number)) };
  }
  const bookingId = Id.safeParse(form.get("bookingId"));
  if (!bookingId.success) throw new Response("Bad request", { status: 400 });
  const extra = { bookingId: bookingId.data, intent: String(intent), values: formValues(form) };
  try {
    if (intent === "approve") {
      await approveBooking(db(), ctx, bookingId.data);
      return redirect("/teknisi/persetujuan?ok=approved");
    }
    if (intent === "reject") {
      const input = RejectForm.parse(formToObject(form));
      await rejectBooking(db(), ctx, input.bookingId, input.reason);
      return redirect("/teknisi/persetujuan?ok=rejected");
    }
  } catch (error) {
    return formFailure(failureOf(error), extra);
  }
  throw new Response("Bad request", { status: 400 });
}

function useReason() {
  const { t, lang } = useI18n();
  return (i: QueueItem) => {
    const used = i.reason.recentTypeMinutes === 0 ? t("common.hours", { n: 0 }) : formatDuration(i.reason.recentTypeMinutes, lang);
    if (i.groupSize === 1) return t("floor.approvals.reason.alone", { used });
    if (i.reason.code === "LEAST_RECENT_USE") return t(i.rank === 1 ? "floor.approvals.reason.least" : "floor.approvals.reason.more", { used });
    return t(i.tieBefore ? "floor.approvals.reason.later" : "floor.approvals.reason.earlier", { used });
  };
}

export default function Approvals() {
  const { t, lang } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const reasonOf = useReason();
  const failedId = a && "bookingId" in a ? Number(a.bookingId) : null;
  const listed = d.days.some((day) => day.groups.some((g) => g.items.some((i) => i.id === failedId)));
  const orphanError = !listed && a && "errors" in a && a.errors ? Object.values(a.errors)[0]?.key : undefined;
  const results = a && "results" in a ? a.results : null;
  const dayLabel = (key: string) => formatDateLong(Date.parse(`${key}T12:00:00Z`), lang, "UTC");
  return (
    <div className="floor">
      <FloorNav />
      <h1>{t("floor.approvals.title")}</h1>
      <p className="muted small">{t("floor.approvals.intro")}</p>
      {d.ok ? (
        <p className="alert alert-ok" role="status">
          {t(`floor.approvals.ok.${d.ok === "rejected" ? "rejected" : "approved"}`)}
        </p>
      ) : null}
      {results ? <ApprovalResults results={results} /> : null}
      {orphanError ? (
        <p className="alert alert-error" role="alert">
          {t(orphanError)}
        </p>
      ) : null}
      {d.total > 0 ? (
        <Form method="get" className="card floor-filter" aria-label={t("floor.approvals.filter")}>
          <label className="field">
            <span>{t("floor.approvals.filter.date")}</span>
            <select name="tanggal" defaultValue={d.filter.date ?? ""}>
              <option value="">{t("floor.approvals.filter.allDates", { n: d.total })}</option>
              {d.dates.map((x) => (
                <option key={x.dateKey} value={x.dateKey}>
                  {dayLabel(x.dateKey)} ({x.count})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("floor.approvals.filter.type")}</span>
            <select name="jenis" defaultValue={d.filter.typeId ? String(d.filter.typeId) : ""}>
              <option value="">{t("floor.approvals.filter.allTypes")}</option>
              {d.types.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name} ({x.count})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t("floor.approvals.filter.show")}
          </button>
        </Form>
      ) : null}
      {d.total === 0 ? <p className="card muted">{t("floor.approvals.empty")}</p> : null}
      {d.days.map((day) => (
        <section key={`${day.dateKey}-${day.past}`} className="floor-day" aria-labelledby={`d-${day.dateKey}-${day.past}`}>
          <div className="floor-day-head">
            <h2 id={`d-${day.dateKey}-${day.past}`}>
              {dayLabel(day.dateKey)} <span className="muted small">· {t("floor.approvals.dayCount", { n: day.count })}</span>
            </h2>
            {day.count > 1 && !day.past ? (
              <Form method="post">
                <input type="hidden" name="intent" value="approveMany" />
                {day.groups.flatMap((g) => g.items).map((i) => (
                  <input key={i.id} type="hidden" name="bookingId" value={i.id} />
                ))}
                <button type="submit" className="button primary" disabled={busy}>
                  ✓ {t("floor.approvals.approveAll", { n: day.count })}
                </button>
              </Form>
            ) : null}
          </div>
          {day.groups.map((g) => (
            <section key={g.key} className={`card floor-group${g.past ? " floor-group-past" : ""}`} aria-labelledby={`g-${g.key}`}>
              <h3 id={`g-${g.key}`}>
                <span className="floor-code">{g.machineCode}</span> <span className="floor-group-name">{g.machineName}</span>
              </h3>
              {g.items.length > 1 || g.past ? (
                <p className="muted small">
                  {[g.items.length > 1 ? t("floor.approvals.competing", { n: g.items.length }) : "", g.past ? t("floor.approvals.past") : ""].filter(Boolean).join(" · ")}
                </p>
              ) : null}
              <ol className="floor-queue">
                {g.items.map((i) => (
                  <QueueEntry key={i.id} item={i} reason={reasonOf(i)} busy={busy} errors={failedId === i.id && a && "errors" in a ? a.errors : undefined} />
                ))}
              </ol>
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}

/** One request: when, who, what, why this rank, and its three actions as buttons of tap size. */
function QueueEntry({ item: i, reason, busy, errors: raw }: { item: QueueItem; reason: string; busy: boolean; errors?: Parameters<typeof flatFormErrors>[0] }) {
  const { t, lang, timeZone } = useI18n();
  const { errors } = flatFormErrors(raw);
  return (
    <li className="floor-queue-item" id={`p-${i.id}`}>
      <div className="floor-item-top">
        <span className="floor-time">{formatTimeRange(i.start, i.end, lang, timeZone)}</span>
        {i.groupSize > 1 ? <span className="floor-rank">{t("floor.approvals.rank", { rank: i.rank, of: i.groupSize })}</span> : null}
      </div>
      <p className="floor-ikm">
        <strong>{i.ikmName}</strong>
      </p>
      <p className="floor-job">
        {i.purpose || t("floor.noPurpose")} · {i.assisted ? t("floor.assisted") : t("floor.selfOperated")}
        <span className="muted small"> · {t("floor.approvals.requested", { at: `${formatDateShort(i.requestedAt, lang, timeZone)} ${formatTime(i.requestedAt, lang, timeZone)}` })}</span>
      </p>
      <p className="floor-why small">
        <span aria-hidden="true">⚖</span> {reason}
      </p>
      {i.restrictedUntil ? <p className="alert alert-warn small">{t("floor.ikmRestricted", { date: formatDateLong(i.restrictedUntil, lang, timeZone) })}</p> : null}
      {errors._form ? (
        <p className="alert alert-error" role="alert">
          {t(errors._form)}
        </p>
      ) : null}
      <div className="floor-queue-actions">
        <Form method="post">
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="bookingId" value={i.id} />
          <button type="submit" className="button primary" disabled={busy}>
            ✓ {t("floor.approvals.approve")}
          </button>
        </Form>
        <Link className="button" to={`/teknisi/pemesanan/${i.id}`}>
          {t("common.details")}
        </Link>
        <details className="floor-reject" open={!!errors.reason}>
        <summary className="button">{t("floor.approvals.rejectOpen")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="reject" />
          <input type="hidden" name="bookingId" value={i.id} />
          <label className="field">
            <span>{t("floor.approvals.rejectReason")}</span>
            <textarea name="reason" rows={2} maxLength={500} required aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `reason-${i.id}-error` : undefined} />
            {errors.reason ? (
              <small id={`reason-${i.id}-error`} className="field-error" role="alert">
                {t(errors.reason)}
              </small>
            ) : null}
          </label>
          <button type="submit" className="button danger block" disabled={busy}>
            {t("floor.approvals.reject")}
          </button>
        </Form>
        </details>
      </div>
    </li>
  );
}

/** What a group approval did, request by request. */
function ApprovalResults({ results }: { results: Array<{ id: number; ok: boolean; error?: string; ikmName: string; machineCode: string; start: number; end: number }> }) {
  const { t, lang, timeZone } = useI18n();
  const approved = results.filter((r) => r.ok).length;
  return (
    <div className={`alert ${approved === results.length ? "alert-ok" : "alert-warn"}`} role="status">
      <p>
        <strong>{t("floor.approvals.many.done", { ok: approved, n: results.length })}</strong>
      </p>
      <ul className="floor-results">
        {results.map((r) => (
          <li key={r.id}>
            {r.ok ? "✓" : "✗"} {r.machineCode} {r.start ? formatTimeRange(r.start, r.end, lang, timeZone) : ""} · {r.ikmName}
            {r.ok ? "" : ` — ${t(r.error ?? "floor.approvals.gone")}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
