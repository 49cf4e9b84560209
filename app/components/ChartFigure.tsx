import { useId } from "react";
import { TableScroll } from "./TableScroll";
import { useI18n } from "~/i18n/react";

/** A chart's frame: title, one-line reading guide, the chart, its data as a table, its CSV. */
export function ChartFigure({
  title,
  description,
  csvHref,
  table,
  children,
  wide = false,
}: {
  title: string;
  description: string;
  csvHref?: string;
  /** The same data as an accessible table (shown on demand). */
  table: React.ReactNode;
  children: React.ReactNode;
  wide?: boolean;
}) {
  const { t } = useI18n();
  return (
    <figure className={`card chart${wide ? " chart-wide" : ""}`}>
      <figcaption>
        <h3>{title}</h3>
        <p className="small muted">{description}</p>
      </figcaption>
      {children}
      <details className="chart-table">
        <summary>{t("reports.chart.showTable")}</summary>
        <TableScroll>{table}</TableScroll>
      </details>
      {csvHref ? (
        <p className="no-print chart-csv">
          <a className="button small" href={csvHref} download>
            {t("reports.csvOf", { table: title })}
          </a>{" "}
          <a className="button small" href={xlsxHref(csvHref)} download>
            {t("reports.xlsx")}
          </a>
        </p>
      ) : null}
    </figure>
  );
}

/** An id prefix safe inside url(#…) references, the same on the server and the client. */
export function useSvgId(): string {
  return `c${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
}

/** Patterns that print in black and white: a hatch for "booked"/"waitlist". */
export function ChartPatterns({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">
        <rect width="5" height="5" fill="#ffffff" />
        <line x1="0" y1="0" x2="0" y2="5" stroke="#1d4e89" strokeWidth="2" />
      </pattern>
    </defs>
  );
}

/** A legend swatch (solid or hatched) as a tiny SVG next to its word. */
export function Swatch({ kind, label }: { kind: "solid" | "hatch"; label: string }) {
  const id = useSvgId();
  return (
    <span className="swatch">
      <svg width="18" height="12" aria-hidden="true">
        {kind === "hatch" ? <ChartPatterns id={id} /> : null}
        <rect x="0.5" y="0.5" width="17" height="11" fill={kind === "hatch" ? `url(#${id}-hatch)` : "#1b2430"} stroke="#1b2430" />
      </svg>
      {label}
    </span>
  );
}

/** The same table as an Excel workbook: /laporan/xlsx takes the CSV's query. */
export function xlsxHref(csvHref: string): string {
  return csvHref.replace("/laporan/csv?", "/laporan/xlsx?");
}
