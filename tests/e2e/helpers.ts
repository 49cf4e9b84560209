import { type Page, expect } from "@playwright/test";

export const PASSWORD = "giliran-demo";

export async function login(page: Page, login: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email atau nomor HP").fill(login);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "Keluar" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
