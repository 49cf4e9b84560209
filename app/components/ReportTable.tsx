import { Link } from "@remix-run/react";
import { formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { fmtHours, fmtRate } from "~/reports/format";
import type { Metrics } from "~/reports/metrics";

export interface ReportTableRow {
  key: string;
  label: string;
  /** The drill-down to the bookings behind the row, when it has any. */
  href?: string;
  metrics: Metrics;
}

/** The metric columns, in the order of the CSV and the definitions. */
export const METRIC_COLUMNS = [
  "available",
  "booked",
  "used",
  "bookedUtilization",
  "actualUtilization",
  "noShowRate",
  "lateCancellationRate",
  "unmet",
  "fees",
] as const;

/**
 * A report table: one row per machine, type, IKM or time bucket, then the total row. Rates show
 * their numerator and denominator under the percentage, so a reader can check them.
 */
export function ReportTable({
  caption,
  firstColumn,
  rows,
  totals,
  testId,
}: {
  caption: string;
  firstColumn: string;
  rows: ReportTableRow[];
  totals: Metrics;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <div className="table-wrap report-table-wrap">
      <table className="report-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            {METRIC_COLUMNS.map((c) => (
              <th scope="col" className="num" key={c} aria-describedby={`def-${c}`}>
                {t(`reports.col.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.href ? (
                  <Link to={r.href} aria-label={t("reports.detailsOf", { label: r.label })}>
                    {r.label}
                  </Link>
                ) : (
                  r.label
                )}
              </th>
              <MetricCells m={r.metrics} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="total-row" data-testid={testId ? `${testId}-total` : undefined}>
            <th scope="row">{t("reports.total")}</th>
            <MetricCells m={totals} />
          </tr>
        </tfoot>
      </table>
      {rows.length === 0 ? <p className="muted">{t("reports.empty")}</p> : null}
    </div>
  );
}

function MetricCells({ m }: { m: Metrics }) {
  const { t, lang } = useI18n();
  const of = (n: number, d: number) => (d ? <small className="rate-of">{t("reports.rateOf", { n, d })}</small> : null);
  return (
    <>
      <td className="num" data-col="available">
        {fmtHours(m.availableHours, lang)}
      </td>
      <td className="num" data-col="booked">
        {fmtHours(m.bookedHours, lang)}
      </td>
      <td className="num" data-col="used">
        {fmtHours(m.usedHours, lang)}
      </td>
      <td className="num" data-col="bookedUtilization">
        {fmtRate(m.bookedUtilization, lang)}
      </td>
      <td className="num" data-col="actualUtilization">
        {fmtRate(m.actualUtilization, lang)}
      </td>
      <td className="num" data-col="noShowRate">
        {fmtRate(m.noShowRate, lang)}
        {of(m.noShows, m.completed + m.noShows)}
      </td>
      <td className="num" data-col="lateCancellationRate">
        {fmtRate(m.lateCancellationRate, lang)}
        {of(m.lateCancellations, m.bookings)}
      </td>
      <td className="num" data-col="unmet">
        {fmtHours(m.unmetDemandHours, lang)}
      </td>
      <td className="num" data-col="fees">
        {formatRupiah(m.fees)}
      </td>
    </>
  );
}

/** Each metric with its one-line definition. */
export function ReportDefinitions({ notes }: { notes: string[] }) {
  const { t } = useI18n();
  return (
    <section className="report-defs" aria-labelledby="report-defs-title">
      <h3 id="report-defs-title">{t("reports.defs.title")}</h3>
      <dl>
        {METRIC_COLUMNS.map((col) => (
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
