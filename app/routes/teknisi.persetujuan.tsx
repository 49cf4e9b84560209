import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FloorNav } from "~/components/FloorNav";
import { formatDateLong, formatDateShort, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { Id } from "~/schemas/common";
import { RejectForm } from "~/schemas/floor";
import { formToObject } from "~/schemas/parse";
import { type QueueItem, approvalQueue } from "~/services/floor/approvals.server";
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
  return { now: t, groups: await approvalQueue(db(), t), ok: url.searchParams.get("ok") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "booking:approve");
  const form = await request.formData();
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const intent = form.get("intent");
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
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const reasonOf = useReason();
  const failedId = a && "bookingId" in a ? Number(a.bookingId) : null;
  const count = d.groups.reduce((n, g) => n + g.items.length, 0);
  const listed = d.groups.some((g) => g.items.some((i) => i.id === failedId));
  const orphanError = !listed && a?.errors ? Object.values(a.errors)[0]?.key : undefined;
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
      {orphanError ? (
        <p className="alert alert-error" role="alert">
          {t(orphanError)}
        </p>
      ) : null}
      {count === 0 ? <p className="card muted">{t("floor.approvals.empty")}</p> : null}
      {d.groups.map((g) => (
        <section key={g.key} className={`card floor-group${g.past ? " floor-group-past" : ""}`} aria-labelledby={`g-${g.key}`}>
          <h2 id={`g-${g.key}`}>
            <span className="floor-code">{g.machineCode}</span> {formatDateLong(g.start, lang, timeZone)}
          </h2>
          <p className="muted small">
            {g.machineName}
            {g.items.length > 1 ? ` · ${t("floor.approvals.competing", { n: g.items.length })}` : ""}
            {g.past ? ` · ${t("floor.approvals.past")}` : ""}
          </p>
          <ol className="floor-queue">
            {g.items.map((i) => {
              const { errors } = flatFormErrors(failedId === i.id ? a?.errors : undefined);
              return (
                <li key={i.id} className="floor-queue-item" id={`p-${i.id}`}>
                  <div className="floor-item-top">
                    <span className="floor-time">{formatTimeRange(i.start, i.end, lang, timeZone)}</span>
                    {i.groupSize > 1 ? <span className="floor-rank">{t("floor.approvals.rank", { rank: i.rank, of: i.groupSize })}</span> : null}
                  </div>
                  <p className="floor-ikm">
                    <strong>{i.ikmName}</strong>
                  </p>
                  <p className="floor-job">
                    {i.purpose || t("floor.noPurpose")} · {i.assisted ? t("floor.assisted") : t("floor.selfOperated")}
                  </p>
                  <p className="floor-why">
                    <span aria-hidden="true">⚖</span> {reasonOf(i)}
                  </p>
                  <p className="muted small">
                    {t("floor.approvals.requested", { at: `${formatDateShort(i.requestedAt, lang, timeZone)} ${formatTime(i.requestedAt, lang, timeZone)}` })}
                  </p>
                  {i.restrictedUntil ? <p className="alert alert-warn small">{t("floor.ikmRestricted", { date: formatDateLong(i.restrictedUntil, lang, timeZone) })}</p> : null}
                  {errors._form ? (
                    <p className="alert alert-error" role="alert">
                      {t(errors._form)}
                    </p>
                  ) : null}
                  <div className="floor-actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="approve" />
                      <input type="hidden" name="bookingId" value={i.id} />
                      <button type="submit" className="button primary floor-big" disabled={busy}>
                        ✓ {t("floor.approvals.approve")}
                      </button>
                    </Form>
                  </div>
                  <details className="floor-reject" open={!!errors.reason}>
                    <summary>{t("floor.approvals.rejectOpen")}</summary>
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
                  <p className="small">
                    <Link to={`/teknisi/pemesanan/${i.id}`}>{t("common.details")}</Link>
                  </p>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </div>
  );
}
