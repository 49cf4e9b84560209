/** The example client in examples/, written only from the OpenAPI document, runs against the built server. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { type ServerProcess, startServer } from "../support/servers";

const run = promisify(execFile);
let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.stop();
});

it("examples/api-walkthrough.mjs completes every step", async () => {
  server = await startServer(process.env.DATABASE_URL as string);
  const { stdout } = await run(process.execPath, ["examples/api-walkthrough.mjs", server.url], { timeout: 60_000 });
  expect(stdout).toContain("✓ book the same slot again (409)");
  expect(stdout).toContain("✓ check out (200)");
  expect(stdout.trim().endsWith("All steps passed.")).toBe(true);
}, 90_000);
