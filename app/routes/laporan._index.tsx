/**
 * /laporan — the manager's report: service figures, the metrics per machine, type or IKM (and
 * per week or month), their definitions, charts, CSV files and a print layout.
 */
import { type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ChartBars } from "~/components/ChartBars";
import { ChartFigure, Swatch, xlsxHref } from "~/components/ChartFigure";
import { ChartHeatmap } from "~/components/ChartHeatmap";
import { ChartUtilization } from "~/components/ChartUtilization";
import { ReportDefinitions, ReportTable, type ReportTableRow } from "~/components/ReportTable";
import { translate } from "~/i18n";
import { formatDateLong, formatRupiah, formatTime, zoneLabel } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { csvDialect } from "~/reports/csv";
import { bucketNote, fmtBucket, fmtCount, fmtDateKey, fmtHours, presetSpan } from "~/reports/format";
import type { ReportRow } from "~/reports/metrics";
import { PRESET_KEYS } from "~/reports/period";
import { localDateKey } from "~/scheduling/calendar";
import { fieldErrors } from "~/schemas/parse";
import { ReportPageQuery } from "~/schemas/reports";
import { buildReport, reportContext } from "~/services/reports/load.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export const links = () => [{ rel: "stylesheet", href: "/css/reports.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Laporan"} · Giliran` }];

const TOP_N = 10;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports:view");
  const search = new URL(request.url).searchParams;
  const at = now();
  const context = await reportContext(db(), at);
  const title = translate(user.language, "reports.title");
  // Without a period, last month: the latest whole month, the one a head of unit reports on.
  const parsed = ReportPageQuery.safeParse({
    from: search.get("from") || context.presets.lastMonth.from,
    to: search.get("to") || context.presets.lastMonth.to,
    groupBy: search.get("groupBy") || undefined,
    bucket: search.get("bucket") || undefined,
  });
  if (!parsed.success) {
    const input = { from: search.get("from") ?? "", to: search.get("to") ?? "", groupBy: search.get("groupBy") ?? "machine", bucket: search.get("bucket") ?? "none" };
    return data(
      {
        ok: false as const,
        title,
        facilityName: context.facilityName,
        presets: context.presets,
        today: localDateKey(at, context.calendar.timeZone),
        input,
        errors: fieldErrors(parsed.error),
        report: null,
      },
      { status: 400 },
    );
  }
  const { report } = await buildReport(db(), parsed.data, at, context.calendar);
  const byFees = [...report.charts.ikms].sort((a, b) => b.fees - a.fees || a.label.localeCompare(b.label, "id"));
  const timeZone = context.calendar.timeZone;
  return {
    ok: true as const,
    title,
    facilityName: context.facilityName,
    presets: context.presets,
    today: localDateKey(at, timeZone),
    timeZone,
    // Where the to-date figures stop; whether the period reaches past it, or has not begun.
    asOf: report.asOf,
    reachesPastNow: report.asOf < report.period.end,
    notBegun: report.asOf <= report.period.start,
    input: { from: report.period.from, to: report.period.to, groupBy: report.groupBy, bucket: report.bucket },
    errors: {} as Record<string, string>,
    report: {
      rows: report.rows,
      totals: report.totals,
      // The page shows each bucket's totals; its CSV has every row of every bucket.
      buckets: report.bucket === "none" ? [] : report.buckets.map((b) => ({ from: b.bucket.from, to: b.bucket.to, totals: b.totals })),
      service: report.service,
      chartBucket: report.charts.bucket,
      chartBuckets: report.charts.buckets.map((b) => ({ from: b.from, to: b.to })),
      utilization: report.charts.utilization,
      heatmap: report.charts.heatmap,
      topHours: report.charts.ikms.slice(0, TOP_N),
      topFees: byFees.filter((i) => i.fees > 0).slice(0, TOP_N),
      ikmCount: report.charts.ikms.length,
      unmetByType: report.charts.unmetByType,
    },
  };
}

type Input = { from: string; to: string; groupBy: string; bucket: string };

function query(input: Input, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams({ from: input.from, to: input.to, groupBy: input.groupBy, bucket: input.bucket });
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  return p.toString();
}

function detailHref(row: ReportRow, input: Input): string | undefined {
  const param = { machine: "machineId", type: "typeId", ikm: "ikmId", anyMachine: null }[row.kind];
  if (!param) return undefined;
  const p = new URLSearchParams({ from: input.from, to: input.to, [param]: String(row.id) });
  return `/laporan/rincian?${p}`;
}

export default function ReportPage() {
  const { t, lang } = useI18n();
  const d = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location?.pathname === "/laporan";
  const input = d.input as Input;
  const groupWord = t(`reports.groupBy.${input.groupBy}`);
  // CSV for a spreadsheet set to Indonesian (";", decimal comma) or the standard one, as chosen on the page.
  const [search] = useSearchParams();
  const dialect = csvDialect(search.get("csv"));
  const csv = (table: string) => `/laporan/csv?${query(input, { table, ...(dialect === "id" ? { dialect } : {}) })}`;
  const periodText = d.ok ? t("reports.period", { from: fmtDateKey(input.from, lang), to: fmtDateKey(input.to, lang) }) : "";

  return (
    <div className={`report${busy ? " is-loading" : ""}`}>
      <header className="report-head">
        <div>
          <h1>{t("reports.title")}</h1>
          {d.ok ? (
            <p className="report-period">
              <strong data-testid="report-period">{periodText}</strong> · {t(`reports.table.${input.groupBy}`)}
              {input.bucket !== "none" ? ` · ${t(`reports.bucket.${input.bucket}`)}` : ""}
            </p>
          ) : null}
          <p className="muted no-print">{t("reports.intro")}</p>
          {d.ok && d.reachesPastNow ? (
            <p className="report-asof" data-testid="report-asof" role="note">
              {d.notBegun
                ? t("reports.asOf.future", { booked: fmtHours(d.report.totals.bookedHours, lang) })
                : t("reports.asOf.partial", {
                    asOf: `${formatDateLong(d.asOf, lang, d.timeZone)} ${formatTime(d.asOf, lang, d.timeZone)} ${zoneLabel(d.timeZone)}`,
                    ahead: fmtHours(d.report.totals.bookedAheadHours, lang),
                  })}
            </p>
          ) : null}
          {d.ok ? <p className="print-only small">{t("reports.printedFor", { facility: d.facilityName })}</p> : null}
        </div>
        {d.ok ? (
          <button type="button" className="button no-print" onClick={() => window.print()}>
            {t("reports.print")}
          </button>
        ) : null}
      </header>

      <section className="card no-print report-filter" aria-labelledby="filter-title">
        <h2 id="filter-title">{t("reports.filter.title")}</h2>
        <nav aria-label={t("reports.filter.presets")} className="presets">
          <span className="muted small">{t("reports.filter.presets")}:</span>
          {PRESET_KEYS.map((key) => {
            const p = d.presets[key];
            const current = d.ok && p.from === input.from && p.to === input.to;
            return (
              <Link
                key={key}
                className={`button small${current ? " primary" : ""}`}
                aria-current={current ? "true" : undefined}
                to={`/laporan?${query({ ...input, from: p.from, to: p.to })}`}
              >
                {t(`reports.preset.${key}`)}
                <span className="preset-span">{presetSpan(p, d.today, lang, t)}</span>
              </Link>
            );
          })}
        </nav>
        {Object.keys(d.errors).length ? (
          <div className="alert alert-error" role="alert">
            <p>{t("reports.filter.errors")}</p>
            <ul>
              {Object.entries(d.errors).map(([field, key]) => (
                <li key={field}>
                  {`${t(`reports.field.${field}`)}: ${t(key)}`}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Form method="get" action="/laporan" className="filter-form">
          <label className="field">
            <span>{t("reports.filter.from")}</span>
            <input type="date" name="from" defaultValue={input.from} required aria-invalid={d.errors.from ? true : undefined} />
          </label>
          <label className="field">
            <span>{t("reports.filter.to")}</span>
            <input type="date" name="to" defaultValue={input.to} required aria-invalid={d.errors.to ? true : undefined} />
          </label>
          <label className="field">
            <span>{t("reports.filter.groupBy")}</span>
            <select name="groupBy" defaultValue={input.groupBy} aria-invalid={d.errors.groupBy ? true : undefined}>
              {(["machine", "type", "ikm"] as const).map((g) => (
                <option key={g} value={g}>
                  {t(`reports.groupBy.${g}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("reports.filter.bucket")}</span>
            <select name="bucket" defaultValue={input.bucket} aria-invalid={d.errors.bucket ? true : undefined}>
              {(["none", "week", "month"] as const).map((b) => (
                <option key={b} value={b}>
                  {t(`reports.bucket.${b}`)}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="csv-choice">
            <legend>{t("reports.csvDialect")}</legend>
            {(["id", "standard"] as const).map((x) => (
              <label key={x} className="radio">
                <input type="radio" name="csv" value={x} defaultChecked={dialect === x} />
                <span>{t(`reports.csvDialect.${x}`)}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("common.loading") : t("reports.filter.submit")}
          </button>
        </Form>
      </section>

      {d.report ? (
        <>
          <section className="card" aria-labelledby="service-title">
            <h2 id="service-title">{t("reports.service.title")}</h2>
            <dl className="figures" data-testid="service-figures">
              <div>
                <dt>{t("reports.service.ikmsServed")}</dt>
                <dd>{fmtCount(d.report.service.ikmsServed, lang)}</dd>
              </div>
              <div>
                <dt>{t("reports.service.bookingsServed")}</dt>
                <dd>{fmtCount(d.report.service.bookingsServed, lang)}</dd>
              </div>
              <div>
                <dt>{t("reports.service.hoursServed")}</dt>
                <dd>{fmtHours(d.report.service.hoursServed, lang)}</dd>
              </div>
              <div>
                <dt>{t("reports.service.fees")}</dt>
                <dd>{formatRupiah(d.report.service.fees)}</dd>
              </div>
            </dl>
            <p className="small muted">{t("reports.service.def")}</p>
          </section>

          <section className="card" aria-labelledby="table-title">
            <div className="section-head">
              <h2 id="table-title">{t(`reports.table.${input.groupBy}`)}</h2>
              <span className="row no-print">
                <a className="button small" href={csv("summary")} download data-testid="csv-summary">
                  {t("reports.csv")}
                </a>
                <a className="button small" href={xlsxHref(csv("summary"))} download data-testid="xlsx-summary">
                  {t("reports.xlsx")}
                </a>
              </span>
            </div>
            <ReportTable
              testId="report-table"
              caption={t("reports.table.caption", { table: t(`reports.table.${input.groupBy}`), period: periodText })}
              firstColumn={groupWord}
              rows={d.report.rows.map(
                (r): ReportTableRow => ({
                  key: r.key,
                  label: r.kind === "anyMachine" ? t("reports.anyMachine", { type: r.label }) : r.label,
                  href: detailHref(r, input),
                  metrics: r,
                }),
              )}
              totals={d.report.totals}
              reachesPastNow={d.reachesPastNow}
            />
            <ReportDefinitions
              reachesPastNow={d.reachesPastNow}
              notes={[
                t("reports.note.totals"),
                ...(input.groupBy === "ikm" ? [t("reports.note.ikmAvailable")] : []),
                ...(d.report.rows.some((r) => r.kind === "anyMachine") ? [t("reports.note.anyMachine")] : []),
                t("reports.note.unmetDetail"),
              ]}
            />
          </section>

          {d.report.buckets.length ? (
            <section className="card" aria-labelledby="buckets-title">
              <div className="section-head">
                <h2 id="buckets-title">{t(`reports.table.${input.bucket}`, { group: groupWord.toLowerCase() })}</h2>
                <a className="button small no-print" href={csv("buckets")} download>
                  {t("reports.csv")}
                </a>
              </div>
              <ReportTable
                testId="bucket-table"
                caption={t(`reports.table.${input.bucket}`, { group: groupWord.toLowerCase() })}
                firstColumn={t("reports.col.bucket")}
                rows={d.report.buckets.map((b) => ({
                  key: b.from,
                  label: fmtBucket(b, input.bucket as "week" | "month", lang),
                  note: bucketNote(b, input.bucket as "week" | "month", d.today, lang, t),
                  metrics: b.totals,
                }))}
                totals={d.report.totals}
                reachesPastNow={d.reachesPastNow}
              />
            </section>
          ) : null}

          <h2 className="charts-title">{t("reports.charts.title")}</h2>
          <div className="charts">
            <ChartUtilization series={d.report.utilization} buckets={d.report.chartBuckets} kind={d.report.chartBucket} today={d.today} csvHref={csv("utilization")} />
            <UnmetChart items={d.report.unmetByType} csvHref={csv("unmet")} />
            <ChartHeatmap heatmap={d.report.heatmap} csvHref={csv("heatmap")} />
            <TopChart
              title={t("reports.chart.topHours.title")}
              items={d.report.topHours.map((i) => ({ key: String(i.id), label: i.label, value: i.usedHours, valueLabel: t("reports.chart.hoursValue", { n: fmtHours(i.usedHours, lang) }) }))}
              total={d.report.ikmCount}
              csvHref={csv("ikms")}
              column={t("reports.col.used")}
            />
            <TopChart
              title={t("reports.chart.topFees.title")}
              items={d.report.topFees.map((i) => ({ key: String(i.id), label: i.label, value: i.fees, valueLabel: formatRupiah(i.fees) }))}
              total={d.report.ikmCount}
              csvHref={csv("ikms")}
              column={t("reports.col.fees")}
            />

          </div>
        </>
      ) : null}
    </div>
  );
}

function TopChart({
  title,
  items,
  total,
  csvHref,
  column,
}: {
  title: string;
  items: { key: string; label: string; value: number; valueLabel: string }[];
  total: number;
  csvHref: string;
  column: string;
}) {
  const { t } = useI18n();
  const table = (
    <table className="chart-data">
      <thead>
        <tr>
          <th scope="col">{t("reports.col.ikm")}</th>
          <th scope="col" className="num">
            {column}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.key}>
            <th scope="row">{i.label}</th>
            <td className="num">{i.valueLabel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} description={t("reports.chart.top.desc", { n: items.length, total })} csvHref={csvHref} table={table}>
      {items.length ? (
        <ChartBars label={title} items={items.map((i) => ({ key: i.key, label: i.label, segments: [{ value: i.value, kind: "solid" }], valueLabel: i.valueLabel }))} />
      ) : (
        <p className="muted">{t("reports.chart.noData")}</p>
      )}
    </ChartFigure>
  );
}

function UnmetChart({
  items,
  csvHref,
}: {
  items: { id: number; label: string; refusedHours: number; waitlistHours: number; totalHours: number }[];
  csvHref: string;
}) {
  const { t, lang } = useI18n();
  const title = t("reports.chart.unmet.title");
  const hours = (n: number) => t("reports.chart.hoursValue", { n: fmtHours(n, lang) });
  const table = (
    <table className="chart-data">
      <thead>
        <tr>
          <th scope="col">{t("reports.col.type")}</th>
          <th scope="col" className="num">
            {t("reports.col.refused")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.waitlist")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.unmet")}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <th scope="row">{i.label}</th>
            <td className="num">{fmtHours(i.refusedHours, lang)}</td>
            <td className="num">{fmtHours(i.waitlistHours, lang)}</td>
            <td className="num">{fmtHours(i.totalHours, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} description={t("reports.chart.unmet.desc")} csvHref={csvHref} table={table} wide>
      <p className="chart-legend">
        <Swatch kind="solid" label={t("reports.chart.unmet.refused")} />
        <Swatch kind="hatch" label={t("reports.chart.unmet.waitlist")} />
      </p>
      <ChartBars
        label={title}
        items={items.map((i) => ({
          key: String(i.id),
          label: i.label,
          segments: [
            { value: i.refusedHours, kind: "solid" },
            { value: i.waitlistHours, kind: "hatch" },
          ],
          valueLabel: hours(i.totalHours),
        }))}
      />
    </ChartFigure>
  );
}
