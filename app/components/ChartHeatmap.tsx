import { useI18n } from "~/i18n/react";
import { DASH, fmtHours, fmtRate, hourLabel } from "~/reports/format";
import type { HeatCell } from "~/reports/metrics";
import { ChartFigure } from "./ChartFigure";

const CELL_W = 60;
const CELL_H = 34;
const LEFT = 52;
const TOP = 24;

/** Grey for a utilization: white when idle, near black when full. The number is always printed. */
function shade(u: number | null): { fill: string; ink: string } {
  if (u === null) return { fill: "#ffffff", ink: "#5b6675" };
  const lightness = Math.round(97 - Math.min(1, u) * 82);
  return { fill: `hsl(214 20% ${lightness}%)`, ink: lightness < 55 ? "#ffffff" : "#1b2430" };
}

/** Weekday × hour heat map of actual use: the share of available hours used, with the number in each cell. */
export function ChartHeatmap({
  heatmap,
  csvHref,
}: {
  heatmap: { weekdays: number[]; hours: number[]; cells: HeatCell[] };
  csvHref: string;
}) {
  const { t, lang } = useI18n();
  const cell = new Map(heatmap.cells.map((c) => [`${c.weekday}:${c.hour}`, c]));
  const width = LEFT + heatmap.hours.length * CELL_W + 2;
  const height = TOP + heatmap.weekdays.length * CELL_H + 2;
  const title = t("reports.chart.heatmap.title");
  const table = (
    <table className="chart-data">
      <thead>
        <tr>
          <th scope="col">{t("reports.chart.heatmap.day")}</th>
          {heatmap.hours.map((h) => (
            <th scope="col" className="num" key={h}>
              {hourLabel(h)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {heatmap.weekdays.map((d) => (
          <tr key={d}>
            <th scope="row">{t(`reports.weekday.${d}`)}</th>
            {heatmap.hours.map((h) => {
              const c = cell.get(`${d}:${h}`);
              return (
                <td className="num" key={h}>
                  {c ? `${fmtRate(c.utilization, lang)} (${fmtHours(c.usedHours, lang)}/${fmtHours(c.availableHours, lang)})` : DASH}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} description={t("reports.chart.heatmap.desc")} csvHref={csvHref} table={table} wide>
      {heatmap.cells.length === 0 ? (
        <p className="muted">{t("reports.chart.noData")}</p>
      ) : (
        // A box that scrolls sideways: reachable and scrollable by keyboard, named for screen readers.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus to be scrolled by keys (axe: scrollable-region-focusable)
        <section className="chart-scroll" tabIndex={0} aria-label={title}>
          <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={title} className="chart-svg heatmap">
            {heatmap.hours.map((h, j) => (
              <text key={h} x={LEFT + j * CELL_W + CELL_W / 2} y={TOP - 7} textAnchor="middle" fontSize="12" fill="#1b2430">
                {String(h).padStart(2, "0")}.00
              </text>
            ))}
            {heatmap.weekdays.map((d, i) => (
              <g key={d}>
                <text x={LEFT - 6} y={TOP + i * CELL_H + CELL_H / 2 + 4} textAnchor="end" fontSize="12" fill="#1b2430">
                  {t(`reports.weekdayShort.${d}`)}
                </text>
                {heatmap.hours.map((h, j) => {
                  const c = cell.get(`${d}:${h}`);
                  const u = c?.utilization ?? null;
                  const { fill, ink } = shade(u);
                  const value = u === null ? DASH : `${Math.round(u * 100)}%`;
                  return (
                    <g key={h}>
                      <title>{t("reports.chart.heatmap.cell", { day: t(`reports.weekday.${d}`), hour: hourLabel(h), value: fmtRate(u, lang) })}</title>
                      <rect x={LEFT + j * CELL_W} y={TOP + i * CELL_H} width={CELL_W} height={CELL_H} fill={fill} stroke="#ffffff" strokeWidth="1.5" />
                      <text x={LEFT + j * CELL_W + CELL_W / 2} y={TOP + i * CELL_H + CELL_H / 2 + 4} textAnchor="middle" fontSize="12" fill={ink}>
                        {value}
                      </text>
                    </g>
                  );
                })}
              </g>
            ))}
          </svg>
        </section>
      )}
    </ChartFigure>
  );
}
