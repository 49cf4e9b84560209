/**
 * Pieces of the booking pages (form, move, series): time options on a machine's slot grid,
 * the result of a check (every reason in one sentence, the fee and what happens next), the
 * alternatives as one-tap forms, and a series' per-date table.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { formatDateLong, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { decisionSignature } from "~/schemas/ikm-booking";
import type { SeriesView } from "~/views/booking";
import type { AltView, CheckView, FormMachine } from "~/views/booking";

// The views as the loaders send them: the services' own types (type-only imports).
export type { AltView, CheckView, SeriesView };

export interface FormValues {
  machineId: string;
  date: string;
  start: string;
  end: string;
  purpose: string;
  assisted: boolean;
  weeks: string;
  ikmId: string;
  overrideReason: string;
}






const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

const minutesOf = (time: string) => {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + m;
};

/** The lengths offered in one tap: whole hours up to four. */
const HOURS_OFFERED = [60, 120, 180, 240];

/**
 * How long, in one tap: whole hours (up to four) that fit in the machine's free time from the
 * chosen start, and all of it ("Sampai 15.00"), within the machine's minimum and maximum. Links
 * that work without JavaScript (the form comes back with that end, checked); with it, a tap only
 * sets the end. Nothing is shown when there is nothing to choose.
 */
export function DurationChoices({ v, start, end, until, machine, onPick }: { v: FormValues; start: string; end: string; until: string; machine: Pick<FormMachine, "slotMinutes" | "minMinutes" | "maxMinutes">; onPick: (end: string) => void }) {
  const { t, lang } = useI18n();
  const from = minutesOf(start);
  const room = Math.min(minutesOf(until) - from, machine.maxMinutes);
  const all = Math.floor(room / machine.slotMinutes) * machine.slotMinutes;
  const lengths = HOURS_OFFERED.filter((m) => m >= machine.minMinutes && m <= all && m % machine.slotMinutes === 0);
  if (all >= machine.minMinutes && !lengths.includes(all)) lengths.push(all);
  if (lengths.length < 2) return null;
  return (
    <fieldset className="durations">
      <legend className="small">{t("ikm.form.durations", { until: timeLabel(until, lang) })}</legend>
      <div className="chips">
        {lengths.map((m) => {
          const to = hhmm(from + m);
          const q = new URLSearchParams({ machineId: v.machineId, date: v.date, start, end: to, ...(v.assisted ? { assisted: "1" } : {}) });
          const label = HOURS_OFFERED.includes(m) ? formatDuration(m, lang) : t("ikm.form.durationUntil", { time: timeLabel(to, lang) });
          return (
            <Link
              key={m}
              to={`/pesan?${q}`}
              className={`chip${to === end ? " chip-on" : ""}`}
              aria-current={to === end ? "true" : undefined}
              preventScrollReset
              onClick={(e) => {
                e.preventDefault();
                onPick(to);
              }}
            >
              {label}
            </Link>
          );
        })}
      </div>
    </fieldset>
  );
}

/** ISO weekday (1 = Monday) of a "YYYY-MM-DD" calendar date. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return 0;
  return ((d.getUTCDay() + 6) % 7) + 1;
}

/** Start and end choices on the machine's slot grid within its open periods that weekday (all open periods of the week when closed). */
export function timeOptions(machine: Pick<FormMachine, "periods" | "slotMinutes" | "minMinutes" | "maxMinutes"> | undefined, date: string): { starts: string[]; ends: string[]; closedWeekday: boolean } {
  if (!machine) return { starts: [], ends: [], closedWeekday: false };
  // No date chosen yet (or not a date): every open period of the week, and no word about closing.
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));
  let periods = isDate ? (machine.periods[weekdayOf(date)] ?? []) : [];
  const closedWeekday = isDate && periods.length === 0;
  if (!periods.length) periods = Object.values(machine.periods).flat();
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (const [from, to] of periods) {
    for (let m = from; m + machine.slotMinutes <= to; m += machine.slotMinutes) starts.add(m);
    for (let m = from + machine.slotMinutes; m <= to; m += machine.slotMinutes) ends.add(m);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b).map(hhmm);
  return { starts: sorted(starts), ends: sorted(ends), closedWeekday };
}

export function timeLabel(value: string, lang: string): string {
  return lang === "id" ? value.replace(":", ".") : value;
}

export function dateLabel(date: string, lang: "id" | "en"): string {
  const ms = Date.parse(`${date}T12:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && Number.isFinite(ms) ? formatDateLong(ms, lang, "UTC") : date;
}

/** The posted fields of a booking request, as hidden inputs. */
export function BookingHiddenFields({ v, confirm }: { v: FormValues; confirm: boolean }) {
  return (
    <>
      <input type="hidden" name="machineId" value={v.machineId} />
      <input type="hidden" name="date" value={v.date} />
      <input type="hidden" name="start" value={v.start} />
      <input type="hidden" name="end" value={v.end} />
      <input type="hidden" name="purpose" value={v.purpose} />
      {v.assisted ? <input type="hidden" name="assisted" value="1" /> : null}
      <input type="hidden" name="weeks" value={v.weeks} />
      {v.ikmId ? <input type="hidden" name="ikmId" value={v.ikmId} /> : null}
      {v.overrideReason ? <input type="hidden" name="overrideReason" value={v.overrideReason} /> : null}
      {confirm ? (
        <>
          <input type="hidden" name="confirm" value="1" />
          <input type="hidden" name="checked" value={decisionSignature(v)} />
        </>
      ) : null}
    </>
  );
}

/** Submit button with the loading state: disabled and "Memproses…" while any form of the page is being sent. */
export function BookingSubmit({
  children,
  className = "button primary block",
  name,
  value,
  label,
  match,
  form,
}: {
  children: React.ReactNode;
  className?: string;
  name?: string;
  value?: string;
  label?: string;
  /** Fields identifying this button's form: only the button whose form is being sent says "Memproses…". */
  match?: Record<string, string>;
  /** The id of the form this button submits, when it stands outside it. */
  form?: string;
}) {
  const { t } = useI18n();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const mine = nav.state === "submitting" && (!match || Object.entries(match).every(([k, v]) => nav.formData?.get(k) === v));
  return (
    <button type="submit" className={className} disabled={busy} name={name} value={value} form={form} aria-label={mine ? t("common.loading") : label}>
      {mine ? t("common.loading") : children}
    </button>
  );
}

/** What happens next: confirmed at once, or waiting for a technician's approval. */
export function BookingNext({ status }: { status: "pending" | "confirmed" | null }) {
  const { t } = useI18n();
  return <p className={`next next-${status ?? "confirmed"}`}>{t(status === "pending" ? "ikm.next.pending" : "ikm.next.confirmed")}</p>;
}

/** Every reason of a refusal, one short sentence each. */
export function BookingReasons({ reasons, title }: { reasons: string[]; title: string }) {
  return (
    <div className="alert alert-error" role="alert">
      <p className="reasons-title">
        <strong>{title}</strong>
      </p>
      <ul className="reasons">
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The alternatives as buttons that act in one tap: each is a small form posting that
 * alternative (booking it, or moving to it) with the confirmation already given.
 */
export function BookingAlternatives({ alternatives, base, title, action, intent, waitlist }: { alternatives: AltView[]; base: FormValues; title: string; action?: string; intent?: string; waitlist?: boolean }) {
  const { t, lang, timeZone } = useI18n();
  // No slot that suits? Wait for this one: the waitlist form comes prefilled with the request.
  const waitlistLink = waitlist ? (
    <p>
      <a className="button block" href={`/daftar-tunggu?${new URLSearchParams({ machine: base.machineId, date: base.date, from: base.start, to: base.end })}`}>
        {t("waitlist.join")}
      </a>
    </p>
  ) : null;
  if (!alternatives.length)
    return (
      <>
        <p className="muted">{t("ikm.alt.none")}</p>
        {waitlistLink}
      </>
    );
  return (
    <section className="alternatives" aria-label={title}>
      <h3>{title}</h3>
      <ul className="alt-list">
        {alternatives.map((a) => {
          const v: FormValues = { ...base, machineId: String(a.machineId), date: a.date, start: a.startTime, end: a.endTime, assisted: a.assisted, weeks: "1" };
          // Offered with the unit's operator instead of what was asked (no certificate): say so.
          const withOperator = a.assisted && !base.assisted;
          const range = formatTimeRange(a.start, a.end, lang, timeZone);
          const day = dateLabel(a.date, lang);
          return (
            <li key={`${a.machineId}-${a.start}`}>
              <Form method="post" action={action}>
                {intent ? <input type="hidden" name="intent" value={intent} /> : null}
                <BookingHiddenFields v={v} confirm />
                <BookingSubmit className="button alt-button" match={{ machineId: v.machineId, date: v.date, start: v.start }} label={t(withOperator ? "ikm.alt.bookAssisted" : "ikm.alt.book", { machine: `${a.machineCode} ${a.machineName}`, date: day, range })}>
                  <span className="alt-when">
                    <strong>{range}</strong>
                    <small>{day}</small>
                    {withOperator ? <small className="alt-assisted">{t("ikm.alt.assisted")}</small> : null}
                  </span>
                  <span className="alt-machine">{a.machineCode}</span>
                </BookingSubmit>
              </Form>
            </li>
          );
        })}
      </ul>
      {waitlistLink}
    </section>
  );
}

/** An accepted check: the fee estimate and what happens next. */
export function BookingOk({ check }: { check: CheckView }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-ok" role="status">
      <p>
        <strong>{t("ikm.check.ok")}</strong>
      </p>
      <p>{t("ikm.check.fee", { fee: formatRupiah(check.feeEstimate) })}</p>
      <BookingNext status={check.status} />
      {check.notices.map((n) => (
        <p key={n} className="notice">
          {n}
        </p>
      ))}
    </div>
  );
}

/** A series decided date by date: which dates are free and which are refused, and why. */
export function BookingSeriesTable({ series }: { series: SeriesView }) {
  const { t, lang, timeZone } = useI18n();
  return (
    <div className="series">
      <p role="status">
        <strong>{t("ikm.series.summary", { ok: series.fitting, n: series.rows.length })}</strong>{" "}
        {series.fitting > 0 ? t("ikm.series.feeTotal", { fee: formatRupiah(series.feeTotal) }) : t("ikm.series.noneFit")}
      </p>
      <ul className="series-list">
        {series.rows.map((r) => (
          <li key={r.date} className={r.ok ? "series-ok" : "series-no"}>
            <div className="series-when">
              <span className={`status ${r.ok ? "status-completed" : "status-no_show"}`}>{r.ok ? t("ikm.series.ok") : t("ikm.series.refused")}</span>{" "}
              <strong>{dateLabel(r.date, lang)}</strong>, {formatTimeRange(r.start, r.end, lang, timeZone)}
            </div>
            {r.ok ? null : (
              <ul className="reasons">
                {r.reasons.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
