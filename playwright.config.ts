import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests drive the real built server (server.js) in the system Chromium. The server
 * gets its own database file, seeded with the demo at a fixed clock (tests/e2e/serve.js).
 */
const PORT = Number(process.env.E2E_PORT ?? 3123);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: "id-ID",
    timezoneId: "Asia/Jakarta",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
    trace: "off",
    screenshot: "off",
  },
  projects: [
    // A cheap Android phone: 360×740 CSS pixels (UX.md), touch, a Pixel 5's user agent and density.
    { name: "phone", use: { ...devices["Pixel 5"], viewport: { width: 360, height: 740 }, browserName: "chromium" } },
  ],
  webServer: {
    command: `node tests/e2e/serve.js`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { E2E_PORT: String(PORT) },
    stdout: "ignore",
    stderr: "pipe",
  },
});
