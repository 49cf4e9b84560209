/**
 * The WAL checkpoint off the request path (SQLite). SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses `wal_autocheckpoint` pages: one decision in a few hundred paid for copying
 * the WAL back into the database (bench/README.md measured 54 µs per decision on average, several
 * milliseconds for the one that paid). Here a worker thread with its own connection runs a
 * PASSIVE checkpoint every `everyMs`: it never waits for or blocks a reader or a writer (a page
 * still needed by a reader, or a commit in progress, is simply left for the next round), and it
 * runs on the other core. The app's connection keeps a much larger `wal_autocheckpoint` as a
 * safety net for when no checkpointer runs (scripts, tests).
 *
 * Durability is unchanged: a transaction is durable when its COMMIT is in the WAL (synchronous =
 * NORMAL, as before); a checkpoint only copies committed pages into the main file.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** What the app's connection checkpoints by itself when no checkpointer keeps the WAL short. */
export const WAL_AUTOCHECKPOINT_PAGES = 16_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

// CommonJS, evaluated in the worker: better-sqlite3 by the path resolved in the parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // Busy or locked: the next round tries again. Anything else (a full disk, an I/O error) is
    // told to the parent, once per kind, and tried again too.
    if (error.code !== "SQLITE_BUSY" && error.code !== "SQLITE_LOCKED" && !told.has(error.code)) {
      told.add(error.code);
      parentPort.postMessage({ error: String(error.message), code: error.code });
    }
  }
}, workerData.everyMs);
const told = new Set();
parentPort.on("message", () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    parentPort.postMessage({ closed: true });
  }
});
`;

/** Start checkpointing the WAL of the SQLite file every `everyMs` from a worker thread. */
export function startCheckpointer(file: string, everyMs = 500): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  // A small heap: the thread only runs one prepared statement (the server's memory, issue 32).
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs }, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 } });
  worker.unref();
  const report = (error: string, code?: string) => console.error(JSON.stringify({ level: "error", job: "wal-checkpoint", code, error }));
  worker.on("error", (error) => report(String(error)));
  worker.on("message", (m: { error?: string; code?: string }) => m.error && report(m.error, m.code));
  let exited = false;
  worker.once("exit", () => {
    exited = true;
  });
  return {
    async stop() {
      if (exited) return;
      const closed = new Promise((resolve) => {
        worker.on("message", (m: { closed?: boolean }) => m.closed && resolve(undefined));
        worker.once("exit", resolve);
      });
      worker.postMessage("stop");
      await closed;
      await worker.terminate();
    },
  };
}
