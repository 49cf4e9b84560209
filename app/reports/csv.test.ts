import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { wib } from "~/scheduling/test-fixtures";
import { BOM, csvCell, csvDialect, csvFilename, localStamp, percent, toCsv } from "./csv";
import { periodOf } from "./period";
import { parseCsv } from "../../tests/support/csv";


describe("CSV", () => {
  it("starts with a byte-order mark, ends lines with CRLF, uses a decimal point", () => {
    const body = toCsv(["Mesin", "Jam"], [["CNC-01", 12.5], ["PLT-01", 0]]);
    expect(body.startsWith(BOM)).toBe(true);
    expect(body.slice(1)).toBe("Mesin,Jam\r\nCNC-01,12.5\r\nPLT-01,0\r\n");
  });

  it("quotes commas, quotes and line breaks, and reads back the same", () => {
    const tricky = ['UD "Sinar", Jaya', "baris\r\nkedua", "Knalpot Ngabèhi"];
    const body = toCsv(["a", "b", "c"], [tricky]);
    expect(parseCsv(body.slice(1))).toEqual([["a", "b", "c"], tricky]);
  });

  it("defuses text a spreadsheet would run as a formula, not numbers", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-bengkel")).toBe("'-bengkel");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
  });

  it("percentages with two decimals, empty when there is no rate", () => {
    expect(percent(0.4444)).toBe(44.44);
    expect(percent(1)).toBe(100);
    expect(percent(null)).toBe(null);
  });

  it("local time stamps and file names", () => {
    expect(localStamp(wib("2026-12-21 00:30"), "Asia/Jakarta")).toBe("2026-12-21 00:30");
    expect(csvFilename("ringkasan", periodOf("2026-11-01", "2026-11-30", "Asia/Jakarta"), "type", "id")).toBe(
      "laporan-ringkasan-2026-11-01_2026-11-30-jenis-mesin.csv",
    );
  });
});

describe("the Indonesian CSV dialect (issue 29)", () => {
  it("writes ';' between fields, a decimal comma and DD/MM/YYYY dates; csv-parse reads it back cell by cell", () => {
    const rows = [
      ["Las TIG; MIG", 0.036, 12.5, "2026-12-21 08:00", "2026-12-21", 1250000],
      ["=SUM(A1)", 343, null, "teks", "", -0.5],
    ];
    const body = toCsv(["nama", "rasio", "jam", "sampai", "tanggal", "retribusi"], rows, "id");
    const read: string[][] = parse(body, { delimiter: ";", bom: true });
    expect(read).toEqual([
      ["nama", "rasio", "jam", "sampai", "tanggal", "retribusi"],
      ["Las TIG; MIG", "0,036", "12,5", "21/12/2026 08:00", "21/12/2026", "1250000"],
      ["'=SUM(A1)", "343", "", "teks", "", "-0,5"],
    ]);
    // The standard dialect is unchanged: ',' and a decimal point.
    expect(parse(toCsv(["a", "b"], [[0.036, "2026-12-21"]]), { bom: true })).toEqual([["a", "b"], ["0.036", "2026-12-21"]]);
    expect(csvDialect("id")).toBe("id");
    expect(csvDialect("excel")).toBe("standard");
  });
});
