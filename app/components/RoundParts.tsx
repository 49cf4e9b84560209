/**
 * The pieces of the allocation-round pages (/putaran, /putaran/:id): the round's header, the
 * request form, "my requests" with their published explanations and one-tap alternatives, the
 * IKM order with its reasons, and the staff's table of every request. Client-safe.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { TableScroll } from "./TableScroll";
import { formatDateLong, formatDayMonth, formatHours, formatTime, formatTimeRange, zoneLabel } from "~/i18n/format";
import type { T } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { formatDuration, violationMessage } from "~/i18n/violations";
import type { Lang } from "~/i18n";
import type { Explanation } from "~/views/rounds";
import type { RoundActionData } from "~/views/rounds";
import type { FormOptionsView } from "~/views/rounds";
import type { OrderView, RequestView, RoundView } from "~/views/rounds";
import type { Violation } from "~/scheduling/types";

// The views as the loaders send them: the allocation service's own types (type-only imports).
export type ExplanationView = Explanation;
export type RequestRow = RequestView;
export type OrderRow = OrderView;
export type RoundRow = RoundView;
export type FormOptions = FormOptionsView;
export type ActionView = Omit<RoundActionData, "intent" | "status"> & { intent: string };





/** "Kamis, 3 Desember 2026 12.00 WIB" */
export function formatMoment(instant: number, lang: Lang, tz: string): string {
  return `${formatDateLong(instant, lang, tz)} ${formatTime(instant, lang, tz)} ${zoneLabel(tz)}`;
}

/** "Senin, 7 Desember 2026 08.00–10.00 WIB" */
export function formatSlot(start: number, end: number, lang: Lang, tz: string): string {
  return `${formatDateLong(start, lang, tz)} ${formatTimeRange(start, end, lang, tz)}`;
}

function dateKeyLabel(date: string, lang: Lang): string {
  const [y, m, d] = date.split("-").map(Number);
  return formatDateLong(Date.UTC(y, m - 1, d, 12), lang, "UTC");
}

export function RoundStatus({ round }: { round: RoundRow }) {
  const t = useI18n().t;
  if (round.status === "allocated") return <span className="status status-completed">✓ {t("round.status.allocated")}</span>;
  if (round.acceptsRequests) return <span className="status status-confirmed">{t("round.status.open")}</span>;
  return <span className="status status-pending">{t("round.status.closed")}</span>;
}

export function RoundHeader({ round, link }: { round: RoundRow; link?: boolean }) {
  const { t, lang, timeZone } = useI18n();
  const title = `${round.machine.code} · ${round.machine.name}`;
  return (
    <header className="round-head">
      <div className="round-title">
        <h2>{link ? <Link to={`/putaran/${round.id}`}>{title}</Link> : title}</h2>
        <RoundStatus round={round} />
      </div>
      <p className="round-week">
        {t("round.week", { from: formatDateLong(round.weekStart, lang, timeZone), to: formatDateLong(round.weekEnd - 1, lang, timeZone) })}
      </p>
      <p className="round-cutoff">
        {round.status === "allocated" && round.allocatedAt !== null
          ? t("round.allocatedAt", { when: formatMoment(round.allocatedAt, lang, timeZone) })
          : t("round.cutoff", { when: formatMoment(round.cutoffAt, lang, timeZone) })}
      </p>
      {round.status === "allocated" && round.seed ? <p className="round-seed small">{t("round.seed", { seed: round.seed })}</p> : null}
    </header>
  );
}


function ViolationList({ violations, start }: { violations: Violation[]; start?: number }) {
  const { lang, timeZone } = useI18n();
  return (
    <ul className="violations">
      {violations.map((v, i) => (
        <li key={`${v.code}-${i}`}>{violationMessage(v, lang, timeZone, start)}</li>
      ))}
    </ul>
  );
}

export function RoundRequestForm({
  round,
  options,
  ikms,
  action,
}: {
  round: RoundRow;
  options: FormOptions;
  ikms?: { id: number; name: string }[];
  action?: ActionView | null;
}) {
  const { t, lang, timeZone } = useI18n();
  const nav = useNavigation();
  const mine = action?.intent === "request" && action.roundId === round.id ? action : null;
  const errors = mine?.errors ?? {};
  const busy = nav.state !== "idle" && nav.formData?.get("intent") === "request" && nav.formData?.get("roundId") === String(round.id);
  const fid = (name: string) => `r${round.id}-${name}`;
  const err = (name: string) =>
    errors[name] ? (
      <small id={fid(`${name}-error`)} className="field-error">
        {t(errors[name], mine?.params)}
      </small>
    ) : null;
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true as const, "aria-describedby": fid(`${name}-error`) } : {});
  const assistedChoice = round.machine.operatorMode === "both";
  return (
    <Form key={mine?.ok ? `sent-${mine.requestId}` : "form"} method="post" className="stack round-form" noValidate aria-labelledby={fid("form-title")}>
      <h3 id={fid("form-title")}>{t("round.form.title")}</h3>
      {mine?.ok ? (
        <p className="alert alert-ok" role="status">
          {t("round.requested", { when: formatMoment(round.cutoffAt, lang, timeZone) })}
        </p>
      ) : null}
      {mine && !mine.ok && mine.violations?.length ? (
        <div className="alert alert-error" role="alert">
          <p>{t("round.refusedNow")}</p>
          <ViolationList violations={mine.violations} />
        </div>
      ) : null}
      {mine && !mine.ok && mine.error && !Object.keys(errors).length ? (
        <p className="alert alert-error" role="alert">
          {t(mine.error, mine.params)}
        </p>
      ) : null}
      <input type="hidden" name="intent" value="request" />
      <input type="hidden" name="roundId" value={round.id} />
      {ikms ? (
        <label className="field">
          <span>{t("round.form.ikm")}</span>
          <select name="ikmId" required {...invalid("ikmId")}>
            <option value="">{t("round.form.ikmChoose")}</option>
            {ikms.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
          {err("ikmId")}
        </label>
      ) : null}
      <label className="field">
        <span>{t("round.form.date")}</span>
        <select name="date" required {...invalid("date")}>
          {options.days.map((d) => (
            <option key={d.date} value={d.date}>
              {dateKeyLabel(d.date, lang)}
            </option>
          ))}
        </select>
        {err("date")}
      </label>
      <div className="grid-2 round-times">
        <label className="field">
          <span>{t("round.form.start")}</span>
          <select name="start" required defaultValue={options.times[0]} {...invalid("start")}>
            {options.times.slice(0, -1).map((time) => (
              <option key={time} value={time}>
                {lang === "id" ? time.replace(":", ".") : time}
              </option>
            ))}
          </select>
          {err("start")}
        </label>
        <label className="field">
          <span>{t("round.form.end")}</span>
          <select name="end" required defaultValue={options.times[Math.min(options.times.length - 1, Math.round(120 / round.machine.slotMinutes))]} {...invalid("end")}>
            {options.times.slice(1).map((time) => (
              <option key={time} value={time}>
                {lang === "id" ? time.replace(":", ".") : time}
              </option>
            ))}
          </select>
          {err("end")}
        </label>
      </div>
      <label className="field">
        <span>{t("round.form.purpose")}</span>
        <input name="purpose" type="text" maxLength={500} placeholder={t("round.form.purposeHint")} {...invalid("purpose")} />
        {err("purpose")}
      </label>
      {assistedChoice ? (
        <label className="checkbox">
          <input type="checkbox" name="assisted" value="1" />
          <span>{t("round.form.assisted")}</span>
        </label>
      ) : null}
      <p className="muted small">
        {t("round.form.hint", { min: formatDuration(round.machine.minMinutes, lang), max: formatDuration(round.machine.maxMinutes, lang), count: round.maxRequestsPerIkm })}
      </p>
      <button type="submit" className="button primary block" disabled={busy}>
        {busy ? t("common.loading") : t("round.form.submit")}
      </button>
      <details className="free-time">
        <summary>{t("round.form.freeTitle")}</summary>
        <ul className="plain-list">
          {options.days.map((d) => (
            <li key={d.date}>
              <strong>{dateKeyLabel(d.date, lang)}</strong>:{" "}
              {d.free.length ? d.free.map((f) => formatTimeRange(f.start, f.end, lang, timeZone)).join(", ") : t("round.form.noFree")}
            </li>
          ))}
        </ul>
      </details>
    </Form>
  );
}

/** The sentence that says why a request was refused (for its own IKM: anonymous). */
function refusalReason(e: ExplanationView, t: T, lang: Lang): string | null {
  const use = formatDuration(e.recentTypeMinutes, lang);
  switch (e.reason) {
    case "OUTRANKED_USE":
      return t("round.reason.OUTRANKED_USE", { winnerUse: formatDuration(e.winner?.recentTypeMinutes ?? 0, lang), use, winnerRank: e.winner?.rank ?? 0, rank: e.rank, count: e.ikmCount });
    case "OUTRANKED_LOTTERY":
      return t("round.reason.OUTRANKED_LOTTERY", { use, winnerRank: e.winner?.rank ?? 0, rank: e.rank, count: e.ikmCount });
    case "FAIR_SHARE":
      return t("round.reason.FAIR_SHARE", { pass: e.winner?.pass ?? e.pass, winnerRank: e.winner?.rank ?? 0 });
    case "OWN_REQUEST":
      return t("round.reason.OWN_REQUEST");
    default:
      return null;
  }
}

/** Where the IKM stood in the order, and why. */
export function rankLine(e: ExplanationView, t: T, lang: Lang): string {
  const use = formatDuration(e.recentTypeMinutes, lang);
  const why = e.tiedWith > 0 ? t("round.rankWhy.lottery", { use, n: e.tiedWith, ticket: e.lotteryTicket }) : t("round.rankWhy.use", { use });
  return `${t("round.rank", { rank: e.rank, count: e.ikmCount })} (${why})`;
}

/** The answer to a one-tap booking of an alternative: booked (with a link to My bookings) or why not. */
export function BookOutcome({ action }: { action?: ActionView | null }) {
  const { t, lang, timeZone } = useI18n();
  if (action?.intent !== "book") return null;
  if (action.ok && action.booking) {
    return (
      <p className="alert alert-ok" role="status">
        {t("round.booked", { when: formatSlot(action.booking.start, action.booking.end, lang, timeZone) })} <Link to="/pemesanan">{t("round.myBookings")}</Link>
      </p>
    );
  }
  return (
    <div className="alert alert-error" role="alert">
      <p>{action.error ? t(action.error, action.params) : t("round.bookRefused")}</p>
      {action.violations?.length ? <ViolationList violations={action.violations} /> : null}
    </div>
  );
}

function waitlistHref(machineId: number, start: number, end: number): string {
  const q = new URLSearchParams({ machine: String(machineId), start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  return `/daftar-tunggu?${q}`;
}

/** One of my requests with its published result: what I got and why, alternatives, the waitlist. */
export function RequestResult({ request, round, now, action }: { request: RequestRow; round: RoundRow; now: number; action?: ActionView | null }) {
  const { t, lang, timeZone } = useI18n();
  const nav = useNavigation();
  const e = request.explanation;
  const when = formatSlot(request.start, request.end, lang, timeZone);
  if (!e) return null;
  if (e.status === "granted") {
    return (
      <div className="round-result granted">
        <p className="result-line">
          <span aria-hidden="true">✓ </span>
          <strong>{t("round.result.granted", { when })}</strong>
        </p>
        <p className="small">
          {t(e.bookingStatus === "pending" ? "round.result.grantedPending" : "round.result.grantedConfirmed")} {rankLine(e, t, lang)}
        </p>
      </div>
    );
  }
  const reason = refusalReason(e, t, lang);
  const alternatives = e.alternatives.filter((a) => a.start > now);
  const mine = action?.intent === "book" && action.requestId === request.id ? action : null;
  return (
    <div className="round-result refused">
      <p className="result-line">
        <span aria-hidden="true">✗ </span>
        <strong>{t("round.result.refused", { when })}</strong> {reason}
      </p>
      {e.reason === "RULES" ? <ViolationList violations={e.violations} start={request.start} /> : null}
      <p className="small muted">{rankLine(e, t, lang)}</p>
      {mine ? <BookOutcome action={mine} /> : null}
      {alternatives.length ? (
        <>
          <p className="small">{t("round.alternatives")}</p>
          <ul className="alt-list">
            {alternatives.map((a) => (
              <li key={`${a.machineId}-${a.start}`}>
                <Form method="post">
                  <input type="hidden" name="intent" value="book" />
                  <input type="hidden" name="requestId" value={request.id} />
                  <input type="hidden" name="machineId" value={a.machineId} />
                  <input type="hidden" name="start" value={a.start} />
                  <input type="hidden" name="end" value={a.end} />
                  <input type="hidden" name="purpose" value={request.purpose} />
                  {a.assisted ? <input type="hidden" name="assisted" value="1" /> : null}
                  <button type="submit" className="button block" disabled={nav.state !== "idle"}>
                    {t("round.bookAlternative", {
                      when: `${formatDayMonth(a.start, lang, timeZone)}, ${formatTimeRange(a.start, a.end, lang, timeZone)}`,
                      machine: a.machineCode,
                    })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="small muted">{t("round.noAlternatives")}</p>
      )}
      <p>
        <a className="button block" href={waitlistHref(round.machine.id, request.start, request.end)}>
          {t("round.waitlist")}
        </a>
      </p>
    </div>
  );
}

const REQUEST_STATUS_CLASS: Record<string, string> = { requested: "confirmed", granted: "completed", refused: "rejected", withdrawn: "cancelled" };

export function RequestStatus({ status }: { status: string }) {
  const t = useI18n().t;
  return <span className={`status status-${REQUEST_STATUS_CLASS[status] ?? "pending"}`}>{t(`round.request.status.${status}`)}</span>;
}

/** The IKM's own requests in a round: each with its status, withdraw while open, the result after. */
export function MyRequests({ round, now, action }: { round: RoundRow; now: number; action?: ActionView | null }) {
  const { t, lang, timeZone } = useI18n();
  const nav = useNavigation();
  const mine = round.requests.filter((r) => r.own);
  const withdrawAction = action?.intent === "withdraw" ? action : null;
  return (
    <section aria-label={t("round.mine")}>
      <h3>{t("round.mine")}</h3>
      {withdrawAction?.ok && withdrawAction.roundId === round.id ? (
        <p className="alert alert-ok" role="status">
          {t("round.withdrawn")}
        </p>
      ) : null}
      {withdrawAction && !withdrawAction.ok && withdrawAction.error && mine.some((r) => r.id === withdrawAction.requestId) ? (
        <p className="alert alert-error" role="alert">
          {t(withdrawAction.error, withdrawAction.params)}
        </p>
      ) : null}
      {mine.length === 0 ? <p className="muted">{t("round.mine.none")}</p> : null}
      <ul className="round-requests">
        {mine.map((r) => (
          <li key={r.id}>
            <div className="request-line">
              <div>
                <strong>{formatDateLong(r.start, lang, timeZone)}</strong>
                <div>{formatTimeRange(r.start, r.end, lang, timeZone)}</div>
                {r.purpose ? <div className="muted small">{r.purpose}</div> : null}
              </div>
              <RequestStatus status={r.status} />
            </div>
            {r.status === "requested" && round.acceptsRequests ? (
              <Form method="post" className="withdraw">
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="requestId" value={r.id} />
                <button type="submit" className="button small danger" disabled={nav.state !== "idle"}>
                  {t("round.withdraw")}
                </button>
              </Form>
            ) : null}
            <RequestResult request={r} round={round} now={now} action={action} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The IKM order with its reasons: anonymous ("IKM lain") for an IKM, named for staff. */
export function RoundOrder({ round }: { round: RoundRow }) {
  const { t, lang } = useI18n();
  if (!round.order || !round.totals) return null;
  return (
    <section aria-labelledby={`order-${round.id}`}>
      <h3 id={`order-${round.id}`}>{t("round.order.title")}</h3>
      <p className="small">{t("round.order.explain", { seed: round.seed ?? "" })}</p>
      <p>
        {t("round.totals", {
          granted: round.totals.granted,
          requests: round.totals.requests,
          grantedHours: formatHours(round.totals.grantedMinutes / 60, lang),
          requestedHours: formatHours(round.totals.requestedMinutes / 60, lang),
          passes: round.passes ?? 0,
        })}
      </p>
      <TableScroll>
        <table className="order-table stack-table">
          <thead>
            <tr>
              <th className="num">{t("round.order.rank")}</th>
              <th>{t("round.order.ikm")}</th>
              <th className="num">{t("round.order.use")}</th>
              <th className="num">{t("round.order.lottery")}</th>
              <th className="num">{t("round.order.result")}</th>
            </tr>
          </thead>
          <tbody>
            {round.order.map((p) => (
              <tr key={p.rank} className={p.you ? "you" : undefined}>
                <td className="num" data-label={t("round.order.rank")}>
                  {p.rank}
                </td>
                <td data-label={t("round.order.ikm")}>
                  {p.ikmName ?? t("round.order.other")}
                  {p.you ? ` (${t("round.order.you")})` : ""}
                </td>
                <td className="num" data-label={t("round.order.use")}>
                  {formatDuration(p.recentTypeMinutes, lang)}
                </td>
                <td className="num" data-label={t("round.order.lottery")}>
                  {p.lotteryPosition}
                  {p.tiedWith > 0 ? ` ${t("round.order.tied")}` : ""}
                </td>
                <td className="num" data-label={t("round.order.result")}>
                  {t("round.order.granted", { granted: p.granted, requested: p.requested, hours: formatHours(p.grantedMinutes / 60, lang) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/** Staff: one short reason per request, naming the IKM that won the slot. */
function staffReason(r: RequestRow, round: RoundRow, t: T): string {
  const e = r.explanation;
  if (!e) return "";
  if (e.status === "granted") return t("round.staff.granted", { pass: e.pass });
  const winner = round.requests.find((x) => x.id === e.conflictWithRequestId);
  const name = winner?.ikmName ?? "";
  switch (e.reason) {
    case "OUTRANKED_USE":
      return t("round.staff.OUTRANKED_USE", { ikm: name });
    case "OUTRANKED_LOTTERY":
      return t("round.staff.OUTRANKED_LOTTERY", { ikm: name });
    case "FAIR_SHARE":
      return t("round.staff.FAIR_SHARE", { ikm: name, pass: e.winner?.pass ?? e.pass });
    case "OWN_REQUEST":
      return t("round.staff.OWN_REQUEST");
    default:
      return t("round.staff.RULES");
  }
}

/** Staff: every request of the round with the IKM, time, result and reason. */
export function RoundRequestsTable({ round }: { round: RoundRow }) {
  const { t, lang, timeZone } = useI18n();
  return (
    <TableScroll>
      <table className="round-table stack-table">
        <thead>
          <tr>
            <th>{t("round.requests.when")}</th>
            <th>{t("round.requests.ikm")}</th>
            <th>{t("round.requests.status")}</th>
            <th>{t("round.requests.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {round.requests.map((r) => (
            <tr key={r.id}>
              <td data-label={t("round.requests.when")}>
                <div>
                  {formatDayMonth(r.start, lang, timeZone)}
                  <br />
                  {formatTimeRange(r.start, r.end, lang, timeZone)}
                </div>
              </td>
              <td data-label={t("round.requests.ikm")}>
                <div>
                  {r.ikmName}
                  <div className="muted small">
                    {r.userName} · {formatDayMonth(r.createdAt, lang, timeZone)} {formatTime(r.createdAt, lang, timeZone)}
                  </div>
                </div>
              </td>
              <td data-label={t("round.requests.status")}>
                <div>
                  <RequestStatus status={r.status} />
                  {r.explanation ? <div className="muted small">{t("round.requests.rank", { rank: r.explanation.rank })}</div> : null}
                </div>
              </td>
              <td className="small" data-label={t("round.requests.reason")}>
                <div>
                  {staffReason(r, round, t)}
                  {r.explanation?.reason === "RULES" ? <ViolationList violations={r.explanation.violations} start={r.start} /> : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
