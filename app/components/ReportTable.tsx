import { Link } from "@remix-run/react";
import { TableScroll } from "./TableScroll";
import { formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { DASH, fmtMinutes, fmtRate, minutesAddingUp } from "~/reports/format";
import type { Metrics } from "~/reports/metrics";

export interface ReportTableRow {
  key: string;
  label: string;
  /** The drill-down to the bookings behind the row, when it has any. */
  href?: string;
  /** A short line under the label (e.g. a partial week: the days it covers). */
  note?: string;
  metrics: Metrics;
}

/** The metric columns, in the order of the CSV and the definitions. */
export const METRIC_COLUMNS = [
  "available",
  "availableToDate",
  "booked",
  "bookedAhead",
  "used",
  "bookedUtilization",
  "actualUtilization",
  "noShowRate",
  "lateCancellationRate",
  "unmet",
  "fees",
] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** The columns shown: the to-date and ahead figures only when the period reaches past now (else they repeat). */
export function metricColumns(reachesPastNow: boolean): MetricColumn[] {
  return METRIC_COLUMNS.filter((c) => reachesPastNow || (c !== "availableToDate" && c !== "bookedAhead"));
}

const HOUR_COLUMNS = {
  available: "availableHours",
  availableToDate: "availableHoursToDate",
  booked: "bookedHours",
  bookedAhead: "bookedAheadHours",
  used: "usedHours",
  unmet: "unmetDemandHours",
} as const satisfies Partial<Record<MetricColumn, keyof Metrics>>;
type HourColumn = keyof typeof HOUR_COLUMNS;

/**
 * A report table: one row per machine, type, IKM or time bucket, then the total row. Hours are
 * shown as hours and minutes that add up to the total row; rates show their numerator and
 * denominator under the percentage, so a reader can check them.
 */
export function ReportTable({
  caption,
  firstColumn,
  rows,
  totals,
  testId,
  reachesPastNow = false,
}: {
  caption: string;
  firstColumn: string;
  rows: ReportTableRow[];
  totals: Metrics;
  testId?: string;
  /** The period ends after now: show the hours available so far and the hours booked ahead. */
  reachesPastNow?: boolean;
}) {
  const { t } = useI18n();
  const columns = metricColumns(reachesPastNow);
  // Minutes per hour column, rows adding up to the total row as they do in hundredths.
  const minutes = {} as Record<HourColumn, (number | null)[]>;
  for (const [col, field] of Object.entries(HOUR_COLUMNS) as [HourColumn, keyof Metrics][]) {
    minutes[col] = minutesAddingUp(
      rows.map((r) => r.metrics[field] as number | null),
      totals[field] as number | null,
    );
  }
  const totalMinutes = Object.fromEntries(
    (Object.entries(HOUR_COLUMNS) as [HourColumn, keyof Metrics][]).map(([col, field]) => {
      const v = totals[field] as number | null;
      return [col, v === null ? null : Math.round(v * 60)];
    }),
  ) as Record<HourColumn, number | null>;
  return (
    <TableScroll className="report-table-wrap">
      <table className="report-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            {columns.map((c) => (
              <th scope="col" className="num" key={c} aria-describedby={`def-${c}`}>
                {t(`reports.col.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key}>
              <th scope="row">
                {r.href ? (
                  <Link to={r.href} aria-label={t("reports.detailsOf", { label: r.label })}>
                    {r.label}
                  </Link>
                ) : (
                  r.label
                )}
                {r.note ? <small className="row-note">{r.note}</small> : null}
              </th>
              <MetricCells m={r.metrics} columns={columns} minutes={(c) => minutes[c][i]} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="total-row" data-testid={testId ? `${testId}-total` : undefined}>
            <th scope="row">{t("reports.total")}</th>
            <MetricCells m={totals} columns={columns} minutes={(c) => totalMinutes[c]} />
          </tr>
        </tfoot>
      </table>
      {rows.length === 0 ? <p className="muted">{t("reports.empty")}</p> : null}
    </TableScroll>
  );
}

function MetricCells({ m, columns, minutes }: { m: Metrics; columns: MetricColumn[]; minutes: (c: HourColumn) => number | null }) {
  const { t, lang } = useI18n();
  const of = (n: number, d: number) => (d ? <small className="rate-of">{t("reports.rateOf", { n, d })}</small> : null);
  const hours = (c: HourColumn) => {
    const v = minutes(c);
    return v === null ? DASH : fmtMinutes(v, lang);
  };
  const cell = (c: MetricColumn) => {
    switch (c) {
      case "bookedUtilization":
        return fmtRate(m.bookedUtilization, lang);
      case "actualUtilization":
        return fmtRate(m.actualUtilization, lang);
      case "noShowRate":
        return (
          <>
            {fmtRate(m.noShowRate, lang)}
            {of(m.noShows, m.completed + m.noShows)}
          </>
        );
      case "lateCancellationRate":
        return (
          <>
            {fmtRate(m.lateCancellationRate, lang)}
            {of(m.lateCancellations, m.bookings)}
          </>
        );
      case "fees":
        return formatRupiah(m.fees);
      default:
        return hours(c);
    }
  };
  return (
    <>
      {columns.map((c) => (
        <td className="num" data-col={c} key={c}>
          {cell(c)}
        </td>
      ))}
    </>
  );
}

/** Each metric with its one-line definition. */
export function ReportDefinitions({ notes, reachesPastNow = false }: { notes: string[]; reachesPastNow?: boolean }) {
  const { t } = useI18n();
  return (
    <section className="report-defs" aria-labelledby="report-defs-title">
      <h3 id="report-defs-title">{t("reports.defs.title")}</h3>
      <dl>
        {metricColumns(reachesPastNow).map((col) => (
          <div key={col}>
            <dt>{t(`reports.col.${col}`)}</dt>
            <dd id={`def-${col}`}>{t(`reports.def.${col}`)}</dd>
          </div>
        ))}
      </dl>
      {notes.map((n) => (
        <p className="small muted" key={n}>
          {n}
        </p>
      ))}
    </section>
  );
}
