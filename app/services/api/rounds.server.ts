
import type { Lang } from "~/i18n";
import { iso } from "~/utils/api.server";
import { apiAlternativeJson, apiViolationJson } from "./views.server";
import type { Explanation } from "~/views/rounds";
import type { RequestView, RoundView } from "~/views/rounds";

function explanationJson(e: Explanation, lang: Lang, tz: string, requestStart: number) {
  return {
    ...e,
    violations: e.violations.map((v) => apiViolationJson(v, lang, tz, requestStart)),
    alternatives: e.alternatives.map(apiAlternativeJson),
  };
}

export function roundRequestJson(r: RequestView, lang: Lang, tz: string) {
  return {
    id: r.id,
    ikmId: r.ikmName === null ? null : r.ikmId,
    ikmName: r.ikmName,
    own: r.own,
    start: iso(r.start),
    end: iso(r.end),
    purpose: r.purpose,
    assisted: r.assisted,
    status: r.status,
    bookingId: r.bookingId,
    createdAt: iso(r.createdAt),
    explanation: r.explanation ? explanationJson(r.explanation, lang, tz, r.start) : null,
  };
}

/** A round as JSON for the caller: an IKM gets its own requests and an anonymous order. */
export function roundJson(v: RoundView, lang: Lang, tz: string) {
  return {
    id: v.id,
    machine: { id: v.machine.id, code: v.machine.code, name: v.machine.name },
    weekStart: iso(v.weekStart),
    weekEnd: iso(v.weekEnd),
    cutoffAt: iso(v.cutoffAt),
    status: v.status,
    acceptsRequests: v.acceptsRequests,
    allocatedAt: iso(v.allocatedAt),
    seed: v.seed,
    requestCount: v.requestCount,
    ikmCount: v.ikmCount,
    maxRequestsPerIkm: v.maxRequestsPerIkm,
    requests: v.requests.map((r) => roundRequestJson(r, lang, tz)),
    order: v.order?.map((p) => ({ ...p, ikmId: p.ikmName === null ? null : p.ikmId })) ?? null,
    totals: v.totals,
    passes: v.passes,
  };
}
