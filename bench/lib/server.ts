/** The built production server (server.js) on a benchmark database, started and stopped for a run. */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { BENCH_NOW_ISO, BENCH_PASSWORD } from "./dataset";

export interface BenchServer {
  child: ChildProcess;
  base: string;
  /** Milliseconds from spawn to "listening". */
  startupMs: number;
  login(user: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The environment and Node flags `npm start` gives the server (package.json "start":
 * `VAR=value … node --flag … server.js`), so a benchmark runs the server as the unit runs it.
 */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const env = Object.fromEntries(words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]));
  return { env, flags: words.filter((w) => w.startsWith("--")) };
}

/** `nodeArgs`: extra Node flags for the server, e.g. --cpu-prof (written when it stops). */
export async function startServer(databaseUrl: string, port: number, nodeArgs: string[] = []): Promise<BenchServer> {
  const started = performance.now();
  const start = startCommand();
  const child = spawn(process.execPath, [...start.flags, ...nodeArgs, "server.js"], {
    env: { ...process.env, ...start.env, NODE_ENV: "test", DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", GILIRAN_NOW: BENCH_NOW_ISO, LOG_REQUESTS: "0", SEED_DEMO: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  for (;;) {
    if (/listening/.test(log)) break;
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    base,
    startupMs: performance.now() - started,
    async login(user: string) {
      const res = await fetch(`${base}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: user, password: BENCH_PASSWORD }) });
      if (!res.ok) throw new Error(`login ${user}: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
