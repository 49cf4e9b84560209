/**
 * One short sentence per engine violation, in the user's language, with times in the facility
 * zone. Used by the booking pages and the API (details.violations[].message) alike.
 */
import type { Violation } from "~/scheduling/types";
import { formatDateLong, formatDateShort, formatTime, formatTimeRange } from "./format";
import { type Lang, translate } from "./index";

export function formatDuration(minutes: number, lang: Lang): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return translate(lang, "duration.hoursMinutes", { h, m });
  if (h) return translate(lang, "duration.hours", { h });
  return translate(lang, "duration.minutes", { m });
}

const WEEKDAYS: Record<Lang, string[]> = {
  id: ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

/** "2026-12-24" → weekday name (the date is a facility-local calendar date). */
function weekdayOf(dateKey: string, lang: Lang): string {
  const [y, mo, d] = dateKey.split("-").map(Number);
  const jsDay = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return WEEKDAYS[lang][(jsDay + 6) % 7];
}

function dateKeyLong(dateKey: string, lang: Lang): string {
  const [y, mo, d] = dateKey.split("-").map(Number);
  return formatDateLong(Date.UTC(y, mo - 1, d, 12), lang, "UTC");
}

export function violationMessage(v: Violation, lang: Lang, tz: string, requestStart?: number): string {
  const p = v.params;
  const range = () => {
    if (!v.conflict) return "";
    const { start, end } = v.conflict;
    const sameDay = requestStart === undefined || formatDateShort(start, lang, tz) === formatDateShort(requestStart, lang, tz);
    const r = formatTimeRange(start, end, lang, tz);
    return sameDay ? r : `${formatDateShort(start, lang, tz)} ${r}`;
  };
  const num = (k: string) => Number(p[k] ?? 0);
  switch (v.code) {
    case "MISALIGNED":
      return translate(lang, "violation.MISALIGNED", { slot: formatDuration(num("slotMinutes"), lang) });
    case "TOO_SHORT":
      return translate(lang, "violation.TOO_SHORT", { min: formatDuration(num("minMinutes"), lang) });
    case "TOO_LONG":
      return translate(lang, "violation.TOO_LONG", { max: formatDuration(num("maxMinutes"), lang) });
    case "TOO_SOON":
      return translate(lang, "violation.TOO_SOON", { notice: formatDuration(num("noticeMinutes"), lang) });
    case "TOO_FAR":
      return translate(lang, "violation.TOO_FAR", { days: num("horizonDays") });
    case "OUTSIDE_HOURS": {
      const weekday = weekdayOf(String(p.date), lang);
      const periods = String(p.periods ?? "");
      if (!periods) return translate(lang, "violation.OUTSIDE_HOURS.closed", { weekday });
      return translate(lang, "violation.OUTSIDE_HOURS", { weekday, periods: lang === "id" ? periods : periods.replace(/\./g, ":") });
    }
    case "CLOSED_DAY":
      return translate(lang, "violation.CLOSED_DAY", { date: dateKeyLong(String(p.date), lang) });
    case "MAINTENANCE":
      if (v.conflict && v.conflict.end === null) {
        return translate(lang, "violation.MAINTENANCE.breakdown", { start: `${formatDateShort(v.conflict.start, lang, tz)} ${formatTime(v.conflict.start, lang, tz)}` });
      }
      return translate(lang, "violation.MAINTENANCE", { range: range() });
    case "OVERLAP":
      return translate(lang, v.conflict?.ownIkm ? "violation.OVERLAP.own" : "violation.OVERLAP", { range: range() });
    case "BUFFER":
      return translate(lang, "violation.BUFFER", { buffer: formatDuration(num("bufferMinutes"), lang), range: range() });
    case "QUOTA_HOURS":
      return translate(lang, "violation.QUOTA_HOURS", {
        quota: formatDuration(num("quotaMinutes"), lang),
        used: formatDuration(num("usedMinutes"), lang),
        requested: formatDuration(num("requestedMinutes"), lang),
      });
    case "QUOTA_ACTIVE":
      return translate(lang, "violation.QUOTA_ACTIVE", { active: num("activeBookings"), max: num("maxActive") });
    case "NO_OPERATOR":
      return translate(lang, "violation.NO_OPERATOR", { operators: num("operatorsOnDuty") });
    case "IKM_RESTRICTED":
      return translate(lang, "violation.IKM_RESTRICTED", { date: formatDateLong(num("restrictedUntil"), lang, tz) });
    case "ROUND_OPEN":
      return translate(lang, "violation.ROUND_OPEN", { date: formatDateLong(num("lockedFrom"), lang, tz) });
    default:
      return translate(lang, `violation.${v.code}`);
  }
}
