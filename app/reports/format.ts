/**
 * How report figures are written on the page: hours as hours and minutes ("934 j 27 m", the
 * same on every page and chart; the CSV and the JSON keep decimal hours for other programs),
 * rates as percentages, periods and buckets as Indonesian dates. Client-safe.
 */
import type { Lang } from "~/i18n";
import { formatMinutesAsHours } from "~/i18n/format";
import { largestRemainder } from "./rounding";

const locale = (lang: Lang) => (lang === "id" ? "id-ID" : "en-GB");
export const DASH = "–";

/** Whole minutes as "934 j 27 m" ("934 h 27 m"), "12 j", "45 m", "0 j": the app's one way (i18n/format). */
export const fmtMinutes = formatMinutesAsHours;

/** Decimal hours as hours and minutes (to the nearest minute); "–" for none. */
export function fmtHours(hours: number | null, lang: Lang): string {
  return hours === null ? DASH : fmtMinutes(hours * 60, lang);
}

/**
 * Whole minutes for hours that must add up on the page: each value to the nearest minute, then
 * nudged by at most one minute (largest remainder) so that they sum to the total's minutes,
 * as the rows of a report add up to its total row. null stays null.
 */
export function minutesAddingUp(hours: readonly (number | null)[], total: number | null): (number | null)[] {
  const rounded = hours.map((h) => (h === null ? null : Math.round(h * 60)));
  const present = hours.flatMap((h, i) => (h === null ? [] : [i]));
  const exact = present.map((i) => (hours[i] as number) * 60);
  if (total === null) return rounded;
  const target = Math.round(total * 60);
  // Only rounding is mended here: a total that is not the rows' sum (per IKM) leaves them rounded.
  const floors = exact.reduce((s, m) => s + Math.floor(m + 1e-6), 0);
  if (Math.abs(target - floors) > present.length) return rounded;
  const mended = largestRemainder(exact, target);
  const out = [...rounded];
  present.forEach((i, k) => {
    out[i] = mended[k];
  });
  return out;
}

/** A span of local dates, short: "1–7 Des", "30 Nov – 6 Des", "29 Des 2025 – 4 Jan 2026", "7 Des". */
export function fmtSpan(from: string, to: string, lang: Lang): string {
  const dm = (k: string) => dateFormat(lang, { day: "numeric", month: "short" }).format(Date.parse(`${k}T00:00:00Z`)).replace(".", "");
  const dmy = (k: string) => `${dm(k)} ${k.slice(0, 4)}`;
  if (from === to) return dm(from);
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${dmy(from)} – ${dmy(to)}`;
  if (from.slice(0, 7) === to.slice(0, 7)) return `${Number(from.slice(8, 10))}–${dm(to)}`;
  return `${dm(from)} – ${dm(to)}`;
}

/** How many days a bucket covers, and whether that is less than its whole week or month. */
export function bucketCoverage(bucket: { from: string; to: string }, kind: "week" | "month" | "none"): { days: number; partial: boolean } {
  const day = (k: string) => Date.parse(`${k}T00:00:00Z`) / 86_400_000;
  const days = day(bucket.to) - day(bucket.from) + 1;
  if (kind === "week") return { days, partial: days < 7 };
  if (kind === "month") {
    const year = Number(bucket.from.slice(0, 4));
    const month = Number(bucket.from.slice(5, 7));
    const inMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return { days, partial: days < inMonth };
  }
  return { days, partial: false };
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

type T = (key: string, params?: Record<string, string | number>) => string;

/** A quick choice's span: "1–7 Des s.d. hari ini" when it contains today, else "1–30 Nov". */
export function presetSpan(p: { from: string; to: string }, today: string, lang: Lang, t: T): string {
  if (p.from <= today && today <= p.to) return t("reports.span.toToday", { span: fmtSpan(p.from, today, lang) });
  return fmtSpan(p.from, p.to, lang);
}

/** Where a week or month of a report stands against today. */
export function bucketState(b: { from: string; to: string }, today: string): "past" | "current" | "ahead" {
  return b.from > today ? "ahead" : b.to >= today ? "current" : "past";
}

/**
 * What a week or month of a report is, when it is not simply a whole one that has happened:
 * cut by the period's edge ("sebagian, 6 hari"; a month names its days: "sebagian: 1–5 Des,
 * 5 hari"), in progress ("berjalan: s.d. hari ini"), or not yet begun ("belum terjadi").
 */
export function bucketNote(b: { from: string; to: string }, kind: "week" | "month", today: string, lang: Lang, t: T): string | undefined {
  const parts: string[] = [];
  const { days, partial } = bucketCoverage(b, kind);
  if (partial) parts.push(kind === "month" ? t("reports.bucket.partialSpan", { span: fmtSpan(b.from, b.to, lang), days }) : t("reports.bucket.partial", { days }));
  const state = bucketState(b, today);
  if (state !== "past") parts.push(t(`reports.bucket.${state}`));
  return parts.length ? parts.join(" · ") : undefined;
}
