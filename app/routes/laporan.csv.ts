/**
 * /laporan/csv?table=…&from=…&to=…&groupBy=…&bucket=… — one table of the report page as a CSV
 * file; table=detail (with machineId, typeId or ikmId) gives the drill-down's bookings.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { type Lang, hasMessage, translate } from "~/i18n";
import type { CsvTable } from "~/reports/csv";
import { fieldErrors } from "~/schemas/parse";
import { ReportCsvQuery, ReportDetailQuery } from "~/schemas/reports";
import { buildDetail, detailTableCsv } from "~/services/reports/drill-down.server";
import { buildReport, reportTableCsv } from "~/services/reports/load.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

function csvResponse(csv: { filename: string; body: string }): Response {
  return new Response(csv.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csv.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

function invalid(error: z.ZodError, lang: Lang): Response {
  const lines = Object.entries(fieldErrors(error)).map(([field, key]) => {
    const name = hasMessage(`reports.field.${field}`) ? translate(lang, `reports.field.${field}`) : field;
    return `${name}: ${translate(lang, key)}`;
  });
  return new Response(`${lines.join("\n")}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports:view");
  const lang = user.language;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  if (query.table === "detail") {
    const parsed = ReportDetailQuery.safeParse(query);
    if (!parsed.success) return invalid(parsed.error, lang);
    const detail = await buildDetail(db(), parsed.data, now());
    return csvResponse(detailTableCsv(detail, lang, parsed.data.dialect));
  }
  const parsed = ReportCsvQuery.safeParse(query);
  if (!parsed.success) return invalid(parsed.error, lang);
  const { report } = await buildReport(db(), parsed.data, now());
  return csvResponse(reportTableCsv(report, parsed.data.table as CsvTable, lang, parsed.data.dialect));
}
