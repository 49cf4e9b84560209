/**
 * One table of the report page as a file — CSV (standard or Indonesian dialect) or XLSX — for
 * /laporan/csv and /laporan/xlsx: the same query, the same cells; table=detail (with machineId,
 * typeId or ikmId) gives the drill-down's bookings. A bad query names each wrong field.
 */
import type { Db } from "#db/connection";
import { type Lang, hasMessage, translate } from "~/i18n";
import { type CsvTable, detailTable, reportTable, toCsv } from "~/reports/csv";
import { fieldErrors } from "~/schemas/parse";
import { ReportCsvQuery, ReportDetailQuery } from "~/schemas/reports";
import { buildDetail } from "./drill-down.server";
import { buildReport } from "./load.server";
import { XLSX_CONTENT_TYPE, toXlsx } from "./xlsx.server";

export type ReportFile = { ok: true; filename: string; contentType: string; body: string | Uint8Array<ArrayBuffer> } | { ok: false; message: string };

export async function reportFile(db: Db, query: Record<string, string>, lang: Lang, now: number, kind: "csv" | "xlsx"): Promise<ReportFile> {
  const detail = query.table === "detail";
  const parsed = detail ? ReportDetailQuery.safeParse(query) : ReportCsvQuery.safeParse(query);
  if (!parsed.success) {
    const lines = Object.entries(fieldErrors(parsed.error)).map(([field, key]) => {
      const name = hasMessage(`reports.field.${field}`) ? translate(lang, `reports.field.${field}`) : field;
      return `${name}: ${translate(lang, key)}`;
    });
    return { ok: false, message: `${lines.join("\n")}\n` };
  }
  const table = detail
    ? await buildDetail(db, parsed.data as typeof ReportDetailQuery._zod.output, now).then((d) =>
        detailTable(d.lines, { machines: d.machineNames, ikms: d.ikmNames }, d.period, d.label, lang, d.timeZone),
      )
    : reportTable((await buildReport(db, parsed.data as typeof ReportCsvQuery._zod.output, now)).report, (parsed.data as { table: string }).table as CsvTable, lang);
  if (kind === "csv") return { ok: true, filename: table.filename, contentType: "text/csv; charset=utf-8", body: toCsv(table.header, table.rows, parsed.data.dialect) };
  // The sheet is named after its table ("Ringkasan"), the file as the CSV's.
  const name = translate(lang, `reports.csv.table.${detail ? "detail" : query.table || "summary"}`);
  const sheet = name.charAt(0).toUpperCase() + name.slice(1);
  return { ok: true, filename: table.filename.replace(/\.csv$/, ".xlsx"), contentType: XLSX_CONTENT_TYPE, body: await toXlsx(sheet, table.header, table.rows) };
}

/** The file as a download, or the query's problems as plain text (400). */
export function reportFileResponse(file: ReportFile): Response {
  if (!file.ok) return new Response(file.message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(file.body, {
    headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" },
  });
}
