/** A notification written from its kind and params in the reader's language. */
import { formatDateLong, formatDateShort, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import type { NotificationView } from "~/views/notifications";

export type NotificationItem = NotificationView;

const KNOWN = new Set([
  "booking_confirmed",
  "booking_pending",
  "booking_approved",
  "booking_rejected",
  "booking_cancelled",
  "booking_moved",
  "waitlist_offer",
  "reminder",
  "restricted",
]);

export function NotificationText({ n }: { n: NotificationItem }) {
  const { t, lang, timeZone } = useI18n();
  const when = n.start !== null && n.end !== null ? `${formatDateLong(n.start, lang, timeZone)}, ${formatTimeRange(n.start, n.end, lang, timeZone)}` : "";
  const until = Number(n.params.until ?? n.params.restrictedUntil ?? 0);
  const expires = Number(n.params.expiresAt ?? n.params.expires ?? 0);
  const reason = typeof n.params.reason === "string" ? n.params.reason.trim() : "";
  if (n.kind === "closures_missing") return <span className="notif-text">{t("ikm.notif.closures_missing", { year: String(n.params.year ?? "") })}</span>;
  if (n.kind === "allocation_result") {
    return <span className="notif-text">{t("round.notification", { machine: n.machine ?? "", granted: Number(n.params.granted ?? 0), refused: Number(n.params.refused ?? 0) })}</span>;
  }
  const kind = KNOWN.has(n.kind) ? n.kind : "generic";
  const text = t(`ikm.notif.${kind}`, {
    machine: n.machine ?? "",
    when,
    until: until ? formatDateLong(until, lang, timeZone) : "",
  });
  return (
    <>
      <span className="notif-text">{text}</span>
      {reason && (kind === "booking_rejected" || kind === "booking_cancelled") ? <span className="notif-reason"> {t("ikm.notif.reason", { reason })}</span> : null}
      {expires && kind === "waitlist_offer" ? <span className="notif-reason"> {t("ikm.notif.expires", { time: `${formatDateShort(expires, lang, timeZone)} ${formatTime(expires, lang, timeZone)}` })}</span> : null}
    </>
  );
}
