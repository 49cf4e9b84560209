/**
 * The head of unit prepares a report: opens /laporan (last month by default), changes the period
 * and the grouping, downloads the table as CSV and finds the page's totals in it, opens the
 * bookings behind a row, and prints. Reports are read at a desk: a desktop viewport.
 */
import fs from "node:fs";
import { type Locator, type Page, expect, test } from "@playwright/test";
import { login, shot, visit } from "./helpers";
import { parseCsv } from "../support/csv";

test.use({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });

/** "1.234,5" (Indonesian) → 1234.5; "Rp1.250.000" → 1250000. */
function idNumber(text: string): number {
  return Number(text.replace(/Rp|\s|%/g, "").replace(/\./g, "").replace(",", "."));
}

/** Hours as the pages show them, "1.849 j 30 m", "45 m" or "12 j", in minutes. */
function idMinutes(text: string): number {
  const m = /^(?:([\d.]+) j)?\s*(?:(\d+) m)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new Error(`not hours and minutes: "${text}"`);
  return Number((m[1] ?? "0").replace(/\./g, "")) * 60 + Number(m[2] ?? 0);
}


async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? "";
}

async function totalCell(page: Page, col: string): Promise<number> {
  return idNumber(await text(page.getByTestId("report-table-total").locator(`[data-col="${col}"]`)));
}

async function totalMinutes(page: Page, col: string): Promise<number> {
  return idMinutes(await text(page.getByTestId("report-table-total").locator(`[data-col="${col}"]`)));
}

test("the manager changes the period, downloads a CSV whose totals match the page, drills down and prints", async ({ page }) => {
  await login(page, "manajer@giliran.test");
  await expect(page).toHaveURL(/\/manajer$/);
  await page.getByRole("link", { name: "Buka laporan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Laporan pemanfaatan mesin");
  // "Bulan ini", the whole month, as the manager's home showed it; it says where its figures stop.
  await expect(page.getByTestId("report-period")).toHaveText("1 Desember 2026 – 31 Desember 2026");
  await expect(page.getByRole("link", { name: "Bulan ini 1 Des s.d. hari ini" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("report-asof")).toContainText("Selasa, 1 Desember 2026 09.00 WIB");

  // Last month, the default of /laporan, from the quick choices.
  await page.getByRole("link", { name: "Bulan lalu" }).click();
  await expect(page.getByTestId("report-period")).toHaveText("1 November 2026 – 30 November 2026");
  await expect(page.getByRole("link", { name: "Bulan lalu" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("heading", { name: "Per mesin", exact: true })).toBeVisible();
  await shot(page, "reports-machine-november");

  // Two months per machine type, per month.
  await page.getByLabel("Dari tanggal").fill("2026-10-01");
  await page.getByLabel("Sampai tanggal").fill("2026-11-30");
  await page.getByLabel("Kelompokkan per").selectOption("type");
  await page.getByLabel("Rincian waktu").selectOption("month");
  await page.getByRole("button", { name: "Tampilkan" }).click();
  await expect(page).toHaveURL(/from=2026-10-01&to=2026-11-30&groupBy=type&bucket=month/);
  await expect(page.getByTestId("report-period")).toHaveText("1 Oktober 2026 – 30 November 2026");
  await expect(page.getByRole("heading", { name: "Per jenis mesin", exact: true })).toBeVisible();
  await expect(page.getByTestId("bucket-table").getByRole("rowheader", { name: "Oktober 2026" })).toBeVisible();
  await shot(page, "reports-type-by-month");

  // The page's totals…
  const onPage = {
    available: await totalMinutes(page, "available"),
    booked: await totalMinutes(page, "booked"),
    used: await totalMinutes(page, "used"),
    unmet: await totalMinutes(page, "unmet"),
    fees: await totalCell(page, "fees"),
  };
  expect(onPage.booked).toBeGreaterThan(0);
  expect(onPage.fees).toBeGreaterThan(0);

  // …are the CSV's.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-summary").click()]);
  expect(download.suggestedFilename()).toBe("laporan-ringkasan-2026-10-01_2026-11-30-jenis-mesin.csv");
  const raw = fs.readFileSync((await download.path()) as string);
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parseCsv(raw.toString("utf8").slice(1));
  const header = rows[0];
  const total = rows[rows.length - 1];
  expect(total[0]).toBe("Total");
  const csv = (name: string) => Number(total[header.indexOf(name)]);
  // The CSV keeps decimal hours for other programs; the page shows the same hours to the minute.
  const minutes = (name: string) => Math.round(csv(name) * 60);
  expect(minutes("Jam tersedia")).toBe(onPage.available);
  expect(minutes("Jam terpesan")).toBe(onPage.booked);
  expect(minutes("Jam dipakai")).toBe(onPage.used);
  expect(minutes("Permintaan tak terlayani (jam)")).toBe(onPage.unmet);
  expect(csv("Retribusi (Rp)")).toBe(onPage.fees);
  // The CSV's rows add up to its total line.
  const sum = rows.slice(1, -1).reduce((s, r) => s + Number(r[header.indexOf("Jam terpesan")]), 0);
  expect(Math.round(sum * 100) / 100).toBeCloseTo(csv("Jam terpesan"), 2);

  // The charts are there, with words, and their data as tables.
  await expect(page.getByRole("heading", { name: "Tingkat pemanfaatan per jenis mesin, per bulan" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pemakaian aktual menurut hari dan jam" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "IKM dengan jam pemakaian terbanyak" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Permintaan tak terlayani per jenis mesin (jam)" })).toBeVisible();
  await page.getByText("Lihat sebagai tabel").first().click();
  await expect(page.locator("details.chart-table[open] table").first()).toBeVisible();
  await page.locator(".charts").scrollIntoViewIfNeeded();
  await shot(page, "reports-charts");

  // The bookings behind a machine type's numbers.
  const firstType = page.getByTestId("report-table").locator("tbody th a").first();
  const typeName = (await text(firstType)).trim();
  const typeBooked = idMinutes(await text(page.getByTestId("report-table").locator("tbody tr").first().locator('[data-col="booked"]')));
  await firstType.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rincian pemesanan");
  await expect(page.getByText(typeName, { exact: true }).first()).toBeVisible();
  // The same hundredths of an hour; to the minute, a table row may be nudged by one so its column adds up.
  expect(Math.abs(idMinutes(await text(page.getByTestId("detail-sum").locator('[data-col="booked"]'))) - typeBooked)).toBeLessThanOrEqual(1);
  await shot(page, "reports-detail");

  // Printing: black and white, no menus or buttons.
  await visit(page, "/laporan?from=2026-11-01&to=2026-11-30&groupBy=machine&bucket=week");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Tampilkan" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Cetak" })).toBeHidden();
  await shot(page, "reports-print");
  await page.emulateMedia({ media: "screen" });
});

test("a wrong period is explained and nothing breaks", async ({ page }) => {
  await login(page, "manajer@giliran.test");
  await expect(page).toHaveURL(/\/manajer$/);
  const res = await page.goto("/laporan?from=2026-11-30&to=2026-11-01");
  expect(res?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Sampai tanggal: harus sama dengan atau sesudah tanggal awal");
  await expect(page.getByLabel("Sampai tanggal")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "reports-error");
});

test("on a phone the report still reads: the table scrolls with its names fixed, the figures stack, chart labels are 12 px or more", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await login(page, "manajer@giliran.test");
  await expect(page).toHaveURL(/\/manajer$/);
  await visit(page, "/laporan?from=2026-11-01&to=2026-11-30&groupBy=ikm");
  await expect(page.getByRole("heading", { name: "Per IKM", exact: true })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await shot(page, "reports-phone");
  // The names stay in view while the figures scroll sideways.
  const wrap = page.locator(".report-table-wrap").first();
  const firstName = wrap.locator("tbody th[scope=row]").first();
  const before = await firstName.boundingBox();
  await wrap.evaluate((el) => {
    el.scrollLeft = 400;
  });
  expect(await wrap.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
  const after = await firstName.boundingBox();
  expect(after?.x).toBeCloseTo(before?.x ?? -1, 0);
  await wrap.scrollIntoViewIfNeeded();
  await shot(page, "reports-phone-table-scrolled", { inView: true });
  // Every chart label is at least 12 px on the screen.
  const sizes = await page.locator("svg.chart-svg text").evaluateAll((texts) =>
    texts.map((el) => {
      const t = el as SVGTextElement;
      return { text: t.textContent, px: Number.parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0) };
    }),
  );
  expect(sizes.length).toBeGreaterThan(10);
  const small = sizes.filter((s) => s.px < 12);
  expect(small, JSON.stringify(small.slice(0, 5))).toEqual([]);
  await page.locator("svg.chart-svg").first().scrollIntoViewIfNeeded();
  await shot(page, "reports-phone-chart", { inView: true });
  // The files as a person downloads them, kept to open in a spreadsheet (test-results/files/).
  fs.mkdirSync("test-results/files", { recursive: true });
  for (const [query, name] of [
    ["csv?from=2026-11-01&to=2026-11-30&groupBy=ikm&table=summary&dialect=id", "laporan-ringkasan-id.csv"],
    ["xlsx?from=2026-11-01&to=2026-11-30&groupBy=ikm&table=summary", "laporan-ringkasan.xlsx"],
  ]) {
    const res = await page.request.get(`/laporan/${query}`);
    expect(res.status(), name).toBe(200);
    fs.writeFileSync(`test-results/files/${name}`, await res.body());
  }
});
