/**
 * How report figures are written on the page: hours with up to two decimals (as in the CSV, so
 * the page and the file show the same numbers), rates as percentages, periods and buckets as
 * Indonesian dates. Client-safe.
 */
import type { Lang } from "~/i18n";

const locale = (lang: Lang) => (lang === "id" ? "id-ID" : "en-GB");
export const DASH = "–";

export function fmtHours(hours: number | null, lang: Lang): string {
  return hours === null ? DASH : hours.toLocaleString(locale(lang), { maximumFractionDigits: 2 });
}

export function fmtRate(rate: number | null, lang: Lang): string {
  return rate === null ? DASH : `${(rate * 100).toLocaleString(locale(lang), { maximumFractionDigits: 1 })}%`;
}

export function fmtCount(n: number, lang: Lang): string {
  return n.toLocaleString(locale(lang));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(lang), { timeZone: "UTC", ...opts });
    dateFormats.set(key, f);
  }
  return f;
}

/** A local date key ("2026-11-30") as "30 November 2026" (no zone involved: it is a calendar date). */
export function fmtDateKey(dateKey: string, lang: Lang): string {
  return dateFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(Date.parse(`${dateKey}T00:00:00Z`));
}

/** "30/11/2026" */
export function fmtDateKeyShort(dateKey: string): string {
  return `${dateKey.slice(8, 10)}/${dateKey.slice(5, 7)}/${dateKey.slice(0, 4)}`;
}

/** A bucket's label: "23/11–29/11" for a week, "November 2026" (or "Nov" when short) for a month. */
export function fmtBucket(bucket: { from: string; to: string }, kind: "week" | "month" | "none", lang: Lang, short = false): string {
  if (kind === "month") {
    const opts: Intl.DateTimeFormatOptions = short ? { month: "short" } : { month: "long", year: "numeric" };
    return dateFormat(lang, opts).format(Date.parse(`${bucket.from}T00:00:00Z`));
  }
  const dm = (k: string) => `${k.slice(8, 10)}/${k.slice(5, 7)}`;
  if (short) return dm(bucket.from);
  return bucket.from === bucket.to ? dm(bucket.from) : `${dm(bucket.from)}–${dm(bucket.to)}`;
}

/** "08.00–09.00" */
export function hourLabel(hour: number): string {
  const hh = (h: number) => `${String(h).padStart(2, "0")}.00`;
  return `${hh(hour)}–${hh(hour + 1)}`;
}
