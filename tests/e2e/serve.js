// Starts the built server for the e2e suite on a fresh database with the demo seed at the fixed clock.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const file = path.resolve(`tmp/e2e-${process.env.E2E_PORT ?? "3123"}.db`);
fs.mkdirSync(path.dirname(file), { recursive: true });
for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });

const child = spawn(process.execPath, ["server.js"], {
  // BUILD_DIR is inherited: parallel runs can serve their own builds.
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: file,
    PORT: process.env.E2E_PORT ?? "3123",
    HOST: "127.0.0.1",
    GILIRAN_NOW: "2026-12-01T09:00:00+07:00",
    LOG_REQUESTS: "0",
  },
});
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
