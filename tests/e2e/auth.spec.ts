import { expect, test } from "@playwright/test";
import { login, logout, shot, visit } from "./helpers";

const homes = [
  { login: "ikm1@giliran.test", path: "/ikm", heading: /Halo,/ },
  { login: "teknisi@giliran.test", path: "/teknisi", heading: "Lantai bengkel hari ini" },
  { login: "manajer@giliran.test", path: "/manajer", heading: "Ringkasan" },
  { login: "admin@giliran.test", path: "/admin", heading: "Pengaturan" },
];

for (const role of homes) {
  test(`${role.login} lands on ${role.path} and can log out`, async ({ page }) => {
    await login(page, role.login);
    await expect(page).toHaveURL(new RegExp(`${role.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(role.heading);
    await shot(page, `home-${role.path.slice(1)}`);
    await logout(page);
    await visit(page, role.path);
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
  });
}

test("a wrong password is refused with a message", async ({ page }) => {
  await login(page, "ikm1@giliran.test", "salah-sekali");
  await expect(page.getByRole("alert")).toHaveText("Email/nomor HP atau kata sandi salah.");
  await expect(page).toHaveURL(/\/login/);
  await shot(page, "login-wrong-password");
});

test("an IKM member gets the 403 page on a manager page", async ({ page }) => {
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  const res = await page.goto("/manajer");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tidak diizinkan");
  await shot(page, "forbidden");
});

test("a member who forgot the password, or has no account, finds the way to the unit", async ({ page }) => {
  await visit(page, "/login");
  await page.getByText("Lupa kata sandi?").click();
  const wa = page.getByRole("link", { name: "Kirim WhatsApp ke UPTD" }).first();
  await expect(wa).toBeVisible();
  await expect(wa).toHaveAttribute("href", /^https:\/\/wa\.me\/6281200001234\?text=/);
  await expect(page.getByRole("link", { name: /^Telepon 0812\s0000\s1234$/ })).toHaveAttribute("href", "tel:+6281200001234");
  await expect(page.getByText("Belum punya akun?")).toBeVisible();
  await shot(page, "login-forgot-password");
});
