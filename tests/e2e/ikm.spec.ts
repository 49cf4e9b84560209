import { type Locator, type Page, expect, test } from "@playwright/test";
import { login, shot, visit, logout } from "./helpers";

/**
 * The IKM member on a phone: from login to a confirmed booking through the board (taps and
 * seconds measured and printed), a refused time with its reasons and a one-tap alternative,
 * my bookings, cancel, and every page's screenshot under test-results/screens/ikm-*.png.
 */

class Taps {
  n = 0;
  async tap(target: Locator) {
    this.n += 1;
    await target.click();
  }
}

/** A machine row of the day board by its code. */
function boardRow(page: Page, code: string): Locator {
  return page.locator(".board-row").filter({ has: page.locator("strong", { hasText: new RegExp(`^${code}$`) }) });
}

test("ikm2 books a free slot from the board in a few taps and sees it in my bookings", async ({ page }) => {
  const taps = new Taps();
  const started = Date.now();
  await visit(page, "/login");
  await page.getByLabel("Email atau nomor HP").fill("ikm2@giliran.test");
  await page.getByLabel("Kata sandi").fill("giliran-demo");
  await taps.tap(page.getByRole("button", { name: "Masuk" }));
  await expect(page).toHaveURL(/\/ikm$/);
  await shot(page, "ikm-home");

  await taps.tap(page.getByRole("link", { name: "Lihat jadwal & pesan mesin" }));
  await expect(page).toHaveURL(/\/jadwal$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jadwal mesin");
  await shot(page, "ikm-board-day");

  // The first free hour of the 60-ton press today.
  const free = boardRow(page, "PRS-02").locator("a.seg-free").first();
  await expect(free).toBeVisible();
  await taps.tap(free);
  await expect(page).toHaveURL(/\/pesan\?machineId=/);
  await expect(page.getByText("Waktu ini kosong.")).toBeVisible();
  await expect(page.getByText(/Perkiraan retribusi: Rp/)).toBeVisible();
  await shot(page, "ikm-form");

  await taps.tap(page.getByRole("button", { name: "Pesan sekarang" }));
  await expect(page.getByRole("heading", { name: "Pemesanan terkonfirmasi" })).toBeVisible();
  const seconds = (Date.now() - started) / 1000;
  console.log(`IKM booking from login to confirmation: ${taps.n} taps, ${seconds.toFixed(1)} s`);
  expect(taps.n).toBeLessThanOrEqual(5);
  const success = page.locator(".success");
  await expect(success.getByText("Terkonfirmasi", { exact: true })).toBeVisible();
  await expect(success.getByText(/Perkiraan retribusi Rp/)).toBeVisible();
  await expect(success.getByText(/pengingat sehari sebelumnya|untuk hari ini/)).toBeVisible();
  // A wrong tap can be undone for 30 seconds, without the late-cancellation mark.
  await expect(success.getByText(/^Salah pilih\? Batalkan dalam \d+ detik/)).toBeVisible();
  await expect(success.getByRole("button", { name: "Batalkan" })).toBeVisible();
  await shot(page, "ikm-confirmation");
  const range = /\d{2}\.\d{2}–\d{2}\.\d{2}/.exec((await page.locator(".success-what").textContent()) ?? "")?.[0] ?? "?";

  await page.getByRole("link", { name: "Lihat Pemesanan saya" }).click();
  await expect(page).toHaveURL(/\/pemesanan$/);
  const card = page.locator(".booking-card").filter({ hasText: "PRS-02" }).filter({ hasText: range });
  await expect(card.first()).toBeVisible();
  await expect(card.first().getByText("Terkonfirmasi")).toBeVisible();
  await shot(page, "ikm-my-bookings");
});

test("an occupied time is refused with its reasons; one tap on an alternative books it; then cancel", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  // Tomorrow's board: find a time another IKM has booked on the 100-ton press.
  await visit(page, "/jadwal?date=2026-12-02");
  const booked = boardRow(page, "PRS-01").locator(".seg-booked").first();
  await expect(booked).toBeVisible();
  const label = (await booked.getAttribute("aria-label")) ?? "";
  const m = /(\d{2})\.(\d{2})–/.exec(label);
  expect(m).not.toBeNull();
  const start = `${m?.[1]}:${m?.[2]}`;
  const end = `${String(Number(m?.[1]) + 1).padStart(2, "0")}:${m?.[2]}`;

  await visit(page, "/pesan");
  await page.getByLabel("Mesin").selectOption({ label: "PRS-01 · Press Hidrolik 100 Ton" });
  await page.getByLabel("Tanggal").fill("2026-12-02");
  await page.getByLabel("Jam mulai").selectOption(start);
  await page.getByLabel("Jam selesai").selectOption(end);
  await expect(page.getByText("Waktu ini tidak bisa dipesan:")).toBeVisible();
  await expect(page.locator(".reasons li").first()).toContainText("Mesin sudah dipesan");
  const alternatives = page.locator(".alt-list .alt-button");
  await expect(alternatives.first()).toBeVisible();
  await shot(page, "ikm-refusal");

  const chosen = (await alternatives.first().locator(".alt-when strong").textContent()) ?? "";
  await alternatives.first().click();
  await expect(page.getByRole("heading", { name: /Pemesanan terkonfirmasi|menunggu persetujuan/ })).toBeVisible();
  await expect(page.locator(".success-what")).toContainText(chosen.replace(" WIB", ""));

  // Cancel it from my bookings: a confirm step first.
  await page.getByRole("link", { name: "Lihat Pemesanan saya" }).click();
  const card = page.locator(".booking-card").filter({ hasText: chosen.split("–")[0] }).first();
  await card.getByRole("link", { name: "Batalkan" }).click();
  await expect(page.getByRole("heading", { name: "Batalkan pemesanan" })).toBeVisible();
  await expect(page.getByText(/tidak dihitung terlambat|pembatalan terlambat/)).toBeVisible();
  await shot(page, "ikm-cancel-confirm");
  await page.getByRole("button", { name: "Ya, batalkan" }).click();
  await expect(page.getByText("Pemesanan dibatalkan.")).toBeVisible();
});

test("the other pages read well on a phone", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/jadwal?view=week");
  await expect(page.getByRole("heading", { level: 2, name: /Minggu mulai/ })).toBeVisible();
  await shot(page, "ikm-board-week");

  await visit(page, "/jadwal?date=2026-12-02");
  await page.getByText("Pilih tanggal / cari mesin yang kosong").click();
  await page.getByLabel("Kosong dari jam").selectOption("13:00");
  await page.getByLabel("sampai jam").selectOption("15:00");
  await page.getByRole("button", { name: "Cari mesin kosong" }).click();
  await expect(page.getByText(/mesin kosong 13\.00–15\.00 WIB/)).toBeVisible();
  await shot(page, "ikm-board-filter");

  await visit(page, "/jadwal?date=2026-12-02");
  await boardRow(page, "PLT-01").getByRole("link", { name: /PLT-01/ }).click();
  await expect(page.getByRole("heading", { name: /PLT-01/ })).toBeVisible();
  await expect(page.getByText("Perlu persetujuan teknisi sebelum terkonfirmasi.")).toBeVisible();
  await shot(page, "ikm-machine");

  // A weekly series: every date decided, the free ones booked in one action.
  await visit(page, "/pesan");
  await page.getByLabel("Mesin").selectOption({ label: "BND-01 · Tekuk Plat Hidrolik 3 m" });
  await page.getByLabel("Tanggal").fill("2026-12-03");
  await page.getByLabel("Jam mulai").selectOption("13:00");
  await page.getByLabel("Jam selesai").selectOption("14:00");
  await page.getByText("Ulangi tiap minggu").click();
  await page.getByLabel("Ulangi", { exact: true }).selectOption("4");
  await expect(page.getByText(/dari 4 tanggal bisa dipesan/)).toBeVisible();
  await shot(page, "ikm-series");

  await visit(page, "/notifikasi");
  await expect(page.getByRole("heading", { level: 1, name: "Notifikasi" })).toBeVisible();
  await shot(page, "ikm-notifications");
  await page.getByRole("button", { name: "Tandai semua sudah dibaca" }).click();
  await expect(page.getByText("Semua sudah dibaca.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifikasi (0)" })).toBeVisible();

  await visit(page, "/pemesanan");
  await page.getByRole("button", { name: "Buat tautan kalender" }).click();
  await expect(page.getByText("Tautan kalender Anda (rahasia, jangan dibagikan):")).toBeVisible();
  const url = await page.locator(".ics-url").inputValue();
  const ics = await page.request.get(url);
  expect(ics.status()).toBe(200);
  expect(await ics.text()).toContain("BEGIN:VCALENDAR");
  await shot(page, "ikm-calendar");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the board, the check step and booking work as plain form posts", async ({ page }) => {
    await login(page, "ikm1@giliran.test");
    await expect(page).toHaveURL(/\/ikm$/);
    await visit(page, "/jadwal?date=2026-12-03");
    await boardRow(page, "BND-01").locator("a.seg-free").first().click();
    await expect(page).toHaveURL(/\/pesan\?machineId=/);
    // The prefilled time was checked on the server: the verdict and the book button are there.
    await expect(page.getByText("Waktu ini kosong.")).toBeVisible();
    // Changing the end without JavaScript: the post shows the confirmation step first.
    const end = page.getByLabel("Jam selesai");
    const ends = await end.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const current = await end.inputValue();
    await end.selectOption(ends[ends.indexOf(current) - 1]); // half an hour shorter
    expect(await end.inputValue()).not.toBe(current);
    await page.getByRole("button", { name: "Pesan sekarang" }).click();
    await expect(page.getByRole("heading", { name: "Periksa sebelum memesan" })).toBeVisible();
    await shot(page, "ikm-confirm-step-nojs");
    await page.getByRole("button", { name: "Ya, pesan sekarang" }).click();
    await expect(page.getByRole("heading", { name: /Pemesanan terkonfirmasi/ })).toBeVisible();
  });
});

test("a machine that needs a certificate says so before any tap, and how to get one", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/jadwal");
  const href = await page.locator('a[href^="/mesin/"]', { hasText: "CNC-01" }).first().getAttribute("href");
  await visit(page, href as string);
  await expect(page.getByRole("heading", { name: "Perlu sertifikat" })).toBeVisible();
  await expect(page.getByText(/Untuk mendapat sertifikat operator, hubungi UPTD di 0812/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Kirim WhatsApp ke UPTD" })).toHaveAttribute("href", /^https:\/\/wa\.me\/6281200001234\?text=/);
  await shot(page, "ikm-machine-certificate");
});

test("no certificate: the refusal offers the machine run by the unit's operator, booked in one tap", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/jadwal");
  const href = (await page.locator('a[href^="/mesin/"]', { hasText: "CNC-01" }).first().getAttribute("href")) as string;
  const id = (/\/mesin\/(\d+)/.exec(href) as RegExpExecArray)[1];
  await logout(page);
  // The admin lets the unit's operator run CNC-01 too.
  const setMode = async (label: string) => {
    await page.context().clearCookies();
    await login(page, "admin@giliran.test");
    await expect(page).toHaveURL(/\/admin$/);
    await visit(page, `/admin/mesin/${id}`);
    await page.getByLabel("Operator", { exact: true }).selectOption({ label });
    await page.getByRole("button", { name: "Simpan", exact: true }).click();
    const confirm = page.getByRole("button", { name: "Simpan tetap" });
    await expect(page.getByRole("status").or(confirm).first()).toBeVisible();
    if (await confirm.isVisible()) await confirm.click();
    await expect(page.getByLabel("Operator", { exact: true })).toHaveValue(label.startsWith("IKM") ? "both" : "self");
    await logout(page);
  };
  await setMode("IKM memilih sendiri atau dibantu operator");
  try {
    await login(page, "ikm2@giliran.test");
    await expect(page).toHaveURL(/\/ikm$/);
    await visit(page, `/pesan?machineId=${id}&date=2026-12-09&start=10:00&end=11:00`);
    await expect(page.getByText("Waktu ini tidak bisa dipesan:")).toBeVisible();
    await expect(page.getByText(/IKM Anda belum memiliki sertifikat/)).toBeVisible();
    const withOperator = page.getByRole("button", { name: /dioperasikan operator UPTD$/ }).first();
    await withOperator.scrollIntoViewIfNeeded();
    await shot(page, "ikm-refusal-certificate-assisted");
    await withOperator.click();
    await expect(page.getByRole("heading", { name: /Pemesanan (terkonfirmasi|menunggu persetujuan)/ })).toBeVisible();
    await expect(page.getByText("Dioperasikan oleh operator UPTD.")).toBeVisible();
    await shot(page, "ikm-booked-assisted");
    await logout(page);
  } finally {
    await setMode("Dioperasikan IKM sendiri");
  }
});

test("a tapped free time lets the member choose how long in one tap", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/jadwal?date=2026-12-03");
  await boardRow(page, "BND-01").locator("a.seg-free").first().click();
  await expect(page).toHaveURL(/\/pesan\?machineId=/);
  await expect(page.getByText("Waktu ini kosong.")).toBeVisible();
  const lengths = page.getByRole("group", { name: /Berapa lama\?/ });
  await expect(lengths).toBeVisible();
  const start = await page.getByLabel("Jam mulai").inputValue();
  await lengths.getByRole("link", { name: "2 jam" }).click();
  const [h, m] = start.split(":").map(Number);
  await expect(page.getByLabel("Jam selesai")).toHaveValue(`${String(h + 2).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
  await expect(lengths.getByRole("link", { name: "2 jam" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByText("Waktu ini kosong.")).toBeVisible();
  await expect(page).toHaveURL(/\/pesan\?machineId=/);
  await shot(page, "ikm-form-durations");
});

test("the board's time header stays in view while scrolling down to the last machine", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/jadwal?date=2026-12-03");
  const last = page.locator(".board-row").last();
  await last.scrollIntoViewIfNeeded();
  await expect(last).toBeInViewport();
  // The hours row is on screen, above the last machine, at the top of the board.
  const head = page.locator(".board-head");
  await expect(head).toBeInViewport();
  const [h, l] = [await head.boundingBox(), await last.boundingBox()];
  expect(h && l && h.y < l.y).toBe(true);
  // Each time a member can tap says its time in words (for screen readers too).
  await expect(last.locator("a.seg-free").first()).toHaveAttribute("aria-label", /^Kosong \d\d\.\d\d–\d\d\.\d\d/);
  await shot(page, "ikm-board-scrolled");
  // The week board: the days stay in view too.
  await visit(page, "/jadwal?date=2026-12-03&view=week");
  const lastWeekRow = page.locator(".week-board tbody tr").last();
  await lastWeekRow.scrollIntoViewIfNeeded();
  await expect(page.locator(".week-board thead")).toBeInViewport();
  await shot(page, "ikm-board-week-scrolled");
});

test("every tab of the menu is in view on a 360 px phone, for a member and for a manager", async ({ page }) => {
  for (const who of ["ikm2@giliran.test", "manajer@giliran.test"]) {
    await login(page, who);
    await expect(page).not.toHaveURL(/\/login/);
    const width = page.viewportSize()?.width ?? 360;
    const tabs = page.getByRole("navigation", { name: "Menu" }).getByRole("link");
    // The URL changes before the new page is drawn: wait for its menu.
    await expect(tabs.first()).toBeVisible();
    expect(await tabs.count()).toBeGreaterThan(3);
    for (const tab of await tabs.all()) {
      const box = await tab.boundingBox();
      expect(box, (await tab.textContent()) ?? "").not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width, `${who}: ${await tab.textContent()} in view`).toBe(true);
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    await shot(page, `menu-360-${who.split("@")[0]}`);
    await page.getByRole("button", { name: "Keluar" }).click();
    await expect(page).toHaveURL(/\/login$/);
  }
});
