/** The built production server (server.js) on a benchmark database, started and stopped for a run. */
import { type ChildProcess, spawn } from "node:child_process";
import { BENCH_NOW_ISO, BENCH_PASSWORD } from "./dataset";

export interface BenchServer {
  child: ChildProcess;
  base: string;
  /** Milliseconds from spawn to "listening". */
  startupMs: number;
  login(user: string): Promise<string>;
  stop(): Promise<void>;
}

/** `nodeArgs`: extra Node flags for the server, e.g. --cpu-prof (written when it stops). */
export async function startServer(databaseUrl: string, port: number, nodeArgs: string[] = []): Promise<BenchServer> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, "server.js"], {
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", GILIRAN_NOW: BENCH_NOW_ISO, LOG_REQUESTS: "0", SEED_DEMO: "0" },
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
