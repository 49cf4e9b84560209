import { describe, expect, it } from "vitest";
import { loadApp } from "../support/app";

describe("rendered pages", () => {
  it("never contain NUL bytes (a React streaming quirk on long pages is filtered out)", async () => {
    const app = await loadApp();
    const cookie = await app.login("manajer@giliran.test");
    for (const path of ["/laporan", "/laporan?from=2026-01-01&to=2026-11-30", "/jadwal", "/admin/audit"]) {
      const bytes = Buffer.from(await (await app.fetch(path, { headers: { Cookie: cookie } })).arrayBuffer());
      expect(bytes.length, path).toBeGreaterThan(1000);
      expect(bytes.includes(0), path).toBe(false);
    }
  });
});
