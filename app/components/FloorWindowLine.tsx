import { formatDateShort, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";

/** One maintenance window or breakdown in a list: machine, kind, when, reason, what is left to resolve. */
export function FloorWindowLine({ w }: { w: { id: number; machineCode: string; kind: string; start: number; end: number | null; reason: string; unresolved: number } }) {
  const { t, lang, timeZone } = useI18n();
  const when = (ms: number) => `${formatDateShort(ms, lang, timeZone)} ${formatTime(ms, lang, timeZone)}`;
  return (
    <>
      <p className="floor-item-top">
        <span>
          <span className="floor-code">{w.machineCode}</span> <span className={`floor-kind floor-kind-${w.kind}`}>{t(`floor.maintenance.kind.${w.kind}`)}</span>
        </span>
      </p>
      <p>
        {w.end === null
          ? t("floor.maintenance.since", { start: when(w.start) })
          : formatDateShort(w.start, lang, timeZone) === formatDateShort(w.end, lang, timeZone)
            ? `${formatDateShort(w.start, lang, timeZone)} ${formatTimeRange(w.start, w.end, lang, timeZone)}`
            : t("floor.maintenance.range", { start: when(w.start), end: when(w.end) })}
      </p>
      <p className="muted">{w.reason}</p>
      {w.unresolved ? <p className="alert alert-warn small">{t("floor.maintenance.unresolved", { n: w.unresolved })}</p> : null}
    </>
  );
}
