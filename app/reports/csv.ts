/**
 * CSV for the reports: UTF-8 with a byte-order mark (so Excel reads the Indonesian text right),
 * a header row, CRLF line ends and RFC 4180 quoting, in one of two dialects:
 * - "standard": `,` between fields, a decimal point, dates as YYYY-MM-DD (programs, the API);
 * - "id": what a spreadsheet set to Indonesian reads without a wizard — `;` between fields, a
 *   decimal comma, dates as DD/MM/YYYY (read with `,`, a "0.036" became 36).
 * Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 * Pure: the page's CSV route and the JSON API both build their files here.
 */
import { type Lang, translate } from "~/i18n";
import { localDateKey, offsetMinutes } from "~/scheduling/calendar";
import { HOUR_MS, MINUTE_MS } from "~/scheduling/intervals";
import { type BookingLine, type GroupBy, type Metrics, type Report, type ReportRow, sumMetrics } from "./metrics";
import { hourLabel } from "./format";
import type { Period } from "./period";

export type Cell = string | number | null | undefined;

export const BOM = "\uFEFF";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

export type CsvDialect = "standard" | "id";
export const CSV_DIALECTS: readonly CsvDialect[] = ["standard", "id"];

/** The dialect a request asks for (`dialect=id`); anything else is the standard one. */
export function csvDialect(value: string | null | undefined): CsvDialect {
  return value === "id" ? "id" : "standard";
}

/** A local date or date-and-time as this module writes them ("2026-12-21", "2026-12-21 08:00"): year, month, day, hour, minute. */
export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/;

export function csvCell(value: Cell, dialect: CsvDialect = "standard"): string {
  if (value === null || value === undefined) return "";
  const separator = dialect === "id" ? ";" : ",";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    return dialect === "id" ? String(value).replace(".", ",") : String(value);
  }
  const date = dialect === "id" ? LOCAL_DATE.exec(value) : null;
  const shown = date ? `${date[3]}/${date[2]}/${date[1]}${date[4] ? ` ${date[4]}:${date[5]}` : ""}` : value;
  const text = /^[=+\-@\t\r]/.test(shown) ? `'${shown}` : shown;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[], dialect: CsvDialect = "standard"): string {
  const lines = [header, ...rows].map((row) => row.map((c) => csvCell(c, dialect)).join(dialect === "id" ? ";" : ","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** A rate (fraction) as a percentage with 2 decimals, empty when there is none. */
export function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10000) / 100;
}

/** "2026-12-21 08:00" in the facility zone: sortable, and Excel reads it as a date. */
export function localStamp(instant: number, timeZone: string): string {
  const local = instant + offsetMinutes(instant, timeZone) * MINUTE_MS;
  const minutes = Math.floor((((local % (24 * HOUR_MS)) + 24 * HOUR_MS) % (24 * HOUR_MS)) / MINUTE_MS);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${localDateKey(instant, timeZone)} ${hh}:${mm}`;
}

/** A row's label as shown: an "any machine" row names its type. */
export function rowLabel(row: Pick<ReportRow, "kind" | "label">, lang: Lang): string {
  return row.kind === "anyMachine" ? translate(lang, "reports.anyMachine", { type: row.label }) : row.label;
}

// ---------------------------------------------------------------------------------------------
// The JSON API's CSV: the same fields as its JSON, fractions as fractions.

export const API_FIELDS = [
  "availableHours",
  "availableHoursToDate",
  "bookedHours",
  "bookedAheadHours",
  "usedHours",
  "bookedUtilization",
  "actualUtilization",
  "noShowRate",
  "lateCancellationRate",
  "unmetDemandHours",
  "fees",
] as const;

/** Every line carries asOf (UTC, as in the JSON), so a line read alone still says where its to-date figures stop. */
export function apiCsv(report: Report, lang: Lang, dialect: CsvDialect = "standard"): string {
  const asOf = new Date(report.asOf).toISOString();
  const line = (key: string, label: string, m: Metrics) => [key, label, asOf, ...API_FIELDS.map((f) => m[f])];
  return toCsv(
    ["key", "label", "asOf", ...API_FIELDS],
    [...report.rows.map((r) => line(r.key, rowLabel(r, lang), r)), line("TOTAL", translate(lang, "reports.total"), report.totals)],
    dialect,
  );
}

// ---------------------------------------------------------------------------------------------
// The page's tables

export type CsvTable = "summary" | "buckets" | "utilization" | "heatmap" | "ikms" | "unmet";
export const CSV_TABLES: readonly CsvTable[] = ["summary", "buckets", "utilization", "heatmap", "ikms", "unmet"];

function metricHeader(lang: Lang): string[] {
  const t = (k: string) => translate(lang, `reports.csv.${k}`);
  return [
    t("available"),
    t("availableToDate"),
    t("booked"),
    t("bookedAhead"),
    t("used"),
    t("bookedUtilization"),
    t("actualUtilization"),
    t("noShowRate"),
    t("lateCancellationRate"),
    t("unmet"),
    t("unmetRefused"),
    t("unmetWaitlist"),
    t("fees"),
    t("bookings"),
    t("completed"),
    t("noShows"),
    t("lateCancellations"),
    t("bookingsServed"),
    t("asOf"),
  ];
}

/** A report's (or bucket's) metrics, ending with where its to-date figures stop (local time). */
function metricCells(m: Metrics, asOf: string): Cell[] {
  return [
    m.availableHours,
    m.availableHoursToDate,
    m.bookedHours,
    m.bookedAheadHours,
    m.usedHours,
    percent(m.bookedUtilization),
    percent(m.actualUtilization),
    percent(m.noShowRate),
    percent(m.lateCancellationRate),
    m.unmetDemandHours,
    m.unmetRefusedHours,
    m.unmetWaitlistHours,
    m.fees,
    m.bookings,
    m.completed,
    m.noShows,
    m.lateCancellations,
    m.bookingsServed,
    asOf,
  ];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function groupWord(groupBy: GroupBy, lang: Lang): string {
  return translate(lang, `reports.groupBy.${groupBy}`);
}

export function csvFilename(table: string, period: Period, groupBy: GroupBy, lang: Lang): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  return `${slug(translate(lang, "reports.csv.file"))}-${slug(table)}-${period.from}_${period.to}-${slug(groupWord(groupBy, lang))}.csv`;
}

/** One of the page's tables as CSV, with its file name. */
export function reportCsv(report: Report, table: CsvTable, lang: Lang, dialect: CsvDialect = "standard"): { filename: string; body: string } {
  const { filename, header, rows } = reportTable(report, table, lang);
  return { filename, body: toCsv(header, rows, dialect) };
}

/** One of the page's tables as a header and rows of cells (for CSV and XLSX), with its CSV file name. */
export function reportTable(report: Report, table: CsvTable, lang: Lang): { filename: string; header: string[]; rows: Cell[][] } {
  const t = (k: string, p?: Record<string, string | number>) => translate(lang, k, p);
  const total = t("reports.total");
  const group = groupWord(report.groupBy, lang);
  const tz = report.timeZone;
  // Where the to-date figures of a part of the period stop: the report's asOf, at most the part's end.
  const asOf = (end: number) => localStamp(Math.min(report.asOf, end), tz);
  let header: string[];
  let rows: Cell[][];
  switch (table) {
    case "summary":
      header = [group, t("reports.csv.key"), ...metricHeader(lang)];
      rows = [
        ...report.rows.map((r) => [rowLabel(r, lang), r.key, ...metricCells(r, asOf(report.period.end))]),
        [total, "", ...metricCells(report.totals, asOf(report.period.end))],
      ];
      break;
    case "buckets": {
      // Long format: one line per bucket and row, then the total of everything.
      header = [t("reports.csv.from"), t("reports.csv.to"), group, t("reports.csv.key"), ...metricHeader(lang)];
      rows = report.buckets.flatMap((b) => b.rows.map((r) => [b.bucket.from, b.bucket.to, rowLabel(r, lang), r.key, ...metricCells(r, asOf(b.bucket.end))]));
      const all = report.buckets.flatMap((b) => b.rows);
      rows.push([report.period.from, report.period.to, total, "", ...metricCells(sumAll(all, report), asOf(report.period.end))]);
      break;
    }
    case "utilization":
      header = [
        t("reports.col.type"),
        t("reports.csv.key"),
        t("reports.csv.from"),
        t("reports.csv.to"),
        t("reports.csv.available"),
        t("reports.csv.availableToDate"),
        t("reports.csv.booked"),
        t("reports.csv.bookedAhead"),
        t("reports.csv.used"),
        t("reports.csv.bookedUtilization"),
        t("reports.csv.actualUtilization"),
        t("reports.csv.asOf"),
      ];
      rows = report.charts.utilization.flatMap((s) =>
        s.points.map((p, i) => {
          const b = report.charts.buckets[i];
          return [
            s.label,
            s.code,
            b.from,
            b.to,
            p.availableHours,
            p.availableHoursToDate,
            p.bookedHours,
            p.bookedAheadHours,
            p.usedHours,
            percent(p.bookedUtilization),
            percent(p.actualUtilization),
            asOf(b.end),
          ];
        }),
      );
      break;
    case "heatmap":
      header = [t("reports.col.day"), t("reports.col.hour"), t("reports.csv.used"), t("reports.csv.available"), t("reports.csv.utilization")];
      rows = report.charts.heatmap.cells.map((c) => [
        t(`reports.weekday.${c.weekday}`),
        hourLabel(c.hour),
        c.usedHours,
        c.availableHours,
        percent(c.utilization),
      ]);
      break;
    case "ikms": {
      header = [t("reports.col.ikm"), t("reports.csv.used"), t("reports.csv.fees")];
      const list = report.charts.ikms;
      rows = [
        ...list.map((i) => [i.label, i.usedHours, i.fees]),
        [total, round2(list.reduce((s, i) => s + i.usedHours, 0)), list.reduce((s, i) => s + i.fees, 0)],
      ];
      break;
    }
    case "unmet": {
      header = [t("reports.col.type"), t("reports.csv.unmetRefused"), t("reports.csv.unmetWaitlist"), t("reports.csv.unmet")];
      const list = report.charts.unmetByType;
      rows = [
        ...list.map((u) => [u.label, u.refusedHours, u.waitlistHours, u.totalHours]),
        [
          total,
          round2(list.reduce((s, u) => s + u.refusedHours, 0)),
          round2(list.reduce((s, u) => s + u.waitlistHours, 0)),
          round2(list.reduce((s, u) => s + u.totalHours, 0)),
        ],
      ];
      break;
    }
  }
  return { filename: csvFilename(t(`reports.csv.table.${table}`), report.period, report.groupBy, lang), header, rows };
}

/** The total line of the long bucket table: the sum of every bucket's rounded rows. */
function sumAll(rows: readonly ReportRow[], report: Report): Metrics {
  const facility = (f: "availableHours" | "availableHoursToDate") => round2(report.buckets.reduce((s, b) => s + (b.totals[f] ?? 0), 0));
  return sumMetrics(rows, report.groupBy === "ikm" ? { availableHours: facility("availableHours"), availableHoursToDate: facility("availableHoursToDate") } : undefined);
}


export interface DetailNames {
  machines: Map<number, string>;
  ikms: Map<number, string>;
}

/** The drill-down's bookings as a header and rows of cells (for CSV and XLSX), with the CSV file name. */
export function detailTable(
  lines: readonly BookingLine[],
  names: DetailNames,
  period: Period,
  label: string,
  lang: Lang,
  timeZone: string,
): { filename: string; header: string[]; rows: Cell[][] } {
  const t = (k: string) => translate(lang, k);
  const yesNo = (b: boolean) => t(b ? "common.yes" : "common.no");
  const header = [
    t("reports.csv.bookingId"),
    t("reports.csv.start"),
    t("reports.csv.end"),
    t("reports.detail.col.machine"),
    t("reports.detail.col.ikm"),
    t("reports.csv.status"),
    t("reports.csv.booked"),
    t("reports.csv.used"),
    t("reports.csv.feeCounted"),
    t("reports.csv.startsInPeriod"),
    t("reports.csv.lateCancellation"),
  ];
  const rows: Cell[][] = lines.map((l) => [
    l.id,
    localStamp(l.start, timeZone),
    localStamp(l.end, timeZone),
    names.machines.get(l.machineId) ?? String(l.machineId),
    names.ikms.get(l.ikmId) ?? String(l.ikmId),
    t(`status.${l.status}`),
    l.bookedHours,
    l.usedHours,
    l.fee,
    yesNo(l.startsInPeriod),
    yesNo(l.lateCancellation),
  ]);
  const sums = detailSums(lines);
  rows.push([t("reports.total"), "", "", "", "", "", sums.bookedHours, sums.usedHours, sums.fees, sums.startingInPeriod, sums.lateCancellations]);
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return {
    filename: `${t("reports.csv.file")}-${t("reports.csv.table.detail")}-${slug || "baris"}-${period.from}_${period.to}.csv`,
    header,
    rows,
  };
}

export function detailSums(lines: readonly BookingLine[]) {
  let booked = 0;
  let used = 0;
  let fees = 0;
  let starting = 0;
  let late = 0;
  for (const l of lines) {
    booked += l.bookedHours;
    used += l.usedHours;
    fees += l.fee ?? 0;
    if (l.startsInPeriod) starting++;
    if (l.lateCancellation) late++;
  }
  return { bookedHours: round2(booked), usedHours: round2(used), fees, startingInPeriod: starting, lateCancellations: late };
}
