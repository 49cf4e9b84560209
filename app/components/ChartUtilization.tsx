import { useI18n } from "~/i18n/react";
import { bucketCoverage, bucketNote, bucketState, fmtBucket, fmtHours, fmtRate } from "~/reports/format";
import type { SeriesPoint } from "~/reports/metrics";
import { ChartFigure, ChartPatterns, Swatch, useSvgId } from "./ChartFigure";

interface Series {
  id: number;
  code: string;
  label: string;
  points: SeriesPoint[];
  total: SeriesPoint;
}

// One unit is about one pixel on a 360 px phone (a panel is ~320 px wide there): 13-unit text
// stays at least 12 px on the screen.
const W = 320;
const H = 160;
const LEFT = 42;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 24;
const FONT = 13;
const INK = "#1b2430";
const BRAND = "#1d4e89";

/**
 * Utilization over time per machine type, as small multiples: one panel per type on the same
 * scale, a hatched bar for booked and a solid black bar for actual utilization per week or month.
 * Readable in black and white; each panel states its totals in words.
 */
export function ChartUtilization({
  series,
  buckets,
  kind,
  today,
  csvHref,
}: {
  series: Series[];
  buckets: { from: string; to: string }[];
  kind: "week" | "month";
  /** The facility's date today: a week or month in progress or ahead is marked. */
  today: string;
  csvHref: string;
}) {
  const { t, lang } = useI18n();
  // A week or month cut by the period's edge or in progress is marked (*) and its days named below;
  // those not begun are listed (they have only a booked bar).
  const notes = buckets.map((b) => bucketNote(b, kind, today, lang, t));
  const marked = buckets.map((b) => bucketCoverage(b, kind).partial || bucketState(b, today) === "current");
  const noted = buckets.flatMap((b, i) => (marked[i] ? [`${fmtBucket(b, kind, lang)} (${notes[i]})`] : []));
  const ahead = buckets.flatMap((b) => (bucketState(b, today) === "ahead" ? [fmtBucket(b, kind, lang)] : []));
  const title = t("reports.chart.utilization.title", { bucket: t(`reports.chart.utilization.${kind}`) });
  let max = 1;
  for (const s of series) for (const p of s.points) max = Math.max(max, p.bookedUtilization ?? 0, p.actualUtilization ?? 0);
  const yMax = Math.ceil(max * 2) / 2;
  const table = (
    <table className="chart-data">
      <thead>
        <tr>
          <th scope="col">{t("reports.col.type")}</th>
          <th scope="col">{t("reports.col.bucket")}</th>
          <th scope="col" className="num">
            {t("reports.col.available")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.booked")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.used")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.bookedUtilization")}
          </th>
          <th scope="col" className="num">
            {t("reports.col.actualUtilization")}
          </th>
        </tr>
      </thead>
      <tbody>
        {series.flatMap((s) =>
          s.points.map((p, i) => (
            <tr key={`${s.id}-${buckets[i].from}`}>
              <th scope="row">{s.label}</th>
              <td>
                {fmtBucket(buckets[i], kind, lang)}
                {notes[i] ? <small className="row-note">{notes[i]}</small> : null}
              </td>
              <td className="num">{fmtHours(p.availableHours, lang)}</td>
              <td className="num">{fmtHours(p.bookedHours, lang)}</td>
              <td className="num">{fmtHours(p.usedHours, lang)}</td>
              <td className="num">{fmtRate(p.bookedUtilization, lang)}</td>
              <td className="num">{fmtRate(p.actualUtilization, lang)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} description={t("reports.chart.utilization.desc")} csvHref={csvHref} table={table} wide>
      <p className="chart-legend">
        <Swatch kind="hatch" label={t("reports.chart.utilization.booked")} />
        <Swatch kind="solid" label={t("reports.chart.utilization.actual")} />
      </p>
      {series.length === 0 ? (
        <p className="muted">{t("reports.chart.noData")}</p>
      ) : (
        <div className="small-multiples">
          {series.map((s) => (
            <Panel key={s.id} series={s} buckets={buckets} kind={kind} yMax={yMax} marked={marked} />
          ))}
        </div>
      )}
      {noted.length ? (
        <p className="small chart-note" data-testid="chart-partial-note">
          {t("reports.chart.utilization.partialNote", { list: noted.join("; ") })}
        </p>
      ) : null}
      {ahead.length ? <p className="small chart-note">{t("reports.chart.utilization.aheadNote", { list: ahead.join(", ") })}</p> : null}
    </ChartFigure>
  );
}

function Panel({
  series,
  buckets,
  kind,
  yMax,
  marked,
}: { series: Series; buckets: { from: string; to: string }[]; kind: "week" | "month"; yMax: number; marked: boolean[] }) {
  const { t, lang } = useI18n();
  const id = useSvgId();
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const n = Math.max(1, series.points.length);
  const slot = plotW / n;
  const y = (v: number) => TOP + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const ticks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += 0.5) ticks.push(v);
  const labelEvery = Math.ceil(n / 5);
  const summary = t("reports.chart.utilization.summary", {
    type: series.label,
    booked: fmtRate(series.total.bookedUtilization, lang),
    actual: fmtRate(series.total.actualUtilization, lang),
  });
  return (
    <div className="panel">
      <h4>{series.label}</h4>
      <p className="small">
        {t("reports.chart.utilization.booked")} <strong>{fmtRate(series.total.bookedUtilization, lang)}</strong> ·{" "}
        {t("reports.chart.utilization.actual")} <strong>{fmtRate(series.total.actualUtilization, lang)}</strong>
      </p>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        <ChartPatterns id={id} />
        {ticks.map((v) => (
          <g key={v}>
            <line
              x1={LEFT}
              x2={W - RIGHT}
              y1={y(v)}
              y2={y(v)}
              stroke={v === 1 ? INK : "#c9d0d9"}
              strokeDasharray={v === 1 ? "4 3" : undefined}
              strokeWidth={v === 1 ? 1 : 0.6}
            />
            <text x={LEFT - 4} y={y(v) + 4} textAnchor="end" fontSize={FONT} fill={INK}>
              {Math.round(v * 100)}%
            </text>
          </g>
        ))}
        {series.points.map((p, i) => {
          const x = LEFT + i * slot;
          const bw = Math.max(1, slot * 0.8);
          const aw = Math.max(1, slot * 0.42);
          const label = `${fmtBucket(buckets[i], kind, lang)}: ${t("reports.chart.utilization.booked")} ${fmtRate(p.bookedUtilization, lang)}, ${t("reports.chart.utilization.actual")} ${fmtRate(p.actualUtilization, lang)}`;
          return (
            <g key={buckets[i].from}>
              <title>{label}</title>
              {p.bookedUtilization ? (
                <rect
                  x={x + (slot - bw) / 2}
                  y={y(p.bookedUtilization)}
                  width={bw}
                  height={TOP + plotH - y(p.bookedUtilization)}
                  fill={`url(#${id}-hatch)`}
                  stroke={BRAND}
                  strokeWidth="0.8"
                  strokeDasharray={marked[i] ? "3 2" : undefined}
                />
              ) : null}
              {p.actualUtilization ? (
                <rect x={x + (slot - aw) / 2} y={y(p.actualUtilization)} width={aw} height={TOP + plotH - y(p.actualUtilization)} fill={INK} />
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={x + slot / 2} y={H - 7} textAnchor="middle" fontSize={FONT} fill={INK}>
                  {fmtBucket(buckets[i], kind, lang, true)}
                  {marked[i] ? "*" : ""}
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1={LEFT} x2={W - RIGHT} y1={TOP + plotH} y2={TOP + plotH} stroke={INK} strokeWidth="1" />
      </svg>
    </div>
  );
}
