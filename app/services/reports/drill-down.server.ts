
import type { DbOrTx } from "#db/connection";
import {
  type BookingLine,
  type GroupBy,
  type LineFilter,
  MAX_SPAN_MS,
  type ReportBooking,
  type ReportRow,
  type ReportUsage,
  bookingLines,
  computeReport,
} from "~/reports/metrics";
import { type Period, periodOf, presets } from "~/reports/period";
import { localDateKey } from "~/scheduling/calendar";
import { buildReport } from "./load.server";
import { loadReportData, reportCalendar } from "./raw.server";

export interface DetailParams {
  from: string;
  to: string;
  machineId?: number;
  typeId?: number;
  ikmId?: number;
}

export interface BuiltDetail {
  period: Period;
  timeZone: string;
  groupBy: GroupBy;
  /** The report's row for the machine, type or IKM (null when it has none in the period). */
  row: ReportRow | null;
  lines: BookingLine[];
  machineNames: Map<number, string>;
  ikmNames: Map<number, string>;
  label: string;
}

export async function buildDetail(database: DbOrTx, params: DetailParams, now: number): Promise<BuiltDetail> {
  const { calendar } = await reportCalendar(database);
  const period = periodOf(params.from, params.to, calendar.timeZone);
  const groupBy: GroupBy = params.machineId !== undefined ? "machine" : params.typeId !== undefined ? "type" : "ikm";
  const id = params.machineId ?? params.typeId ?? params.ikmId;
  const filter: LineFilter = { machineId: params.machineId, typeId: params.typeId, ikmId: params.ikmId };
  const [data, records] = await Promise.all([
    loadReportData(database, calendar, period, now),
    loadLineRecords(database, period, filter),
  ]);
  const report = computeReport(data, { period, groupBy, bucket: "none" });
  const row = report.rows.find((r) => r.id === id && r.kind === groupBy) ?? null;
  const machineNames = new Map(data.machines.map((m) => [m.id, `${m.code} · ${m.name}`]));
  const ikmNames = new Map(data.ikms.map((i) => [i.id, i.name]));
  const label =
    row?.label ??
    (groupBy === "machine"
      ? machineNames.get(id as number)
      : groupBy === "type"
        ? data.types.find((t) => t.id === id)?.name
        : ikmNames.get(id as number)) ??
    `#${id}`;
  const lines = bookingLines({ ...data, ...records }, period, filter, row);
  return { period, timeZone: calendar.timeZone, groupBy, row, lines, machineNames, ikmNames, label };
}

/** The bookings of one machine, type or IKM that can count in the period, with their usage. */
async function loadLineRecords(database: DbOrTx, period: Period, filter: LineFilter): Promise<{ bookings: ReportBooking[]; usage: ReportUsage[] }> {
  let q = database
    .selectFrom("bookings as b")
    .innerJoin("machines as m", "m.id", "b.machine_id")
    .leftJoin("usage_records as u", "u.booking_id", "b.id")
    .select([
      "b.id",
      "b.machine_id as machineId",
      "b.ikm_id as ikmId",
      "b.start_at as start",
      "b.end_at as end",
      "b.status",
      "b.created_at as createdAt",
      "b.cancelled_at as cancelledAt",
      "u.actual_start as usageStart",
      "u.actual_end as usageEnd",
      "u.fee",
    ])
    .where("b.start_at", ">", period.start - MAX_SPAN_MS)
    .where("b.start_at", "<", period.end);
  if (filter.machineId !== undefined) q = q.where("b.machine_id", "=", filter.machineId);
  if (filter.ikmId !== undefined) q = q.where("b.ikm_id", "=", filter.ikmId);
  if (filter.typeId !== undefined) q = q.where("m.type_id", "=", filter.typeId);
  const rows = await q.execute();
  return {
    bookings: rows.map((r) => ({ id: r.id, machineId: r.machineId, ikmId: r.ikmId, start: r.start, end: r.end, status: r.status as ReportBooking["status"], createdAt: r.createdAt, cancelledAt: r.cancelledAt })),
    usage: rows
      .filter((r) => r.usageStart !== null)
      .map((r) => ({ bookingId: r.id, machineId: r.machineId, ikmId: r.ikmId, start: r.usageStart as number, end: r.usageEnd, bookingEnd: r.end, fee: r.fee })),
  };
}


// ---------------------------------------------------------------------------------------------
// The manager's home: the report's "Bulan ini" (this whole month, cut at now), the same numbers.

export async function monthToDateService(database: DbOrTx, now: number) {
  const { calendar } = await reportCalendar(database);
  const month = presets(now, calendar.timeZone).thisMonth;
  const { report } = await buildReport(database, { ...month, groupBy: "type", bucket: "none" }, now, calendar);
  return {
    from: month.from,
    to: month.to,
    today: localDateKey(now, calendar.timeZone),
    ...report.service,
    actualUtilization: report.totals.actualUtilization,
    unmetDemandHours: report.totals.unmetDemandHours,
  };
}
