/**
 * Running one part of a benchmark in a fresh Node process (its own module state, JIT and
 * DATABASE_URL), with the same TypeScript loader as the parent. The child writes its result as
 * JSON to a file the parent reads back.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface WorkerOptions {
  /** Extra Node flags for the child, e.g. ["--cpu-prof", "--cpu-prof-dir=bench/results/profiles"]. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** Runs `script` with `args` plus `--result <file>` in a child process; resolves to the parsed result. */
export async function runWorker<T>(script: string, args: string[], opts: WorkerOptions = {}): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "giliran-worker-"));
  const resultFile = path.join(dir, "result.json");
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, ...(opts.nodeArgs ?? []), script, ...args, "--result", resultFile], {
        stdio: "inherit",
        env: { ...process.env, ...opts.env },
      });
      child.on("error", reject);
      child.on("exit", resolve);
    });
    if (code !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} exited with ${code}`);
    return JSON.parse(fs.readFileSync(resultFile, "utf8")) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** In a worker: writes the result where the parent asked for it. */
export function writeWorkerResult(file: string, result: unknown): void {
  fs.writeFileSync(file, JSON.stringify(result));
}
