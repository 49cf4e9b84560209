/**
 * /laporan/csv?table=…&from=…&to=…&groupBy=…&bucket=…[&dialect=id] — one table of the report page
 * as a CSV file; table=detail (with machineId, typeId or ikmId) gives the drill-down's bookings.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportFile, reportFileResponse } from "~/services/reports/export.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports:view");
  return reportFileResponse(await reportFile(db(), Object.fromEntries(new URL(request.url).searchParams), user.language, now(), "csv"));
}
