import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { FloorContact } from "~/components/FloorContact";
import { FloorFee } from "~/components/FloorFee";
import type { FeeView } from "~/views/floor";
import { FloorField, errorProps } from "~/components/FloorField";
import { FloorNav } from "~/components/FloorNav";
import { FloorStateBadge } from "~/components/FloorStateBadge";
import { StatusBadge } from "~/components/StatusBadge";
import { formatDateLong, formatDateShort, formatRupiah, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { auditTrail, bookingsInWindow, getMaintenanceWindow } from "~/models/floor.server";
import { Id } from "~/schemas/common";
import { CheckInForm, CheckOutForm, CorrectionForm, LocalTimeField, OUTPUT_UNITS } from "~/schemas/floor";
import { formToObject } from "~/schemas/parse";
import { ServiceError } from "~/services/errors.server";
import { checkIn, checkOut, previewCheckOut } from "~/services/floor/check-in-out.server";
import { earlyStartMinutes } from "~/scheduling";
import { FloorEarlyCheckIn } from "~/components/FloorEarlyCheckIn";
import { FloorErrorSummary } from "~/components/FloorErrorSummary";
import { localTimeOn } from "~/services/floor/common.server";
import { correctUsage } from "~/services/floor/corrections.server";
import { loadFloorBooking } from "~/services/floor/day-board.server";
import { markNoShow } from "~/services/floor/no-show.server";
import { formValues } from "~/services/floor/forms.server";
import { type FormErrors, flatFormErrors } from "~/utils/form-errors";
import { failureOf, formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Pemakaian mesin · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

const OK_MESSAGES = ["checkin", "checkout", "noshow", "noshowRestricted", "corrected", "backfill", "walkin"] as const;
const CORRECTED_FIELDS = ["actual_start", "actual_end", "operator_name", "operator_kind", "output_quantity", "output_unit", "consumables", "condition", "notes", "billable_minutes", "fee"] as const;

function parseId(raw: string | undefined): number {
  const r = Id.safeParse(raw);
  if (!r.success) throw new Response("Not found", { status: 404 });
  return r.data;
}

async function load(id: number, ctx: Parameters<typeof loadFloorBooking>[1]) {
  try {
    return await loadFloorBooking(db(), ctx, id);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "floor:operate");
  const id = parseId(params.id);
  const ctx = { user, now: now() };
  const d = await load(id, ctx);
  const b = d.booking;
  const tz = d.facility.time_zone;
  const url = new URL(request.url);

  // The live fee preview of the check-out screen (?selesai=HH:mm).
  let endPreview = null;
  let endError: { key: string; params: Record<string, string | number> } | null = null;
  const selesai = url.searchParams.get("selesai");
  if (selesai !== null && b.status === "checked_in" && b.actual_start !== null) {
    const time = LocalTimeField.safeParse(selesai);
    if (!time.success) endError = { key: "floor.validation.time", params: {} };
    else {
      try {
        endPreview = await previewCheckOut(db(), ctx, id, localTimeOn(Number(b.actual_start), time.data, tz));
      } catch (error) {
        const { message } = failureOf(error);
        endError = { key: message.key, params: message.params ?? {} };
      }
    }
  }

  // After a fault at check-out: the breakdown and the bookings it affects from now on.
  let breakdown = null;
  const rusak = Id.safeParse(url.searchParams.get("rusak"));
  if (rusak.success) {
    const w = await getMaintenanceWindow(db(), rusak.data);
    if (w && w.machine_id === b.machine_id) {
      const later = await bookingsInWindow(db(), w.machine_id, { start: Math.max(ctx.now, Number(w.start_at)), end: w.end_at === null ? null : Number(w.end_at) });
      breakdown = {
        id: w.id,
        reason: w.reason,
        start: Number(w.start_at),
        open: w.end_at === null,
        affected: later.map((x) => ({ id: x.id, ikmName: x.ikm_name, start: Number(x.start_at), end: Number(x.end_at), status: x.status })),
      };
    }
  }

  const corrections =
    b.usage_id === null
      ? []
      : (await auditTrail(db(), "usage_record", b.usage_id, ["usage.correct"])).map((e) => {
          const before = JSON.parse(e.before_json ?? "{}") as Record<string, unknown>;
          const after = JSON.parse(e.after_json ?? "{}") as Record<string, unknown>;
          return {
            id: e.id,
            at: Number(e.created_at),
            actor: e.actor_name ?? "",
            reason: e.reason ?? "",
            changes: CORRECTED_FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null)).map((f) => ({
              field: f,
              from: (before[f] ?? null) as string | number | null,
              to: (after[f] ?? null) as string | number | null,
            })),
          };
        });

  return {
    b: {
      id: b.id,
      machineCode: b.machine_code,
      machineName: b.machine_name,
      ikmName: b.ikm_name,
      phone: b.ikm_phone,
      restrictedUntil: b.ikm_restricted_until !== null && Number(b.ikm_restricted_until) > ctx.now ? Number(b.ikm_restricted_until) : null,
      purpose: b.purpose,
      assisted: b.assisted === 1,
      source: b.source,
      status: b.status,
      statusReason: b.status_reason,
      start: Number(b.start_at),
      end: Number(b.end_at),
    },
    usage:
      b.usage_id === null
        ? null
        : {
            actualStart: Number(b.actual_start),
            actualEnd: b.actual_end === null ? null : Number(b.actual_end),
            operatorName: b.operator_name ?? "",
            operatorKind: (b.operator_kind ?? "ikm") as "ikm" | "unit",
            outputQuantity: b.output_quantity === null ? null : Number(b.output_quantity),
            outputUnit: b.output_unit,
            consumables: b.consumables ?? "",
            condition: b.condition,
            notes: b.notes ?? "",
            billableMinutes: b.billable_minutes,
            hourlyRate: b.hourly_rate === null ? null : Number(b.hourly_rate),
            fee: b.fee === null ? null : Number(b.fee),
          },
    state: d.state,
    lateMinutes: Math.max(0, Math.floor((ctx.now - Number(b.start_at)) / 60_000)),
    preview: d.preview,
    endPreview,
    endError,
    noShow: d.noShow,
    machineDown: d.machineDown,
    canCheckIn: d.canCheckIn,
    checkInFrom: d.checkInFrom,
    now: ctx.now,
    tel: d.tel,
    wa: d.wa,
    defaultOperator: d.defaultOperator,
    nowTime: d.nowTime,
    ok: OK_MESSAGES.find((k) => k === url.searchParams.get("ok")) ?? null,
    breakdown,
    corrections,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "floor:operate");
  const id = parseId(params.id);
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const form = await request.formData();
  const values = formValues(form);
  const intent = form.get("intent");
  const d = await load(id, ctx);
  const tz = d.facility.time_zone;
  const b = d.booking;
  const extra = { intent: String(intent), values };
  try {
    if (intent === "checkin") {
      const input = CheckInForm.parse(formToObject(form));
      const at = input.at ? localTimeOn(Number(b.start_at), input.at, tz) : ctx.now;
      // Far before the booked start: ask first (a start in the future is refused by checkIn below).
      if (form.get("early") !== "1" && at <= ctx.now) {
        const early = earlyStartMinutes(Number(b.start_at), at);
        if (early) return data({ ...extra, early, errors: {} as FormErrors });
      }
      await checkIn(db(), ctx, id, { at, operatorKind: input.operatorKind, operatorName: input.operatorName });
      return redirect(`/teknisi/pemesanan/${id}?ok=checkin#hasil`);
    }
    if (intent === "checkout" || intent === "preview") {
      const input = CheckOutForm.parse(formToObject(form));
      if (b.actual_start === null) throw new ServiceError("invalid_state", "floor.error.notCheckedIn");
      const at = localTimeOn(Number(b.actual_start), input.end, tz);
      if (intent === "preview") {
        const preview = await previewCheckOut(db(), ctx, id, at);
        return data({ ...extra, preview, feeChanged: false, errors: {} as FormErrors });
      }
      const result = await checkOut(db(), ctx, id, {
        at,
        outputQuantity: input.outputQuantity ?? null,
        outputUnit: input.outputUnit ?? null,
        consumables: input.consumables,
        condition: input.condition,
        notes: input.notes,
        // Without a shown fee (no preview yet) the screen must show it first.
        shownFee: input.shownFee ?? -1,
      });
      if (!result.saved) return data({ ...extra, preview: result.fee, feeChanged: true, errors: {} as FormErrors }, { status: 409 });
      return redirect(`/teknisi/pemesanan/${id}?ok=checkout${result.breakdownId ? `&rusak=${result.breakdownId}` : ""}#hasil`);
    }
    if (intent === "noshow") {
      const r = await markNoShow(db(), ctx, id);
      return redirect(`/teknisi/pemesanan/${id}?ok=${r.restrictedUntil ? "noshowRestricted" : "noshow"}#hasil`);
    }
    if (intent === "correct") {
      const input = CorrectionForm.parse(formToObject(form));
      if (b.actual_start === null) throw new ServiceError("invalid_state", "floor.error.noUsage");
      const day = Number(b.actual_start);
      await correctUsage(db(), ctx, id, {
        actualStart: localTimeOn(day, input.start, tz),
        actualEnd: input.end ? localTimeOn(day, input.end, tz) : undefined,
        operatorKind: input.operatorKind,
        operatorName: input.operatorName,
        outputQuantity: input.outputQuantity ?? null,
        outputUnit: input.outputUnit ?? null,
        consumables: input.consumables,
        condition: input.condition,
        notes: input.notes,
        reason: input.reason,
      });
      return redirect(`/teknisi/pemesanan/${id}?ok=corrected#hasil`);
    }
  } catch (error) {
    // A refused check-out shows the fee of the end entered, not of the time the page was opened.
    const preview = intent === "checkout" || intent === "preview" ? await enteredEndFee(ctx, id, b, values.end, tz) : null;
    return formFailure(failureOf(error), { ...extra, preview, feeChanged: false });
  }
  throw new Response("Bad request", { status: 400 });
}

/** The fee for the end time typed into the check-out form, or null when it cannot be computed. */
async function enteredEndFee(ctx: Parameters<typeof previewCheckOut>[1], id: number, b: { status: string; actual_start: number | null }, end: unknown, tz: string) {
  const time = LocalTimeField.safeParse(end);
  if (!time.success || b.status !== "checked_in" || b.actual_start === null) return null;
  try {
    return await previewCheckOut(db(), ctx, id, localTimeOn(Number(b.actual_start), time.data, tz));
  } catch {
    return null;
  }
}

function UnitChoice({ name, value, errors }: { name: string; value: string | null | undefined; errors?: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <fieldset className="floor-segment" aria-describedby={errors?.[name] ? `${name}-error` : undefined}>
      <legend>{t("floor.checkout.unit")}</legend>
      {OUTPUT_UNITS.map((u) => (
        <label key={u}>
          <input type="radio" name={name} value={u} defaultChecked={value === u} />
          <span>{u}</span>
        </label>
      ))}
      {errors?.[name] ? (
        <small id={`${name}-error`} className="field-error" role="alert">
          {t(errors[name])}
        </small>
      ) : null}
    </fieldset>
  );
}

function ConditionChoice({ value }: { value: string | null | undefined }) {
  const { t } = useI18n();
  return (
    <fieldset className="floor-segment floor-condition">
      <legend>{t("floor.checkout.condition")}</legend>
      <label>
        <input type="radio" name="condition" value="ok" defaultChecked={value !== "fault"} />
        <span>✓ {t("floor.condition.ok")}</span>
      </label>
      <label className="floor-condition-fault">
        <input type="radio" name="condition" value="fault" defaultChecked={value === "fault"} />
        <span>⚠ {t("floor.condition.fault")}</span>
      </label>
    </fieldset>
  );
}

function OperatorChoice({ kind, name }: { kind: "ikm" | "unit"; name: string }) {
  const { t } = useI18n();
  return (
    <>
      <fieldset className="floor-segment">
        <legend>{t("floor.checkin.operator")}</legend>
        <label>
          <input type="radio" name="operatorKind" value="ikm" defaultChecked={kind === "ikm"} />
          <span>{t("floor.operator.ikm")}</span>
        </label>
        <label>
          <input type="radio" name="operatorKind" value="unit" defaultChecked={kind === "unit"} />
          <span>{t("floor.operator.unit")}</span>
        </label>
      </fieldset>
      <FloorField label={t("floor.checkin.operatorName")} name="operatorName" hint={t("floor.checkin.operatorNameHint")}>
        <input name="operatorName" defaultValue={name} maxLength={120} autoComplete="off" aria-describedby="operatorName-hint" />
      </FloorField>
    </>
  );
}

export default function FloorBooking() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const fetcher = useFetcher<typeof loader>();
  const time = (ms: number) => formatTime(ms, lang, timeZone);
  const { errors, params } = flatFormErrors(a?.errors);
  const values = (a && "values" in a ? a.values : {}) as Record<string, string>;
  const intent = a && "intent" in a ? a.intent : null;
  const v = (name: string, fallback: string) => (values[name] ?? fallback) as string;

  const [end, setEnd] = useState(v("end", d.nowTime));
  const loadPreview = fetcher.load;
  useEffect(() => {
    if (d.b.status !== "checked_in" || !/^\d{2}:\d{2}$/.test(end)) return;
    loadPreview(`/teknisi/pemesanan/${d.b.id}?selesai=${end}`);
  }, [end, d.b.id, d.b.status, loadPreview]);
  const live = fetcher.data?.endPreview ?? null;
  const liveError = fetcher.data?.endError ?? null;
  // After a post, the fee of what was entered (none when that end gives none), never the page's old one.
  const shown = (live ?? (a && "preview" in a ? a.preview : d.preview)) as FeeView | null;

  const okKey = d.ok ? `floor.ok.${d.ok}` : null;
  const formError = errors._form;
  const whenLong = `${formatDateLong(d.b.start, lang, timeZone)} · ${formatTimeRange(d.b.start, d.b.end, lang, timeZone)}`;
  const fmtChange = (field: string, value: string | number | null) => {
    if (value === null || value === "") return "–";
    if (field === "actual_start" || field === "actual_end") return time(Number(value));
    if (field === "fee") return formatRupiah(Number(value));
    if (field === "billable_minutes") return formatDuration(Number(value), lang);
    if (field === "output_quantity") return Number(value).toLocaleString(lang === "id" ? "id-ID" : "en-GB");
    if (field === "operator_kind") return t(`floor.operator.${value}`);
    if (field === "condition") return t(`floor.condition.${value}`);
    return String(value);
  };

  return (
    <div className="floor">
      <FloorNav />
      <p className="floor-back">
        <Link to={`/teknisi#b-${d.b.id}`}>← {t("floor.back")}</Link>
      </p>
      <section className="card floor-head">
        <p className="floor-head-machine">
          <span className="floor-code">{d.b.machineCode}</span> {d.b.machineName}
        </p>
        <h1>{d.b.ikmName}</h1>
        <p>{whenLong}</p>
        <p className="row">
          {d.b.status === "confirmed" || d.b.status === "pending" ? <FloorStateBadge state={d.state} lateMinutes={d.lateMinutes} /> : <StatusBadge status={d.b.status} />}
          <span className="floor-tag">{d.b.assisted ? t("floor.assisted") : t("floor.selfOperated")}</span>
          {d.b.source === "walk_in" || d.b.source === "backfill" ? <span className="floor-tag floor-tag-source">{t(`floor.source.${d.b.source}`)}</span> : null}
        </p>
        <p className="floor-job">
          <span className="muted">{t("booking.purpose")}:</span> {d.b.purpose || t("floor.noPurpose")}
        </p>
        {d.b.restrictedUntil ? <p className="alert alert-warn">{t("floor.ikmRestricted", { date: formatDateLong(d.b.restrictedUntil, lang, timeZone) })}</p> : null}
        <FloorContact tel={d.tel} wa={d.wa} phone={d.b.phone} />
      </section>

      {okKey ? (
        <p className="alert alert-ok" role="status" id="hasil" tabIndex={-1}>
          {t(okKey)}
        </p>
      ) : null}
      {intent === "checkout" || intent === "preview" ? (
        <FloorErrorSummary
          errors={errors}
          params={params}
          formId="selesai"
          labels={{ end: t("floor.checkout.end"), outputQuantity: t("floor.checkout.output"), outputUnit: t("floor.checkout.unit"), condition: t("floor.checkout.condition"), notes: t("floor.checkout.notes"), consumables: t("floor.checkout.consumables") }}
        />
      ) : null}
      {a && "early" in a && a.early ? (
        <FloorEarlyCheckIn minutes={a.early} start={d.b.start} fields={{ intent: "checkin", ...values }} cancelTo={`/teknisi/pemesanan/${d.b.id}`} busy={busy} />
      ) : null}
      {formError ? (
        <p className="alert alert-error" role="alert">
          {t(formError, params)}
        </p>
      ) : null}

      {d.breakdown ? (
        <section className="card floor-breakdown" aria-labelledby="rusak-h">
          <h2 id="rusak-h">⚠ {t("floor.breakdown.title")}</h2>
          <p>{t("floor.breakdown.body", { time: time(d.breakdown.start), reason: d.breakdown.reason })}</p>
          {d.breakdown.affected.length ? (
            <>
              <p>{t("floor.breakdown.affected", { n: d.breakdown.affected.length })}</p>
              <Link className="button primary block floor-big" to={`/teknisi/perawatan/${d.breakdown.id}`}>
                {t("floor.breakdown.resolve")}
              </Link>
              <ul className="plain-list">
                {d.breakdown.affected.slice(0, 5).map((x) => (
                  <li key={x.id}>
                    <strong>{x.ikmName}</strong> · {formatDateShort(x.start, lang, timeZone)} {formatTimeRange(x.start, x.end, lang, timeZone)}
                  </li>
                ))}
              </ul>
              {d.breakdown.affected.length > 5 ? <p className="muted small">{t("floor.breakdown.more", { n: d.breakdown.affected.length - 5 })}</p> : null}
            </>
          ) : (
            <>
              <p className="muted">{t("floor.breakdown.none")}</p>
              <Link className="button block" to={`/teknisi/perawatan/${d.breakdown.id}`}>
                {t("common.details")}
              </Link>
            </>
          )}
        </section>
      ) : null}

      {d.b.status === "pending" ? (
        <section className="card">
          <p>{t("floor.pending.body")}</p>
          <Link className="button block" to="/teknisi/persetujuan">
            {t("floor.action.toApprovals")}
          </Link>
        </section>
      ) : null}

      {d.b.status === "confirmed" ? (
        <>
          <section className="card" id="mulai" aria-labelledby="mulai-h">
            <h2 id="mulai-h">{t("floor.checkin.title")}</h2>
            {d.machineDown ? <p className="alert alert-error">{t("floor.error.machineDown")}</p> : null}
            {!d.canCheckIn && intent === "checkin" && errors.at ? (
              <p className="alert alert-error" role="alert">
                {t(errors.at, params)}
              </p>
            ) : null}
            {d.canCheckIn ? (
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="checkin" />
              <FloorField label={t("floor.checkin.at")} name="at" error={intent === "checkin" ? errors.at : undefined} params={params} hint={t("floor.checkin.atHint")}>
                <input type="time" name="at" defaultValue={v("at", d.nowTime)} required {...errorProps("at", intent === "checkin" ? errors : undefined)} />
              </FloorField>
              <OperatorChoice kind={d.defaultOperator.kind} name={v("operatorName", d.defaultOperator.name)} />
              <button type="submit" name="go" className="button primary block floor-big" disabled={busy || d.machineDown}>
                <span aria-hidden="true">▶</span> {t("floor.action.checkIn")}
              </button>
            </Form>
            ) : d.checkInFrom > d.now ? (
              <p className="muted">{t("floor.checkin.notYet", { date: formatDateLong(d.checkInFrom, lang, timeZone) })}</p>
            ) : null}
          </section>
          {d.noShow ? (
            <section className="card" id="tidak-hadir" aria-labelledby="noshow-h">
              <h2 id="noshow-h">{t("floor.noShow.title")}</h2>
              {d.noShow.allowed ? (
                <>
                  <p>{t("floor.noShow.body", { time: time(d.noShow.graceEnd) })}</p>
                  <p className={d.noShow.newRestriction ? "alert alert-warn" : "muted"}>
                    {t("floor.noShow.count", { n: d.noShow.count, days: d.noShow.windowDays })}{" "}
                    {d.noShow.newRestriction && d.noShow.restrictedUntil ? t("floor.noShow.willRestrict", { date: formatDateLong(d.noShow.restrictedUntil, lang, timeZone) }) : ""}
                  </p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="noshow" />
                    <button type="submit" className="button danger block floor-mid" disabled={busy}>
                      {t("floor.action.noShow")}
                    </button>
                  </Form>
                </>
              ) : (
                <p className="muted">{t("floor.noShow.notYet", { time: time(d.noShow.graceEnd) })}</p>
              )}
            </section>
          ) : null}
        </>
      ) : null}

      {d.b.status === "checked_in" && d.usage ? (
        <section className="card" id="selesai" aria-labelledby="selesai-h">
          <h2 id="selesai-h">{t("floor.checkout.title")}</h2>
          <p className="floor-usage">{t("floor.card.inUseSince", { time: time(d.usage.actualStart), operator: d.usage.operatorName })}</p>
          <Form method="post" className="stack" noValidate>
            <FloorField label={t("floor.checkout.end")} name="end" error={errors.end ?? (liveError ? liveError.key : undefined)} params={errors.end ? params : (liveError?.params ?? {})}>
              <input type="time" name="end" value={end} onChange={(e) => setEnd(e.target.value)} required {...errorProps("end", errors.end || liveError ? { end: "x" } : undefined)} />
            </FloorField>
            <div className="floor-output">
              <FloorField label={t("floor.checkout.output")} name="outputQuantity" error={errors.outputQuantity} hint={t("floor.checkout.outputHint")}>
                <input name="outputQuantity" inputMode="decimal" autoComplete="off" defaultValue={v("outputQuantity", "")} {...errorProps("outputQuantity", errors)} />
              </FloorField>
              <UnitChoice name="outputUnit" value={v("outputUnit", "pcs")} errors={errors} />
            </div>
            <FloorField label={t("floor.checkout.consumables")} name="consumables" hint={t("floor.checkout.consumablesHint")}>
              <input name="consumables" defaultValue={v("consumables", "")} maxLength={500} autoComplete="off" />
            </FloorField>
            <ConditionChoice value={v("condition", "ok")} />
            <FloorField label={t("floor.checkout.notes")} name="notes" error={errors.notes} hint={t("floor.checkout.notesHint")}>
              <textarea name="notes" defaultValue={v("notes", "")} maxLength={1000} rows={3} {...errorProps("notes", errors)} />
            </FloorField>
            {a && "feeChanged" in a && a.feeChanged ? (
              <p className="alert alert-warn" role="alert">
                {t("floor.checkout.feeChanged")}
              </p>
            ) : null}
            {shown ? <FloorFee fee={shown} live /> : <p className="muted">{t("floor.checkout.noPreview")}</p>}
            <input type="hidden" name="shownFee" value={shown ? String(shown.fee) : ""} />
            <div className="floor-buttons">
              <button type="submit" name="intent" value="checkout" className="button primary floor-big" disabled={busy || fetcher.state !== "idle"}>
                <span aria-hidden="true">■</span> {t("floor.action.saveCheckOut")}
              </button>
              <button type="submit" name="intent" value="preview" className="button floor-mid" disabled={busy}>
                {t("floor.action.preview")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {d.b.status === "completed" && d.usage ? (
        <section className="card" aria-labelledby="usage-h">
          <h2 id="usage-h">{t("floor.usage.title")}</h2>
          <dl className="floor-facts">
            <div>
              <dt>{t("floor.usage.time")}</dt>
              <dd>{d.usage.actualEnd !== null ? formatTimeRange(d.usage.actualStart, d.usage.actualEnd, lang, timeZone) : time(d.usage.actualStart)}</dd>
            </div>
            <div>
              <dt>{t("floor.usage.operator")}</dt>
              <dd>
                {d.usage.operatorName} ({t(`floor.operator.${d.usage.operatorKind}`)})
              </dd>
            </div>
            <div>
              <dt>{t("floor.checkout.output")}</dt>
              <dd>{d.usage.outputQuantity !== null ? `${d.usage.outputQuantity.toLocaleString(lang === "id" ? "id-ID" : "en-GB")} ${d.usage.outputUnit ?? ""}` : "–"}</dd>
            </div>
            <div>
              <dt>{t("floor.checkout.condition")}</dt>
              <dd>{d.usage.condition ? t(`floor.condition.${d.usage.condition}`) : "–"}</dd>
            </div>
            <div>
              <dt>{t("floor.checkout.consumables")}</dt>
              <dd>{d.usage.consumables || "–"}</dd>
            </div>
            <div>
              <dt>{t("floor.checkout.notes")}</dt>
              <dd>{d.usage.notes || "–"}</dd>
            </div>
          </dl>
          {d.usage.fee !== null && d.usage.billableMinutes !== null && d.usage.hourlyRate !== null && d.usage.actualEnd !== null ? (
            <p className="floor-fee-line">
              <strong>
                {t("floor.fee.title")}: {formatRupiah(d.usage.fee)}
              </strong>{" "}
              <span className="muted">{t("floor.fee.short", { billed: formatDuration(d.usage.billableMinutes, lang), rate: formatRupiah(d.usage.hourlyRate) })}</span>
            </p>
          ) : null}
        </section>
      ) : null}

      {d.b.status === "no_show" ? (
        <section className="card">
          <p>{t("floor.noShow.marked")}</p>
        </section>
      ) : null}

      {(d.b.status === "completed" || d.b.status === "checked_in") && d.usage ? (
        <section className="card" id="koreksi" aria-labelledby="koreksi-h">
          <details open={intent === "correct"}>
            <summary className="floor-summary-toggle">
              <h2 id="koreksi-h">{t("floor.correct.title")}</h2>
            </summary>
            <p className="muted">{t("floor.correct.intro")}</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="correct" />
              <div className="grid-2">
                <FloorField label={t("floor.correct.start")} name="start" error={intent === "correct" ? errors.start : undefined} params={params}>
                  <input type="time" name="start" defaultValue={v("start", formatTime(d.usage.actualStart, "en", timeZone))} required />
                </FloorField>
                {d.b.status === "completed" && d.usage.actualEnd !== null ? (
                  <FloorField label={t("floor.correct.end")} name="end" error={intent === "correct" ? errors.end : undefined} params={params}>
                    <input type="time" name="end" defaultValue={v("end", formatTime(d.usage.actualEnd, "en", timeZone))} required />
                  </FloorField>
                ) : null}
              </div>
              <OperatorChoice kind={(v("operatorKind", d.usage.operatorKind) as "ikm" | "unit") ?? "ikm"} name={v("operatorName", d.usage.operatorName)} />
              {d.b.status === "completed" ? (
                <>
                  <div className="floor-output">
                    <FloorField label={t("floor.checkout.output")} name="outputQuantity" error={intent === "correct" ? errors.outputQuantity : undefined}>
                      <input name="outputQuantity" inputMode="decimal" autoComplete="off" defaultValue={v("outputQuantity", d.usage.outputQuantity === null ? "" : String(d.usage.outputQuantity).replace(".", lang === "id" ? "," : "."))} />
                    </FloorField>
                    <UnitChoice name="outputUnit" value={v("outputUnit", d.usage.outputUnit ?? "")} errors={intent === "correct" ? errors : undefined} />
                  </div>
                  <FloorField label={t("floor.checkout.consumables")} name="consumables">
                    <input name="consumables" defaultValue={v("consumables", d.usage.consumables)} maxLength={500} autoComplete="off" />
                  </FloorField>
                  <ConditionChoice value={v("condition", d.usage.condition ?? "ok")} />
                  <FloorField label={t("floor.checkout.notes")} name="notes">
                    <textarea name="notes" defaultValue={v("notes", d.usage.notes)} maxLength={1000} rows={2} />
                  </FloorField>
                </>
              ) : null}
              <FloorField label={t("floor.correct.reason")} name="reason" error={intent === "correct" ? errors.reason : undefined} hint={t("floor.correct.reasonHint")}>
                <textarea name="reason" defaultValue={v("reason", "")} maxLength={500} rows={2} required {...errorProps("reason", intent === "correct" ? errors : undefined)} />
              </FloorField>
              <button type="submit" className="button primary block" disabled={busy}>
                {t("floor.correct.submit")}
              </button>
            </Form>
          </details>
          {d.corrections.length ? (
            <div className="floor-history">
              <h3>{t("floor.correct.history")}</h3>
              <ol className="plain-list">
                {d.corrections.map((c) => (
                  <li key={c.id}>
                    <p>
                      <strong>
                        {formatDateShort(c.at, lang, timeZone)} {time(c.at)}
                      </strong>{" "}
                      · {c.actor} · “{c.reason}”
                    </p>
                    <ul className="floor-changes">
                      {c.changes.map((ch) => (
                        <li key={ch.field}>
                          {t(`floor.field.${ch.field}`)}: <del>{fmtChange(ch.field, ch.from)}</del> → <ins>{fmtChange(ch.field, ch.to)}</ins>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
