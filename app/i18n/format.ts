/**
 * Indonesian-style formats: "Kamis, 24 Desember 2026", "24/12/2026", "10.00", "08.00–10.00 WIB",
 * "Rp150.000". Always in the facility time zone, whatever the browser's or server's zone.
 */
import { type Lang, translate } from "./index";

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${tz}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", { timeZone: tz, ...opts });
    cache.set(key, f);
  }
  return f;
}

export function formatDateLong(instant: number, lang: Lang, tz: string): string {
  return fmt(lang, tz, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(instant);
}

export function formatDateShort(instant: number, lang: Lang, tz: string): string {
  return fmt(lang, tz, { day: "2-digit", month: "2-digit", year: "numeric" }).format(instant);
}

export function formatDayMonth(instant: number, lang: Lang, tz: string): string {
  return fmt(lang, tz, { weekday: "short", day: "numeric", month: "short" }).format(instant);
}

/** "10.00" (Indonesian uses a dot; English "10:00"). */
export function formatTime(instant: number, lang: Lang, tz: string): string {
  const parts = fmt("en", tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(instant);
  const h = parts.find((p) => p.type === "hour")?.value ?? "00";
  const m = parts.find((p) => p.type === "minute")?.value ?? "00";
  return lang === "id" ? `${h}.${m}` : `${h}:${m}`;
}

/** Zone abbreviation for the facility zone: WIB/WITA/WIT in Indonesia, else the offset. */
export function zoneLabel(tz: string): string {
  if (tz === "Asia/Jakarta" || tz === "Asia/Pontianak") return "WIB";
  if (tz === "Asia/Makassar") return "WITA";
  if (tz === "Asia/Jayapura") return "WIT";
  return tz;
}

/** "08.00–10.00 WIB" */
export function formatTimeRange(start: number, end: number, lang: Lang, tz: string): string {
  return `${formatTime(start, lang, tz)}–${formatTime(end, lang, tz)} ${zoneLabel(tz)}`;
}

/** "Rp150.000" — whole rupiah, dot as thousands separator, no space. */
export function formatRupiah(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const digits = Math.round(Math.abs(amount)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${sign}Rp${digits}`;
}

/**
 * Whole minutes as hours and minutes, the one way hours are shown on every page and chart:
 * "934 j 27 m" ("934 h 27 m"), "12 j", "45 m", "0 j"; thousands grouped ("1.849 j 30 m").
 */
export function formatMinutesAsHours(minutes: number, lang: Lang): string {
  const total = Math.round(Math.abs(minutes));
  const sign = minutes < 0 && total > 0 ? "−" : "";
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0 && m > 0) return sign + translate(lang, "duration.short.minutes", { m });
  const hours = `${sign}${h.toLocaleString(lang === "id" ? "id-ID" : "en-GB")}`;
  return m ? translate(lang, "duration.short.hoursMinutes", { h: hours, m }) : translate(lang, "duration.short.hours", { h: hours });
}

/** Decimal hours as hours and minutes, to the nearest minute: 12.5 → "12 j 30 m". */
export function formatHours(hours: number, lang: Lang): string {
  return formatMinutesAsHours(hours * 60, lang);
}

export function formatPercent(fraction: number, lang: Lang): string {
  return `${(fraction * 100).toLocaleString(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 1 })}%`;
}
