/**
 * Screen readers and keyboards: axe-core on every page of every role at 360×740 — no serious or
 * critical violation (WCAG 2.x A and AA rules). Each role signs in once and walks its pages.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { login, visit } from "./helpers";

const PAGES: Record<string, string[]> = {
  "": ["/login"],
  "ikm2@giliran.test": ["/ikm", "/jadwal", "/jadwal?view=week", "/pesan", "/pesan?machineId=4&date=2026-12-09&start=10:00&end=11:00", "/pemesanan", "first:/pemesanan a[href^='/pemesanan/']", "/daftar-tunggu", "/putaran", "/notifikasi", "/mesin/1", "/bahasa"],
  "teknisi@giliran.test": ["/teknisi", "first:/teknisi a[href^='/teknisi/pemesanan/']", "/teknisi/persetujuan", "/teknisi/perawatan", "/teknisi/catat", "/jadwal"],
  "manajer@giliran.test": ["/manajer", "/laporan", "/laporan?from=2026-11-01&to=2026-11-30&groupBy=ikm", "/laporan/rincian?from=2026-11-01&to=2026-11-30&machineId=1", "/putaran", "first:/putaran a[href^='/putaran/']"],
  "admin@giliran.test": ["/admin", "/admin/mesin", "/admin/mesin/1", "/admin/mesin/baru", "/admin/fasilitas", "/admin/libur", "/admin/ikm", "/admin/ikm/1", "/admin/ikm/baru", "/admin/pengguna", "/admin/pengguna/1", "/admin/pengguna/baru", "/admin/kualifikasi", "/admin/audit", "/api/docs"],
};

for (const [who, pages] of Object.entries(PAGES)) {
  test(`no serious or critical accessibility violation on the pages of ${who || "a visitor"}`, async ({ page }) => {
    if (who) {
      await login(page, who);
      await expect(page).not.toHaveURL(/\/login/);
    }
    const found: string[] = [];
    for (const entry of pages) {
      // "first:<page> <selector>": the first link of that kind on the page (a record's own page).
      let url = entry;
      if (entry.startsWith("first:")) {
        const [from, selector] = [entry.slice(6, entry.indexOf(" ")), entry.slice(entry.indexOf(" ") + 1)];
        await visit(page, from);
        url = (await page.locator(selector).first().getAttribute("href")) ?? from;
      }
      await visit(page, url);
      // label-content-name-mismatch (WCAG 2.5.3) is "experimental" in axe and off unless asked for.
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "experimental"])
        .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
        .analyze();
      for (const v of result.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
        found.push(`${url}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      }
    }
    expect(found, found.join("\n")).toEqual([]);
  });
}
