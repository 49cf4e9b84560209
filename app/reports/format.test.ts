import { describe, expect, it } from "vitest";
import { translate } from "~/i18n";
import { bucketCoverage, bucketNote, fmtHours, fmtMinutes, fmtSpan, minutesAddingUp, presetSpan } from "./format";

const t = (key: string, params?: Record<string, string | number>) => translate("id", key, params);

describe("hours as hours and minutes, the same on every page", () => {
  it("writes 934.45 h as 934 j 27 m, groups thousands, leaves out a zero part", () => {
    expect(fmtHours(934.45, "id")).toBe("934 j 27 m");
    expect(fmtHours(1849.5, "id")).toBe("1.849 j 30 m");
    expect(fmtHours(12, "id")).toBe("12 j");
    expect(fmtHours(0.75, "id")).toBe("45 m");
    expect(fmtHours(0, "id")).toBe("0 j");
    expect(fmtHours(null, "id")).toBe("–");
    expect(fmtHours(2.5, "en")).toBe("2 h 30 m");
    expect(fmtMinutes(59.6, "id")).toBe("1 j");
  });

  it("minutes of a column add up to its total's minutes, each within one minute of its own rounding", () => {
    // 0.34 + 0.33 + 0.33 h = 1 h: 20.4 + 19.8 + 19.8 minutes.
    expect(minutesAddingUp([0.34, 0.33, 0.33], 1)).toEqual([20, 20, 20]);
    // 0.17 + 0.17 + 0.16 h = 0.5 h: 10.2 + 10.2 + 9.6 → 10 + 10 + 10.
    expect(minutesAddingUp([0.17, 0.17, 0.16], 0.5)).toEqual([10, 10, 10]);
    // 1.01 h three times = 3.03 h = 181.8 min → 182: one row gets the extra minute.
    expect(minutesAddingUp([1.01, 1.01, 1.01], 3.03)).toEqual([61, 61, 60]);
    // IKM rows have no available hours; the facility's total is not their sum: rows left as they are.
    expect(minutesAddingUp([null, null], 59)).toEqual([null, null]);
    expect(minutesAddingUp([1, 2], 10)).toEqual([60, 120]);
  });
});

describe("spans and partial weeks or months", () => {
  it("names a span of dates briefly", () => {
    expect(fmtSpan("2026-12-01", "2026-12-07", "id")).toBe("1–7 Des");
    expect(fmtSpan("2026-11-30", "2026-12-06", "id")).toBe("30 Nov – 6 Des");
    expect(fmtSpan("2025-12-29", "2026-01-04", "id")).toBe("29 Des 2025 – 4 Jan 2026");
    expect(fmtSpan("2026-12-07", "2026-12-07", "id")).toBe("7 Des");
  });

  it("a quick choice that contains today names the part up to today", () => {
    expect(presetSpan({ from: "2026-12-01", to: "2026-12-31" }, "2026-12-05", "id", t)).toBe("1–5 Des s.d. hari ini");
    expect(presetSpan({ from: "2026-11-01", to: "2026-11-30" }, "2026-12-05", "id", t)).toBe("1–30 Nov");
  });

  it("a week or month cut by the period's edge is partial, with its days; one in progress or ahead says so", () => {
    expect(bucketCoverage({ from: "2026-12-01", to: "2026-12-06" }, "week")).toEqual({ days: 6, partial: true });
    expect(bucketCoverage({ from: "2026-12-07", to: "2026-12-13" }, "week")).toEqual({ days: 7, partial: false });
    expect(bucketCoverage({ from: "2028-02-01", to: "2028-02-29" }, "month")).toEqual({ days: 29, partial: false });
    expect(bucketNote({ from: "2026-12-01", to: "2026-12-06" }, "week", "2026-12-05", "id", t)).toBe("sebagian, 6 hari · berjalan: s.d. hari ini");
    expect(bucketNote({ from: "2026-12-01", to: "2026-12-05" }, "month", "2026-12-09", "id", t)).toBe("sebagian: 1–5 Des, 5 hari");
    expect(bucketNote({ from: "2026-12-07", to: "2026-12-13" }, "week", "2026-12-05", "id", t)).toBe("belum terjadi");
    expect(bucketNote({ from: "2026-11-23", to: "2026-11-29" }, "week", "2026-12-05", "id", t)).toBeUndefined();
  });
});
