/**
 * GET /api/v1/reports/utilization?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=machine|type|ikm[&format=csv[&dialect=id]]
 * Both dates inclusive, facility time. Managers and admins only.
 */
import { ReportApiQuery } from "~/schemas/reports";
import { buildReport, reportApiCsv, reportJson } from "~/services/reports/load.server";
import { apiPermission, apiRoute, json, parseWith, queryObject } from "~/utils/api.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

const route = apiRoute({
  async GET({ request }) {
    const user = await apiPermission(request, "reports:view");
    const q = parseWith(ReportApiQuery, queryObject(request));
    const { report } = await buildReport(db(), { from: q.from, to: q.to, groupBy: q.groupBy, bucket: "none" }, now());
    if (q.format === "csv") {
      const csv = reportApiCsv(report, user.language, q.dialect);
      return new Response(csv.body, {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${csv.filename}"`,
          "Cache-Control": "private, no-store",
        },
      });
    }
    return json(reportJson(report, user.language), 200, { "Cache-Control": "private, no-store" });
  },
});

export const loader = route.loader;
export const action = route.action;
