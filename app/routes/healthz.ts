import { checkHealth } from "~/services/health.server";

/** 200 when the database can be read and written; 503 otherwise. */
export async function loader() {
  const ok = await checkHealth();
  return new Response(JSON.stringify({ status: ok ? "ok" : "unavailable" }), {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
