/**
 * Query strings of the reports: the JSON API, the report page, its CSV files and the
 * drill-down. Dates are local dates of the facility, both inclusive; a period runs forwards
 * and is at most two years long.
 */
import { z } from "zod";
import { CSV_TABLES } from "~/reports/csv";
import { MAX_PERIOD_DAYS, periodDays } from "~/reports/period";
import { Id, LocalDate } from "./common";

export const GroupByParam = z.enum(["machine", "type", "ikm"], { error: "reports.validation.groupBy" });
export const BucketParam = z.enum(["none", "week", "month"], { error: "reports.validation.bucket" });

/** to ≥ from, and at most MAX_PERIOD_DAYS days, reported on the `to` field. */
function checkPeriod(value: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (value.to < value.from) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "reports.validation.toBeforeFrom" });
  } else if (periodDays(value.from, value.to) > MAX_PERIOD_DAYS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "reports.validation.periodTooLong" });
  }
}

/** Which CSV: "standard" (`,` and `.`) or "id" (`;`, decimal comma, DD/MM/YYYY — a spreadsheet set to Indonesian). */
export const DialectParam = z
  .enum(["standard", "id"], { error: "reports.validation.dialect" })
  .default("standard")
  .meta({ description: "CSV dialect: standard (`,` between fields, decimal point) or id (`;`, decimal comma, dates DD/MM/YYYY, as Excel set to Indonesian reads them)" });

/** GET /api/v1/reports/utilization */
export const ReportApiQuery = z
  .strictObject({
    from: LocalDate,
    to: LocalDate,
    groupBy: GroupByParam.default("machine"),
    format: z.enum(["json", "csv"], { error: "reports.validation.format" }).default("json"),
    dialect: DialectParam,
  })
  .superRefine(checkPeriod);

const pageFields = {
  from: LocalDate,
  to: LocalDate,
  groupBy: GroupByParam.default("machine"),
  bucket: BucketParam.default("none"),
};

/** The report page /laporan. */
export const ReportPageQuery = z.object(pageFields).superRefine(checkPeriod);
export type ReportPageParams = z.infer<typeof ReportPageQuery>;

/** /laporan/csv: one of the page's tables. */
export const ReportCsvQuery = z
  .object({ ...pageFields, table: z.enum(CSV_TABLES as [string, ...string[]], { error: "reports.validation.table" }).default("summary"), dialect: DialectParam })
  .superRefine(checkPeriod);

/** /laporan/rincian: the bookings behind one machine, type or IKM. */
export const ReportDetailQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    machineId: Id.optional(),
    typeId: Id.optional(),
    ikmId: Id.optional(),
    page: z.coerce.number({ error: "reports.validation.page" }).int("reports.validation.page").positive("reports.validation.page").max(100_000, "reports.validation.page").default(1),
    format: z.enum(["html", "csv"], { error: "reports.validation.format" }).default("html"),
    dialect: DialectParam,
  })
  .superRefine((value, ctx) => {
    checkPeriod(value, ctx);
    const targets = [value.machineId, value.typeId, value.ikmId].filter((v) => v !== undefined);
    if (targets.length !== 1) ctx.addIssue({ code: "custom", path: ["machineId"], message: "reports.validation.target" });
  });
export type ReportDetailParams = z.infer<typeof ReportDetailQuery>;
