/**
 * "Mulai 3 jam 40 menit lebih awal?": asked before a check-in that would start far before the
 * booked time (a 13.00 booking at 09.20). Brought into view and focused when it appears; its
 * button sends the same check-in again, confirmed (early=1).
 */
import { Form, Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { formatTime, zoneLabel } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";

export function FloorEarlyCheckIn({ minutes, start, fields, cancelTo, busy }: { minutes: number; start: number; fields: Record<string, string>; cancelTo: string; busy: boolean }) {
  const { t, lang, timeZone } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "center" });
    ref.current?.focus();
  }, []);
  return (
    <div className="alert alert-warn floor-early" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{t("floor.checkin.earlyAsk", { duration: formatDuration(minutes, lang) })}</strong>
      </p>
      <p>{t("floor.checkin.earlyBody", { start: `${formatTime(start, lang, timeZone)} ${zoneLabel(timeZone)}` })}</p>
      <Form method="post" className="floor-early-actions">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="early" value="1" />
        <button type="submit" className="button primary" disabled={busy}>
          {t("floor.checkin.earlyYes")}
        </button>
        <Link to={cancelTo} className="button">
          {t("common.cancel")}
        </Link>
      </Form>
    </div>
  );
}
