/**
 * The report tables as Excel workbooks (exceljs): one sheet, the header row frozen, numbers as
 * numbers — rates as percentages, hours with one decimal, rupiah with thousands — and local dates
 * as dates, so a spreadsheet in any language reads them without a wizard (a CSV depends on the
 * reader's list separator and decimal sign). The cells are the CSV's (reportTable, detailTable);
 * a column's kind comes from its header's unit: "(%)", "(Rp)", hours ("Jam …", "… (jam)").
 */
import ExcelJS from "exceljs";
import { type Cell, LOCAL_DATE } from "~/reports/csv";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

type Kind = "percent" | "rupiah" | "hours" | "plain";

function kindOf(header: string): Kind {
  if (/\(%\)/.test(header)) return "percent";
  if (/\(Rp\)/.test(header)) return "rupiah";
  if (/^jam\b|\(jam\)|\bhours?\b/i.test(header)) return "hours";
  return "plain";
}

const FORMAT: Record<Kind, string | undefined> = { percent: "0.00%", rupiah: "#,##0", hours: "0.0", plain: undefined };

/** A workbook of one table; dates are written as the facility's wall-clock time (no zone in Excel). */
export async function toXlsx(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Giliran";
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Laporan", { views: [{ state: "frozen", ySplit: 1 }] });
  const kinds = header.map(kindOf);
  const headerRow = sheet.addRow([...header]);
  headerRow.font = { bold: true };
  for (const cells of rows) {
    const row = sheet.addRow(
      cells.map((c, i) => {
        if (c === null || c === undefined || c === "") return null;
        if (typeof c === "number") return kinds[i] === "percent" ? c / 100 : c;
        const date = LOCAL_DATE.exec(c);
        if (date) return new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(date[4] ?? 0), Number(date[5] ?? 0)));
        return c;
      }),
    );
    row.eachCell((cell, col) => {
      const format = FORMAT[kinds[col - 1]];
      if (typeof cell.value === "number" && format) cell.numFmt = format;
      if (cell.value instanceof Date) cell.numFmt = LOCAL_DATE.exec(String(cells[col - 1]))?.[4] ? "dd/mm/yyyy hh:mm" : "dd/mm/yyyy";
    });
  }
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(40, Math.max(10, (header[i] ?? "").length + 2));
  });
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
