import { describe, expect, it } from "vitest";
import { wib } from "~/scheduling/test-fixtures";
import { BOM, csvCell, csvFilename, localStamp, percent, toCsv } from "./csv";
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
