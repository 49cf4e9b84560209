import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  BookingAlternatives,
  BookingHiddenFields,
  BookingNext,
  BookingOk,
  BookingReasons,
  BookingSeriesTable,
  BookingSubmit,
  type CheckView,
  DurationChoices,
  type FormValues,
  type SeriesView,
  dateLabel,
  timeLabel,
  timeOptions,
} from "~/components/BookingParts";
import { formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { BookingFormSchema, decisionSignature } from "~/schemas/ikm-booking";
import { fieldErrors, formToObject } from "~/schemas/parse";
import { bookingFormFailure, checkForm, facilityZone, formRequest } from "~/services/booking/form.server";
import { requestBooking } from "~/services/booking/commands.server";
import { ServiceError } from "~/services/errors.server";
import { bookingFormBasics, checkView } from "~/services/booking/views.server";
import { bookSeries } from "~/services/booking/series.server";
import { missingClosureYears } from "~/services/admin/closure-years.server";
import type { loader as checkLoader } from "~/routes/pesan_.cek";
import { forbidden, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Pesan mesin · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

async function bookingUser(request: Request) {
  const user = await requireUser(request);
  if (!can(user, "booking:make")) throw forbidden();
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await bookingUser(request);
  const t = now();
  const basics = await bookingFormBasics(db(), user, t);
  const q = new URL(request.url).searchParams;
  const machine = basics.machines.find((m) => String(m.id) === q.get("machineId")) ?? basics.machines.find((m) => m.status === "active") ?? basics.machines[0];
  const date = /^\d{4}-\d{2}-\d{2}$/.test(q.get("date") ?? "") ? (q.get("date") as string) : basics.defaultDate;
  const values: FormValues = {
    machineId: machine ? String(machine.id) : "",
    date,
    start: q.get("start") ?? "",
    end: q.get("end") ?? "",
    purpose: "",
    assisted: q.get("assisted") === "1",
    weeks: "1",
    ikmId: q.get("ikmId") ?? "",
    overrideReason: "",
  };
  // Prefilled from the board or a machine page: decide it now, so the verdict (and the one-tap
  // "book" button) is there at once, with or without JavaScript.
  let initial: { signature: string; check: CheckView | null; series: SeriesView | null } | null = null;
  if (q.get("start") && q.get("end")) {
    const parsed = BookingFormSchema.safeParse(values);
    if (parsed.success) {
      try {
        initial = await checkForm(db(), { user, now: t }, parsed.data, user.language);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
      }
    }
  }
  return { ...basics, values, initial, holidaysUnset: await missingClosureYears(db(), t) };
}

type ActionResult =
  | { step: "invalid"; values: FormValues; errors: Record<string, string> }
  | { step: "confirm"; values: FormValues; check: CheckView; signature: string }
  | { step: "refused"; values: FormValues; check: CheckView }
  | { step: "series"; values: FormValues; series: SeriesView; signature: string };

function valuesOf(raw: Record<string, unknown>): FormValues {
  const s = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : "");
  return {
    machineId: s("machineId"),
    date: s("date"),
    start: s("start"),
    end: s("end"),
    purpose: s("purpose").slice(0, 500),
    assisted: raw.assisted === "1" || raw.assisted === "on",
    weeks: s("weeks") || "1",
    ikmId: s("ikmId"),
    overrideReason: s("overrideReason").slice(0, 500),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await bookingUser(request);
  const raw = formToObject(await request.formData());
  const values = valuesOf(raw);
  const parsed = BookingFormSchema.safeParse(raw);
  if (!parsed.success) return data<ActionResult>({ step: "invalid", values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const f = parsed.data;
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const lang = user.language;
  const tz = await facilityZone(db());
  let req: ReturnType<typeof formRequest>;
  try {
    req = formRequest(f, user, tz);
  } catch {
    return data<ActionResult>({ step: "invalid", values, errors: { date: "ikm.form.error.date" } }, { status: 400 });
  }
  const confirmed = raw.confirm === "1" && raw.checked === decisionSignature(f);
  try {
    if (f.weeks > 1) {
      if (confirmed) {
        const booked = await bookSeries(db(), ctx, req);
        if (booked.seriesId !== null) throw redirect(`/pemesanan/seri/${booked.seriesId}?baru=1`);
      }
      const result = await checkForm(db(), ctx, f, lang);
      return data<ActionResult>({ step: "series", values, series: result.series as SeriesView, signature: result.signature });
    }
    if (confirmed) {
      const out = await requestBooking(db(), ctx, req);
      if (out.ok) throw redirect(`/pemesanan/${out.booking.id}?baru=1`);
      const check = checkView({ ok: false, status: null, violations: out.violations, notices: [], alternatives: out.alternatives, feeEstimate: 0 }, lang, tz, req.start);
      return data<ActionResult>({ step: "refused", values, check }, { status: 409 });
    }
    const result = await checkForm(db(), ctx, f, lang);
    const check = result.check as CheckView;
    if (check.ok) return data<ActionResult>({ step: "confirm", values, check, signature: result.signature });
    return data<ActionResult>({ step: "refused", values, check }, { status: 409 });
  } catch (error) {
    return data<ActionResult>({ step: "invalid", values, errors: bookingFormFailure(error).errors }, { status: 400 });
  }
}

export default function BookingFormPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionResult | undefined;
  const { t, lang } = useI18n();
  const [v, setV] = useState<FormValues>(a?.values ?? d.values);
  const fetcher = useFetcher<typeof checkLoader>();
  const machine = d.machines.find((m) => String(m.id) === v.machineId);
  const opts = useMemo(() => timeOptions(machine, v.date), [machine, v.date]);
  const start = opts.starts.includes(v.start) ? v.start : (opts.starts[0] ?? "");
  const wantEnd = (() => {
    if (!machine) return opts.ends[0] ?? "";
    const [h, m] = start.split(":").map(Number);
    const min = h * 60 + m + Math.max(60, machine.minMinutes);
    return opts.ends.find((e) => e >= `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`) ?? opts.ends[opts.ends.length - 1] ?? "";
  })();
  const end = opts.ends.includes(v.end) && v.end > start ? v.end : wantEnd;
  const current: FormValues = { ...v, start, end };
  const signature = decisionSignature(current);
  const errors = a?.step === "invalid" ? a.errors : {};
  const closure = d.closures[v.date];

  // Live check: decide what is chosen while choosing (debounced), without writing anything.
  const lastLoaded = useRef(d.initial?.signature ?? "");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fingerprint stands for every value decided; a new one is the only reason to check again
  useEffect(() => {
    if (!current.machineId || !current.date || !current.start || !current.end) return;
    if (signature === lastLoaded.current) return;
    const timer = setTimeout(() => {
      lastLoaded.current = signature;
      const q = new URLSearchParams({
        machineId: current.machineId,
        date: current.date,
        start: current.start,
        end: current.end,
        weeks: current.weeks,
        ...(current.assisted ? { assisted: "1" } : {}),
        ...(current.ikmId ? { ikmId: current.ikmId } : {}),
        ...(current.overrideReason ? { overrideReason: current.overrideReason } : {}),
      });
      fetcher.load(`/pesan/cek?${q}`);
    }, 250);
    return () => clearTimeout(timer);
  }, [signature]);

  const liveData = fetcher.data && fetcher.data.signature === signature ? fetcher.data : d.initial?.signature === signature ? d.initial : null;
  const live = liveData && "check" in liveData ? liveData : null;
  const checking = fetcher.state === "loading";
  // Where the free time from the chosen start ends: kept while another end is being checked.
  const freeKey = `${current.machineId}|${current.date}|${start}`;
  const lastFree = useRef<{ key: string; until: string | null }>({ key: "", until: null });
  if (live?.check) lastFree.current = { key: freeKey, until: live.check.freeUntil };
  const freeUntil = lastFree.current.key === freeKey ? lastFree.current.until : null;
  const ready = !!live && (live.check?.ok || (live.series?.fitting ?? 0) > 0);
  const weeks = Number(current.weeks) || 1;
  // The result of a post stays on screen until the member changes something.
  const [dirty, setDirty] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result of a post (a new object) shows it again
  useEffect(() => setDirty(false), [a]);
  const set = (patch: Partial<FormValues>) => {
    setDirty(true);
    setV((old) => ({ ...old, ...patch }));
  };
  const groups = useMemo(() => {
    const out: Array<{ typeName: string; machines: typeof d.machines }> = [];
    for (const m of d.machines) {
      const g = out.find((x) => x.typeName === m.typeName);
      if (g) g.machines.push(m);
      else out.push({ typeName: m.typeName, machines: [m] });
    }
    return out;
  }, [d.machines]);
  const showResult = !!a && a.step !== "invalid" && !dirty;

  return (
    <>
      <h1>{t("ikm.form.title")}</h1>

      {showResult && a?.step === "confirm" ? (
        <section className="card confirm-card" aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t("ikm.confirm.title")}</h2>
          <p className="confirm-what">
            <strong>
              {machine?.code} · {machine?.name}
            </strong>
            <br />
            {dateLabel(a.values.date, lang)}, {timeLabel(a.values.start, lang)}–{timeLabel(a.values.end, lang)} {t("common.wib")}
          </p>
          <p>{t("ikm.check.fee", { fee: formatRupiah(a.check.feeEstimate) })}</p>
          <BookingNext status={a.check.status} />
          {a.check.notices.map((n) => (
            <p key={n} className="notice">
              {n}
            </p>
          ))}
          <Form method="post">
            <BookingHiddenFields v={a.values} confirm />
            <BookingSubmit match={{ confirm: "1" }}>{t("ikm.confirm.yes")}</BookingSubmit>
          </Form>
        </section>
      ) : null}

      {showResult && a?.step === "refused" ? (
        <section className="card refusal" aria-labelledby="refused-title">
          <h2 id="refused-title">{t("ikm.refused.title")}</h2>
          <BookingReasons reasons={a.check.reasons} title={t("ikm.check.refused")} />
          <BookingAlternatives alternatives={a.check.alternatives} base={a.values} title={t("ikm.alt.title")} waitlist={!d.staff} />
        </section>
      ) : null}

      {showResult && a?.step === "series" ? (
        <section className="card" aria-labelledby="series-title">
          <h2 id="series-title">{t("ikm.series.title", { n: a.series.rows.length })}</h2>
          <BookingSeriesTable series={a.series} />
          {a.series.fitting > 0 ? (
            <Form method="post">
              <BookingHiddenFields v={a.values} confirm />
              <BookingSubmit match={{ confirm: "1" }}>{t("ikm.form.bookSeries", { n: a.series.fitting })}</BookingSubmit>
            </Form>
          ) : null}
        </section>
      ) : null}

      <Form method="post" id="booking-form" className="card stack booking-form" noValidate>
        {errors._form ? (
          <p className="alert alert-error" role="alert">
            {t(errors._form)}
          </p>
        ) : null}
        {Object.keys(errors).length && !errors._form ? (
          <p className="alert alert-error" role="alert">
            {t("ikm.form.error.fix")}
          </p>
        ) : null}

        {d.staff ? (
          <Field label={t("ikm.form.ikm")} error={errors.ikmId} id="ikmId">
            <select id="ikmId" name="ikmId" value={v.ikmId} onChange={(e) => set({ ikmId: e.target.value })} aria-invalid={errors.ikmId ? true : undefined} required>
              <option value="">{t("ikm.form.ikm.choose")}</option>
              {d.ikms.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}

        <Field label={t("ikm.form.machine")} error={errors.machineId} id="machineId">
          <select id="machineId" name="machineId" value={v.machineId} onChange={(e) => set({ machineId: e.target.value })} aria-invalid={errors.machineId ? true : undefined} aria-describedby="machine-info">
            {groups.map((g) => (
              <optgroup key={g.typeName} label={g.typeName}>
                {g.machines.map((m) => (
                  <option key={m.id} value={m.id} disabled={m.status !== "active"}>
                    {m.code} · {m.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {machine ? (
            <small id="machine-info" className="muted">
              {t("ikm.form.machineInfo", {
                min: formatDuration(machine.minMinutes, lang),
                max: formatDuration(machine.maxMinutes, lang),
                rate: formatRupiah(machine.hourlyRate),
              })}
              {machine.requiresApproval ? ` · ${t("ikm.form.needsApproval")}` : ""} · <Link to={`/mesin/${machine.id}`}>{t("ikm.form.machineRules")}</Link>
            </small>
          ) : null}
        </Field>

        <Field label={t("ikm.form.date")} error={errors.date} id="date">
          <input
            id="date"
            name="date"
            type="date"
            value={v.date}
            min={d.today}
            max={d.maxDate}
            onChange={(e) => set({ date: e.target.value })}
            aria-invalid={errors.date ? true : undefined}
            aria-describedby={v.date && d.holidaysUnset.includes(v.date.slice(0, 4)) ? "date-hint date-holidays" : "date-hint"}
            required
          />
          <small id="date-hint" className={closure || opts.closedWeekday ? "field-error" : "muted"}>
            {closure ? t("ikm.form.closedDay", { name: closure }) : opts.closedWeekday ? t("ikm.form.closedWeekday") : v.date ? dateLabel(v.date, lang) : ""}
          </small>
          {v.date && !closure && d.holidaysUnset.includes(v.date.slice(0, 4)) ? (
            <small id="date-holidays" className="muted">
              {t("ikm.holidaysUnset", { year: v.date.slice(0, 4) })}
            </small>
          ) : null}
        </Field>

        <div className="grid-2 time-pair">
          <Field label={t("ikm.form.start")} error={errors.start} id="start">
            <select id="start" name="start" value={start} onChange={(e) => set({ start: e.target.value, end: "" })} aria-invalid={errors.start ? true : undefined}>
              {opts.starts.map((x) => (
                <option key={x} value={x}>
                  {timeLabel(x, lang)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("ikm.form.end")} error={errors.end} id="end">
            <select id="end" name="end" value={end} onChange={(e) => set({ end: e.target.value })} aria-invalid={errors.end ? true : undefined}>
              {opts.ends.map((x) => (
                <option key={x} value={x} disabled={x <= start}>
                  {timeLabel(x, lang)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {machine && freeUntil ? <DurationChoices v={current} start={start} end={end} until={freeUntil} machine={machine} onPick={(to) => set({ end: to })} /> : null}

        {machine?.operatorMode === "both" ? (
          <label className="checkbox">
            <input type="checkbox" name="assisted" value="1" checked={v.assisted} onChange={(e) => set({ assisted: e.target.checked })} />
            <span>{t("ikm.form.assisted")}</span>
          </label>
        ) : machine?.operatorMode === "assisted" ? (
          <p className="muted small">{t("ikm.machine.operator.assisted")}</p>
        ) : null}

        <input type="hidden" name="via" value="form" />
        {ready ? (
          <>
            <input type="hidden" name="confirm" value="1" />
            <input type="hidden" name="checked" value={signature} />
          </>
        ) : null}
      </Form>

      <div className="live" aria-live="polite">
        {checking && !live ? <p className="muted">{t("ikm.form.checking")}</p> : null}
        {live?.check && !showResult ? (
          live.check.ok ? (
            <BookingOk check={live.check} />
          ) : (
            <section className="card refusal">
              <BookingReasons reasons={live.check.reasons} title={t("ikm.check.refused")} />
              <BookingAlternatives alternatives={live.check.alternatives} base={current} title={t("ikm.alt.title")} waitlist={!d.staff} />
            </section>
          )
        ) : null}
        {live?.series && !showResult ? (
          <section className="card">
            <BookingSeriesTable series={live.series} />
          </section>
        ) : null}
      </div>

      {/* The job and the repeat come before the button that books: what is filled in is seen before the tap. */}
      <details className="card extras" open={weeks > 1 || !!v.purpose || !!v.overrideReason || !!errors.weeks || !!errors.purpose}>
        <summary>{t("ikm.form.extras")}</summary>
        <div className="stack">
            <Field label={t("ikm.form.weeks")} error={errors.weeks} id="weeks">
              <select id="weeks" name="weeks" form="booking-form" value={v.weeks} onChange={(e) => set({ weeks: e.target.value })}>
                <option value="1">{t("ikm.form.weeks.once")}</option>
                {Array.from({ length: 11 }, (_, i) => i + 2).map((n) => (
                  <option key={n} value={n}>
                    {t("ikm.form.weeks.n", { n })}
                  </option>
                ))}
              </select>
            </Field>

            <Field label={t("ikm.form.purpose")} error={errors.purpose} id="purpose">
              <textarea id="purpose" name="purpose" form="booking-form" value={v.purpose} maxLength={500} rows={2} placeholder={t("ikm.form.purposeHint")} onChange={(e) => set({ purpose: e.target.value })} />
            </Field>

            {d.staff ? (
              <Field label={t("ikm.form.override")} error={errors.overrideReason} id="overrideReason">
                <input id="overrideReason" name="overrideReason" form="booking-form" value={v.overrideReason} maxLength={500} onChange={(e) => set({ overrideReason: e.target.value })} />
              </Field>
            ) : null}
        </div>
      </details>

      <div className="submit-bar">
        <BookingSubmit
          match={{ via: "form" }}
          form="booking-form"
          className={(live?.check && !live.check.ok) || showResult ? "button block" : "button primary block"}
        >
          {ready ? (weeks > 1 ? t("ikm.form.bookSeries", { n: live?.series?.fitting ?? 0 }) : t("ikm.form.book")) : t("ikm.form.check")}
        </BookingSubmit>
        {ready && live?.check ? (
          <p className="muted small center">
            {machine?.code}, {dateLabel(current.date, lang)}, {timeLabel(current.start, lang)}–{timeLabel(current.end, lang)} {t("common.wib")}
          </p>
        ) : null}
      </div>
    </>
  );
}

function Field({ label, error, id, children }: { label: string; error?: string; id: string; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      {children}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {t(error)}
        </small>
      ) : null}
    </div>
  );
}
