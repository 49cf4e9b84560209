// The production server: static assets + the Remix app behind Giliran's request pipeline.
// Usage: npm start (after npm run build). Env: see README (DATABASE_URL, PORT, HOST, SESSION_SECRET…).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";

const started = performance.now();
// NODE_ENV=production is the unit's real deployment: SESSION_SECRET required, secure cookies,
// never the demo seed. Without it (npm start in the Quick start) the same built app runs with
// the demo on an empty database. Remix itself always runs in production mode: no stack traces.
const buildDir = path.resolve(process.env.BUILD_DIR ?? "build");
const build = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
const entry = build.entry.module;

let env;
try {
  env = entry.getEnv();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

try {
  await entry.initDatabase();
} catch (error) {
  console.error(`Cannot open or migrate the database (${env.DATABASE_URL.replace(/\/\/[^@/]*@/, "//")}): ${error.message}`);
  process.exit(1);
}

const appHandler = entry.createAppHandler(build);

function toRequest(req, res) {
  const url = new URL(req.originalUrl || req.url, `http://${req.headers.host || "localhost"}`);
  const controller = new AbortController();
  // Abort what the app still does for a client that went away (not after a finished answer:
  // aborting costs an AbortError per request).
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    if (Array.isArray(values)) for (const v of values) headers.append(key, v);
    else headers.set(key, values);
  }
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

async function sendResponse(res, response) {
  res.statusCode = response.status;
  res.statusMessage = response.statusText || "";
  for (const [key, value] of response.headers.entries()) {
    if (key.toLowerCase() !== "set-cookie") res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("Set-Cookie", cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", "loopback");
app.use(compression());
app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
let active = 0;
let lastActivity = Date.now();
app.all("*", async (req, res) => {
  if (stopping) res.setHeader("Connection", "close");
  active++;
  lastActivity = Date.now();
  res.on("close", () => {
    active--;
    lastActivity = Date.now();
  });
  try {
    const response = await appHandler(toRequest(req, res), { requestId: randomUUID(), ip: req.ip ?? "unknown" });
    await sendResponse(res, response);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", error: String(error?.message ?? error) }));
    if (!res.headersSent) res.status(500).type("text/plain").send("Internal error");
    else res.end();
  }
});

const server = app.listen(env.PORT, env.HOST, () => {
  entry.startJobs();
  const ms = Math.round(performance.now() - started);
  console.log(`Giliran listening on http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT} (started in ${ms} ms)`);
});
server.keepAliveTimeout = 65_000;

let stopping = false;
/**
 * Graceful shutdown: keep serving until the server has been quiet for a moment (requests that
 * clients already sent are read and answered, with Connection: close) — at most 5 s — then stop
 * listening, let the requests in flight finish, close the database (a clean WAL checkpoint) and
 * exit 0. A hard stop after 10 s.
 */
const QUIET_MS = Number(process.env.SHUTDOWN_QUIET_MS ?? 150);
async function drain() {
  const until = Date.now() + 5_000;
  while (Date.now() < until && (active > 0 || Date.now() - lastActivity < QUIET_MS)) {
    await new Promise((r) => setTimeout(r, 20));
  }
}
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then closing the database.`);
  entry.stopJobs();
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await drain();
  server.close(async () => {
    await entry.closeDatabase();
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
