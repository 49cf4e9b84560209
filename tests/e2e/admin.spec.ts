import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { login, logout, shot, visit } from "./helpers";

/**
 * The administrator on a phone: a new machine (errors first, then saved), an IKM member books
 * it, the admin and a technician see the booking; every admin page's screenshot; the manager's
 * read-only view; and a new facility set up from an empty database on its own server.
 * Screenshots: test-results/screens/admin-*.png.
 */

test("the admin adds a machine, ikm1 books it, the admin and the technician see the booking", async ({ page }) => {
  await login(page, "admin@giliran.test");
  await expect(page).toHaveURL(/\/admin$/);
  await shot(page, "admin-index");
  await page.getByRole("link", { name: "Mesin & tarif" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mesin & tarif");
  await shot(page, "admin-machines");

  await page.getByRole("link", { name: "Tambah mesin" }).click();
  await expect(page).toHaveURL(/\/admin\/mesin\/baru$/);
  // Submitting an empty form names every missing field.
  await page.getByRole("button", { name: "Simpan mesin baru" }).click();
  await expect(page.getByText("Isi kode mesin.")).toBeVisible();
  await expect(page.getByText("Isi nama mesin.")).toBeVisible();
  await expect(page.getByText("Pilih jenis mesin.")).toBeVisible();
  await shot(page, "admin-machine-errors");

  await page.getByLabel("Kode mesin").fill("prs-03");
  await page.getByLabel("Nama mesin").fill("Press Hidrolik 40 Ton");
  await page.getByLabel("Jenis mesin").selectOption({ label: "Mesin Press Hidrolik (PRESS)" });
  await page.getByLabel("Lokasi", { exact: true }).fill("Bengkel utama, lajur 2");
  await page.getByLabel("Durasi maksimum").fill("180");
  await page.getByLabel("Tarif per jam (Rp)").fill("60.000");
  await page.getByRole("button", { name: "Simpan mesin baru" }).click();
  await expect(page.getByText("Mesin baru tersimpan.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("PRS-03 · Press Hidrolik 40 Ton");
  await expect(page.getByText("Rp60.000")).toBeVisible();
  const machineId = /\/admin\/mesin\/(\d+)/.exec(page.url())?.[1] as string;
  await shot(page, "admin-machine-created");
  await logout(page);

  // ikm1 books the new machine tomorrow 09.00–10.00.
  await login(page, "ikm1@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, `/pesan?machineId=${machineId}&date=2026-12-02&start=09:00&end=10:00`);
  await expect(page.getByText("Waktu ini kosong.")).toBeVisible();
  await page.getByRole("button", { name: "Pesan sekarang" }).click();
  await expect(page.getByRole("heading", { name: "Pemesanan terkonfirmasi" })).toBeVisible();
  await shot(page, "admin-e2e-ikm-booked");
  await logout(page);

  // The admin sees it on the machine page, the technician on the booking's page.
  await login(page, "admin@giliran.test");
  await expect(page).toHaveURL(/\/admin$/);
  await visit(page, `/admin/mesin/${machineId}`);
  await expect(page.getByRole("heading", { name: "Pemesanan mendatang: 1" })).toBeVisible();
  const bookings = await page.request.get(`/api/v1/bookings?machineId=${machineId}`, { headers: { Authorization: `Bearer ${await apiToken(page, "admin@giliran.test")}` } });
  const list = (await bookings.json()) as { bookings: Array<{ id: number; ikmName: string; status: string }> };
  expect(list.bookings).toEqual([expect.objectContaining({ ikmName: "Knalpot Jaya Abadi", status: "confirmed" })]);
  await logout(page);
  await login(page, "teknisi@giliran.test");
  await expect(page).toHaveURL(/\/teknisi$/);
  await visit(page, `/teknisi/pemesanan/${list.bookings[0].id}`);
  await expect(page.getByText("Knalpot Jaya Abadi").first()).toBeVisible();
  await expect(page.getByText("PRS-03").first()).toBeVisible();
  await shot(page, "admin-e2e-technician-sees");
});

async function apiToken(page: import("@playwright/test").Page, loginName: string): Promise<string> {
  const res = await page.request.post("/api/v1/session", { data: { login: loginName, password: "giliran-demo" } });
  return ((await res.json()) as { token: string }).token;
}

test("every admin page on a phone", async ({ page }) => {
  await login(page, "admin@giliran.test");
  await expect(page).toHaveURL(/\/admin$/);

  // A rule change that breaks bookings: the list comes first, nothing saved yet.
  await visit(page, "/admin/mesin/1");
  await shot(page, "admin-machine-page");
  await page.getByLabel("Durasi maksimum").fill("60");
  await page.getByRole("button", { name: "Simpan", exact: true }).click();
  await expect(page.getByText(/Perubahan ini membuat \d+ pemesanan mendatang tidak sesuai aturan\./)).toBeVisible();
  await shot(page, "admin-machine-impact");
  await page.getByRole("button", { name: "Simpan tetap" }).first().click();
  await expect(page.getByText(/\d+ pemesanan mendatang tidak lagi sesuai aturan baru\./)).toBeVisible();
  await shot(page, "admin-machine-flagged");

  await visit(page, "/admin/fasilitas");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fasilitas & jam layanan");
  await shot(page, "admin-facility");
  await page.getByLabel("Selasa, periode 1: selesai").fill("06:00");
  await page.getByRole("button", { name: "Simpan", exact: true }).click();
  await expect(page.getByText("Jam selesai harus setelah jam mulai.")).toBeVisible();
  await page.getByText("Jam selesai harus setelah jam mulai.").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/admin-facility-error.png" });

  await visit(page, "/admin/libur");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hari libur");
  await shot(page, "admin-closures");
  await page.getByLabel("…atau tempel isi CSV di sini").fill("date,kind,name\n2027-01-01,holiday,Tahun Baru Masehi\n2027-02-30,holiday,Salah\n2027-03-10,libur,Nyepi");
  await page.getByRole("button", { name: "Impor" }).click();
  const refused = page.getByRole("alert").filter({ hasText: "Tidak ada yang disimpan." });
  await expect(refused).toBeVisible();
  await expect(page.getByText(/Baris 3: tanggal "2027-02-30" tidak valid/)).toBeVisible();
  await refused.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/admin-closures-import-refused.png" });
  // The file Excel saves in Indonesian: ';' between fields, DD/MM/YYYY, Indonesian headers and kinds.
  await page.getByLabel("…atau tempel isi CSV di sini").fill("Tanggal;Jenis;Nama\n01/01/2031;Libur nasional;Tahun Baru Masehi\n02/01/2031;Cuti bersama;Cuti Bersama Tahun Baru");
  await page.getByRole("button", { name: "Impor" }).click();
  await expect(page.getByText("Impor berhasil: 2 ditambahkan, 0 diperbarui, 0 sudah sama.")).toBeVisible();
  await shot(page, "admin-closures-import-id", { inView: true });

  await visit(page, "/admin/ikm", "IKM");
  await shot(page, "admin-ikms");
  await visit(page, "/admin/ikm/19");
  await expect(page.getByRole("button", { name: "Cabut pembatasan" })).toBeVisible();
  await shot(page, "admin-ikm-restricted");
  await visit(page, "/admin/ikm/baru");
  await page.getByLabel("NIB").fill("12345");
  await page.getByLabel("Nomor HP").fill("0812");
  await page.getByRole("button", { name: "Simpan IKM" }).click();
  await expect(page.getByText("NIB harus tepat 13 angka.")).toBeVisible();
  await shot(page, "admin-ikm-errors");

  await visit(page, "/admin/pengguna", "Pengguna");
  await shot(page, "admin-users");
  await visit(page, "/admin/pengguna/baru?role=ikm&ikm=4");
  await page.getByLabel("Nama").fill("Rudi Hartono");
  await page.getByLabel("Nomor HP").fill("0857 1234 9876");
  await page.getByRole("button", { name: "Buat akun" }).click();
  await expect(page.getByText("hanya ditampilkan sekali", { exact: false })).toBeVisible();
  await shot(page, "admin-user-created");
  await page.getByRole("link", { name: "Buka data pengguna" }).click();
  await shot(page, "admin-user-page");

  await visit(page, "/admin/kualifikasi", "Kualifikasi");
  await shot(page, "admin-qualifications");

  await visit(page, "/admin/audit?entitas=machine&id=1");
  await expect(page.getByText("Mesin diubah").first()).toBeVisible();
  await expect(page.getByText(/^Mesin #1 · PRS-01 · /).first()).toBeVisible();
  await shot(page, "admin-audit");
  // Every kind of event, in words, and nothing wider than the phone.
  await visit(page, "/admin/audit");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(page.locator(".admin-audit-action").first()).toBeVisible();
  expect(await page.locator(".admin-audit-action").evaluateAll((els) => els.filter((e) => /^[a-z_]+\.[a-z_]+$/.test(e.textContent ?? "")).map((e) => e.textContent))).toEqual([]);
  await shot(page, "admin-audit-all");
});

test("the manager reads the settings without any save button", async ({ page }) => {
  await login(page, "manajer@giliran.test");
  await expect(page).toHaveURL(/\/manajer$/);
  await visit(page, "/admin/mesin/2");
  await expect(page.getByText("hanya admin yang dapat mengubahnya")).toBeVisible();
  await expect(page.getByRole("button", { name: "Simpan", exact: true })).toHaveCount(0);
  await expect(page.getByLabel("Nama mesin")).toBeDisabled();
  await shot(page, "admin-manager-readonly");
});

// A second server on an empty database (no demo seed): the first-run set-up.
let child: ChildProcess | null = null;
const dir = path.resolve(`tmp/admin-e2e-setup-${process.pid}`);

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const done = new Promise((r) => child?.once("exit", r));
    child.kill("SIGTERM");
    await done;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test("a new facility from an empty database starts on /setup", async ({ page }) => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, NODE_ENV: "test", SEED_DEMO: "0", DATABASE_URL: path.join(dir, "giliran.db"), PORT: String(port), HOST: "127.0.0.1", GILIRAN_NOW: "2026-12-01T09:00:00+07:00", LOG_REQUESTS: "0" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  await expect.poll(async () => (await page.request.get(`${base}/healthz`).catch(() => null))?.status() ?? 0, { timeout: 20_000 }).toBe(200);

  await visit(page, `${base}/`);
  await expect(page).toHaveURL(`${base}/setup`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Persiapan awal Giliran");
  await shot(page, "admin-setup");
  await page.getByLabel("Nama").fill("Wahyu Setiadi");
  await page.getByLabel("Email").fill("wahyu@uptd-logam.id");
  await page.getByLabel("Kata sandi", { exact: true }).fill("pendek");
  await page.getByLabel("Ulangi kata sandi").fill("pendek");
  await page.getByRole("button", { name: "Buat akun admin" }).click();
  await expect(page.getByText("Kata sandi paling sedikit 10 karakter.")).toBeVisible();
  await shot(page, "admin-setup-error");
  await page.getByLabel("Kata sandi", { exact: true }).fill("besi-baja-2026");
  await page.getByLabel("Ulangi kata sandi").fill("besi-baja-2026");
  await page.getByRole("button", { name: "Buat akun admin" }).click();
  await expect(page).toHaveURL(`${base}/admin/fasilitas?setup=1`);
  await expect(page.getByText("Akun admin dibuat. Langkah berikutnya:")).toBeVisible();
  await shot(page, "admin-setup-next");
  const again = await page.request.get(`${base}/setup`);
  expect(again.status()).toBe(404);
});
