/** /laporan/xlsx?… — the same tables as /laporan/csv, as Excel workbooks (numbers, percentages and dates typed). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportFile, reportFileResponse } from "~/services/reports/export.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports:view");
  return reportFileResponse(await reportFile(db(), Object.fromEntries(new URL(request.url).searchParams), user.language, now(), "xlsx"));
}
