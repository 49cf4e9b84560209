import { ChartPatterns, useSvgId } from "./ChartFigure";

export interface BarItem {
  key: string;
  label: string;
  /** Stacked parts, drawn left to right: solid (black) or hatched. */
  segments: { value: number; kind: "solid" | "hatch" }[];
  /** The value written after the bar, e.g. "12,5 jam" or "Rp1.250.000". */
  valueLabel: string;
}

// One unit is about one pixel on a 360 px phone (the figure is ~320 px wide there): 13-unit text
// stays at least 12 px on the screen; wider screens scale it up.
const W = 320;
const ROW = 42;
const FONT = 13;
const VALUE_SPACE = 100;
const INK = "#1b2430";
const BRAND = "#1d4e89";

/**
 * Horizontal bars with the name above each bar and the value after it, so long IKM names are
 * never cut and the figure reads on paper without colour.
 */
export function ChartBars({ items, label }: { items: BarItem[]; label: string }) {
  const id = useSvgId();
  const max = Math.max(0, ...items.map((i) => i.segments.reduce((s, g) => s + g.value, 0)));
  const scale = (v: number) => (max > 0 ? (v / max) * (W - VALUE_SPACE) : 0);
  const height = items.length * ROW + 4;
  return (
    <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label} className="chart-svg bars">
      <ChartPatterns id={id} />
      {items.map((item, i) => {
        const top = i * ROW;
        let x = 0;
        const total = item.segments.reduce((s, g) => s + g.value, 0);
        return (
          <g key={item.key}>
            <title>{`${item.label}: ${item.valueLabel}`}</title>
            <text x={0} y={top + 14} fontSize={FONT} fill={INK}>
              {item.label}
            </text>
            {item.segments.map((g, j) => {
              const w = scale(g.value);
              const rect =
                w > 0 ? (
                  <rect
                    key={j}
                    x={x}
                    y={top + 19}
                    width={w}
                    height={14}
                    fill={g.kind === "hatch" ? `url(#${id}-hatch)` : INK}
                    stroke={g.kind === "hatch" ? BRAND : INK}
                    strokeWidth="0.8"
                  />
                ) : null;
              x += w;
              return rect;
            })}
            <text x={scale(total) + 6} y={top + 31} fontSize={FONT} fill={INK} fontWeight="600">
              {item.valueLabel}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
