import { checkHealth } from "~/services/health.server";
import { now } from "~/utils/clock.server";

/** 200 when the database can be read and written; 503 otherwise. */
export async function loader() {
  const ok = await checkHealth();
  // The server's clock too: clients (and the example script) can plan against it.
  return new Response(JSON.stringify({ status: ok ? "ok" : "unavailable", time: new Date(now()).toISOString() }), {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
