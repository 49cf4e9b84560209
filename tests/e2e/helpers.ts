import { type Page, expect } from "@playwright/test";

export const PASSWORD = "giliran-demo";

export async function login(page: Page, login: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email atau nomor HP").fill(login);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

/** A screenshot of the whole page, or with `inView` only what the phone's screen shows. */
export async function shot(page: Page, name: string, { inView = false } = {}) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: !inView });
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "Keluar" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/**
 * Opens a page the way a person would and asserts it is really there: a 200 and a visible
 * top-level heading (and its text, when given). A 500 or an empty page fails here, not later.
 */
export async function visit(page: Page, url: string, heading?: string | RegExp) {
  const res = await page.goto(url);
  expect(res?.status(), `GET ${url}`).toBe(200);
  const h1 = page.getByRole("heading", { level: 1 }).first();
  await expect(h1, `${url} has a heading`).toBeVisible();
  if (heading !== undefined) await expect(h1).toHaveText(heading);
  else await expect(h1).not.toHaveText("");
}
