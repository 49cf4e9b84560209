import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./utils/nonce";

// The server (server.js) and the integration tests reach these through build.entry.module.
export { createAppHandler, wrapAppHandler } from "./utils/http.server";
export { initDatabase, closeDatabase, openedDb } from "./utils/db.server";
export { getEnv } from "./utils/env.server";
export { runJobs, startJobs, stopJobs } from "./services/jobs.server";
import { wireServices } from "./services/wiring.server";

// The services' listeners and jobs, wired once when the server bundle loads.
wireServices();

const ABORT_DELAY = 5_000;

/**
 * React 18.3's renderToPipeableStream can flush a stray NUL byte when a multi-byte character
 * straddles its buffer's end (seen on long report pages). NUL is never part of valid UTF-8 text,
 * so dropping it is safe.
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((b) => b !== 0) : chunk);
    },
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce ?? "";
  const waitForAll = isbot(request.headers.get("user-agent") || "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = withoutNulBytes();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(JSON.stringify({ level: "error", error: String((error as Error)?.message ?? error) }));
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Errors thrown in loaders/actions: log one line, never a stack to the client. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // A 4xx the router answered itself (no such route, a method the route does not take) is not an error of ours.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(JSON.stringify({ level: "error", path: new URL(request.url).pathname, error: String((error as Error)?.stack ?? error) }));
}
