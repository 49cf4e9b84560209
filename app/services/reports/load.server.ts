/**
 * The manager's reports: the figures of a period assembled (app/reports/metrics.ts) from the
 * per-day summary for the days it holds and from the raw records for the rest
 * (summary.server.ts), and their JSON and CSV views. The JSON API, the page, its CSV files and
 * the manager's home all go through buildReport, so they agree.
 */
import type { DbOrTx } from "#db/connection";
import type { Lang } from "~/i18n";
import { type CsvDialect, apiCsv, rowLabel } from "~/reports/csv";
import { type GroupBy, type Report, assembleReport } from "~/reports/metrics";
import { type BucketKind, periodOf, presets } from "~/reports/period";
import type { FacilityCalendar } from "~/scheduling/types";
import { reportCalendar } from "./raw.server";
import { summaryCells } from "./summary.server";

export interface ReportParams {
  from: string;
  to: string;
  groupBy: GroupBy;
  bucket: BucketKind;
}
export interface BuiltReport {
  report: Report;
  timeZone: string;
  facilityName: string;
}

/** The facility's calendar and name, and the period presets around `now`. */
export async function reportContext(database: DbOrTx, now: number) {
  const { calendar, facilityName } = await reportCalendar(database);
  return { calendar, facilityName, presets: presets(now, calendar.timeZone) };
}

export async function buildReport(database: DbOrTx, params: ReportParams, now: number, known?: FacilityCalendar): Promise<BuiltReport> {
  const { calendar, facilityName } = known ? { calendar: known, facilityName: "" } : await reportCalendar(database);
  const period = periodOf(params.from, params.to, calendar.timeZone);
  const options = { groupBy: params.groupBy, bucket: params.bucket };
  const { cells, meta } = await summaryCells(database, calendar, period, now, options.bucket);
  return { report: assembleReport(cells, meta, { period, ...options }), timeZone: calendar.timeZone, facilityName };
}

/** The JSON API's view of a report (DESIGN.md "JSON API (v1)"). */
export function reportJson(report: Report, lang: Lang) {
  const metrics = (m: Report["totals"]) => ({
    availableHours: m.availableHours,
    availableHoursToDate: m.availableHoursToDate,
    bookedHours: m.bookedHours,
    bookedAheadHours: m.bookedAheadHours,
    usedHours: m.usedHours,
    bookedUtilization: m.bookedUtilization,
    actualUtilization: m.actualUtilization,
    noShowRate: m.noShowRate,
    lateCancellationRate: m.lateCancellationRate,
    unmetDemandHours: m.unmetDemandHours,
    fees: m.fees,
  });
  return {
    from: report.period.from,
    to: report.period.to,
    groupBy: report.groupBy,
    asOf: new Date(report.asOf).toISOString(),
    rows: report.rows.map((r) => ({ key: r.key, label: rowLabel(r, lang), ...metrics(r) })),
    totals: metrics(report.totals),
    service: report.service,
  };
}

export function reportApiCsv(report: Report, lang: Lang, dialect: CsvDialect = "standard"): { filename: string; body: string } {
  const filename = `utilization-${report.period.from}_${report.period.to}-${report.groupBy}${dialect === "id" ? "-id" : ""}.csv`;
  return { filename, body: apiCsv(report, lang, dialect) };
}

