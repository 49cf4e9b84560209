/** Every message the report pages ask for exists, in Indonesian and English. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasMessage, translate } from "~/i18n";
import { METRIC_COLUMNS } from "~/components/ReportTable";
import { CSV_TABLES } from "./csv";
import { PRESET_KEYS } from "./period";

const FILES = [
  "app/routes/laporan._index.tsx",
  "app/routes/laporan.rincian.tsx",
  "app/routes/laporan.csv.ts",
  "app/components/ReportTable.tsx",
  "app/components/ChartFigure.tsx",
  "app/components/ChartUtilization.tsx",
  "app/components/ChartHeatmap.tsx",
  "app/reports/csv.ts",
];

describe("report messages", () => {
  it("every literal key used by the report pages exists", () => {
    const keys = new Set<string>();
    for (const file of FILES) {
      const source = fs.readFileSync(path.resolve(file), "utf8");
      // Full keys only (csv.ts also has a t() that prefixes "reports.csv."; those are checked below).
      for (const m of source.matchAll(/\bt\(\s*"([a-zA-Z0-9_]+\.[a-zA-Z0-9_.]+)"/g)) keys.add(m[1]);
      for (const m of source.matchAll(/translate\(\s*lang,\s*"([a-zA-Z0-9_.]+)"/g)) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(40);
    expect([...keys].filter((k) => !hasMessage(k))).toEqual([]);
  });

  it("every key built from a name exists", () => {
    const keys = [
      ...METRIC_COLUMNS.flatMap((c) => [`reports.col.${c}`, `reports.def.${c}`]),
      ...PRESET_KEYS.map((p) => `reports.preset.${p}`),
      ...["machine", "type", "ikm"].flatMap((g) => [`reports.groupBy.${g}`, `reports.table.${g}`]),
      ...["none", "week", "month"].map((b) => `reports.bucket.${b}`),
      "reports.table.week",
      "reports.table.month",
      "reports.chart.utilization.week",
      "reports.chart.utilization.month",
      ...[1, 2, 3, 4, 5, 6, 7].flatMap((d) => [`reports.weekday.${d}`, `reports.weekdayShort.${d}`]),
      ...["from", "to", "groupBy", "bucket", "machineId", "page", "table"].map((f) => `reports.field.${f}`),
      ...[...CSV_TABLES, "detail"].map((t) => `reports.csv.table.${t}`),
      ...[
        "available",
        "availableToDate",
        "booked",
        "bookedAhead",
        "asOf",
        "used",
        "bookedUtilization",
        "actualUtilization",
        "noShowRate",
        "lateCancellationRate",
        "unmet",
        "unmetRefused",
        "unmetWaitlist",
        "fees",
        "bookings",
        "completed",
        "noShows",
        "lateCancellations",
        "bookingsServed",
      ].map((k) => `reports.csv.${k}`),
    ];
    expect(keys.filter((k) => !hasMessage(k))).toEqual([]);
  });

  it("the definitions read as one line each, in both languages", () => {
    for (const c of METRIC_COLUMNS) {
      for (const lang of ["id", "en"] as const) {
        const text = translate(lang, `reports.def.${c}`);
        expect(text, `${lang} ${c}`).not.toContain("\n");
        expect(text.length, `${lang} ${c}`).toBeLessThan(220);
      }
    }
  });
});
