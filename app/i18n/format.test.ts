import { describe, expect, it } from "vitest";
import { formatDateLong, formatDateShort, formatRupiah, formatTime, formatTimeRange } from "./format";
import { missingTranslations, translate } from "./index";

const TZ = "Asia/Jakarta";
// Thursday 24 December 2026, 10:00 WIB = 03:00 UTC
const at10 = Date.UTC(2026, 11, 24, 3, 0);

describe("Indonesian formats", () => {
  it("writes the long date with the Indonesian weekday and month", () => {
    expect(formatDateLong(at10, "id", TZ)).toBe("Kamis, 24 Desember 2026");
  });
  it("writes the short date as dd/mm/yyyy", () => {
    expect(formatDateShort(at10, "id", TZ)).toBe("24/12/2026");
  });
  it("writes times with a dot in the facility zone", () => {
    expect(formatTime(at10, "id", TZ)).toBe("10.00");
    expect(formatTime(at10, "en", TZ)).toBe("10:00");
  });
  it("writes a range with an en dash and WIB", () => {
    expect(formatTimeRange(Date.UTC(2026, 11, 24, 1, 0), at10, "id", TZ)).toBe("08.00–10.00 WIB");
  });
  it("a time just after midnight WIB is still the next local day", () => {
    // 17:30 UTC on 23 Dec = 00:30 WIB on 24 Dec
    expect(formatDateShort(Date.UTC(2026, 11, 23, 17, 30), "id", TZ)).toBe("24/12/2026");
  });
  it("writes rupiah without decimals, with dots", () => {
    expect(formatRupiah(150000)).toBe("Rp150.000");
    expect(formatRupiah(1234567)).toBe("Rp1.234.567");
    expect(formatRupiah(0)).toBe("Rp0");
  });
});

describe("messages", () => {
  it("every key exists in both languages", () => {
    expect(missingTranslations()).toEqual([]);
  });
  it("fills placeholders", () => {
    expect(translate("id", "home.hello", { name: "Budi" })).toBe("Halo, Budi");
    expect(translate("en", "home.hello", { name: "Budi" })).toBe("Hello, Budi");
  });
});
