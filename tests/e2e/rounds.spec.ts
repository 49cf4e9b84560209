import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { PASSWORD, login, logout, shot, visit } from "./helpers";

/** A free stretch of CUT-01 next week (7–13 December 2026), from the API, as WIB date and times. */
async function freeSlot(request: APIRequestContext): Promise<{ machineId: number; date: string; start: string; end: string; half: string }> {
  const session = await request.post("/api/v1/session", { data: { login: "ikm1@giliran.test", password: PASSWORD } });
  const { token } = await session.json();
  const headers = { Authorization: `Bearer ${token}` };
  const machines = (await (await request.get("/api/v1/machines", { headers })).json()).machines;
  const cut = machines.find((m: any) => m.code === "CUT-01");
  const q = `from=${encodeURIComponent("2026-12-07T00:00:00+07:00")}&to=${encodeURIComponent("2026-12-12T00:00:00+07:00")}`;
  const free = (await (await request.get(`/api/v1/machines/${cut.id}/availability?${q}`, { headers })).json()).free;
  const piece = free.find((f: any) => Date.parse(f.end) - Date.parse(f.start) >= 2 * 3_600_000);
  const wib = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString();
  const start = Date.parse(piece.start);
  return {
    machineId: cut.id,
    date: wib(start).slice(0, 10),
    start: wib(start).slice(11, 16),
    end: wib(start + 2 * 3_600_000).slice(11, 16),
    half: wib(start + 3_600_000).slice(11, 16),
  };
}

async function ask(page: Page, date: string, start: string, end: string, purpose: string) {
  const form = page.locator("form.round-form").first();
  await form.getByLabel("Tanggal").selectOption(date);
  await form.getByLabel("Mulai").selectOption(start);
  await form.getByLabel("Selesai").selectOption(end);
  await form.getByLabel("Keperluan").fill(purpose);
  await form.getByRole("button", { name: "Kirim permintaan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Permintaan terkirim" })).toBeVisible();
}

test("an IKM asks for next week on CUT-01, the manager allocates, the IKM sees what it got and why", async ({ page, request }) => {
  const slot = await freeSlot(request);

  // The IKM member: next week's round is open until Thursday 12.00; two requests (the second overlaps the first).
  await login(page, "ikm1@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await page.getByRole("link", { name: "Putaran alokasi" }).click();
  await expect(page).toHaveURL(/\/putaran$/);
  const card = page.locator("section.round-card").filter({ hasText: "Minggu Senin, 7 Desember 2026" });
  await expect(card).toContainText("Batas permintaan: Kamis, 3 Desember 2026 12.00 WIB");
  await shot(page, "rounds-ikm-open");
  await ask(page, slot.date, slot.start, slot.end, "Potong plat 2 mm untuk flange");
  await ask(page, slot.date, slot.half, slot.end, "Cadangan: satu jam saja");
  await expect(card.locator(".round-requests > li")).toHaveCount(2);
  await expect(card).toContainText("Menunggu pembagian");
  await shot(page, "rounds-ikm-requested");
  const roundLink = await card.getByRole("link").first().getAttribute("href");
  await logout(page);

  // The manager runs the allocation now (before the cut-off, which the page says).
  await login(page, "manajer@giliran.test");
  await expect(page).toHaveURL(/\/manajer$/);
  await page.getByRole("link", { name: "Putaran alokasi" }).click();
  await shot(page, "rounds-manager-list");
  await page.locator("section.round-card").filter({ hasText: "Minggu Senin, 7 Desember 2026" }).getByRole("link", { name: "Lihat rincian" }).click();
  await expect(page.getByText("Batas waktu belum lewat")).toBeVisible();
  await shot(page, "rounds-manager-before");
  await page.getByLabel("Benih undian (boleh dikosongkan)").fill("e2e-putaran");
  await page.getByRole("button", { name: "Jalankan alokasi sekarang" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Alokasi selesai" })).toBeVisible();
  await expect(page.getByText("Benih undian: e2e-putaran")).toBeVisible();
  await page.getByRole("button", { name: "Periksa ulang hasil" }).click();
  await expect(page.getByText("hasilnya sama persis dengan yang diumumkan")).toBeVisible();
  await shot(page, "rounds-manager-after");

  // The demo round (seeded with 8 competing requests from 5 IKMs, plus ikm1's 2): just allocated.
  await page.getByRole("link", { name: "Semua putaran" }).click();
  await page.locator("section.round-card").filter({ hasText: "Minggu Senin, 7 Desember 2026" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/putaran\/\d+$/);
  await expect(page.getByText("10 permintaan dari 6 IKM.")).toBeVisible();
  // It is the round the manager allocated above: no second run is offered.
  await expect(page.getByRole("button", { name: "Jalankan alokasi sekarang" })).toHaveCount(0);
  await expect(page.locator(".round-head .status")).toHaveText("✓ Sudah dibagi");
  await expect(page.getByRole("heading", { name: "Urutan IKM dan alasannya" })).toBeVisible();
  await expect(page.locator("table.round-table tbody tr")).toHaveCount(10);
  await shot(page, "rounds-manager-demo-round");
  await page.locator("section.card").filter({ hasText: "Urutan IKM dan alasannya" }).screenshot({ path: "test-results/screens/rounds-manager-demo-order.png" });
  await page.locator("table.round-table tbody tr").nth(3).screenshot({ path: "test-results/screens/rounds-manager-demo-row.png" });
  await logout(page);

  // The IKM member sees the published result: one of its two overlapping requests at most, and why.
  await login(page, "ikm1@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/putaran");
  const result = page.locator("section.round-card").filter({ hasText: "Minggu Senin, 7 Desember 2026" });
  await expect(result.getByText(/Tidak diberikan: /).first()).toBeVisible();
  await expect(result.getByText(/Urutan IKM Anda: \d+ dari \d+/).first()).toBeVisible();
  await expect(result.getByRole("link", { name: "Masuk daftar tunggu untuk waktu ini" }).first()).toHaveAttribute("href", new RegExp(`^/daftar-tunggu\\?machine=${slot.machineId}&start=`));
  await shot(page, "rounds-ikm-result");
  expect(roundLink).toMatch(/^\/putaran\/\d+$/);
  await visit(page, roundLink as string);
  await expect(page.getByRole("heading", { name: "Urutan IKM dan alasannya" })).toBeVisible();
  await expect(page.locator("tr.you")).toHaveCount(1);
  await shot(page, "rounds-ikm-detail");

  // A 360 px phone: nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 780 });
  for (const path of ["/putaran", roundLink as string]) {
    await visit(page, path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  }
  await shot(page, "rounds-ikm-detail-360");
});
