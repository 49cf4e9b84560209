/** The audit log as people read it: newest first, 50 a page, each event with the fields it changed. */
import type { Db } from "#db/connection";
import { type AuditFilter, listAuditEvents } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { nextDateKey, startOfLocalDate } from "./common.server";

export const AUDIT_PAGE_SIZE = 50;

/** Fields whose numbers are instants (UTC epoch ms), shown as local date and time. */
const INSTANT_FIELD = /(_at|_until|_from|_start|_end|^start|^end|^until)$/;
/** Bookkeeping that changes on every update and says nothing by itself. */
const NOISE = new Set(["updated_at"]);

export type AuditValue = { kind: "instant"; value: number } | { kind: "text"; value: string } | { kind: "empty" };

export interface AuditChange {
  field: string;
  before: AuditValue;
  after: AuditValue;
}

export interface AuditEventView {
  id: number;
  at: number;
  actor: { id: number; name: string; role: string } | null;
  action: string;
  entity: string;
  entityId: string;
  reason: string | null;
  /** A created record shows its values, a removed one its last values, a change both sides. */
  kind: "create" | "delete" | "update";
  changes: AuditChange[];
}

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function show(field: string, v: unknown): AuditValue {
  if (v === undefined || v === null || v === "") return { kind: "empty" };
  if (typeof v === "number" && INSTANT_FIELD.test(field) && v > 946_684_800_000) return { kind: "instant", value: v };
  if (typeof v === "string") return { kind: "text", value: v };
  return { kind: "text", value: JSON.stringify(v) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** The changed fields of an event: every field of a created or removed record, else only the differing ones. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = isRecord(before) ? before : before === undefined ? {} : { value: before };
  const a = isRecord(after) ? after : after === undefined ? {} : { value: after };
  const update = before !== undefined && after !== undefined;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const out: AuditChange[] = [];
  for (const field of fields) {
    if (update && NOISE.has(field)) continue;
    const bv = b[field];
    const av = a[field];
    if (update && JSON.stringify(bv) === JSON.stringify(av)) continue;
    if (!update && (bv ?? av) === null) continue;
    out.push({ field, before: show(field, bv), after: show(field, av) });
  }
  return out;
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actor?: number;
  from?: string;
  to?: string;
  page?: number;
}

export async function auditPage(db: Db, q: AuditQuery): Promise<{ events: AuditEventView[]; page: number; more: boolean }> {
  const { time_zone } = await loadFacility(db);
  const filter: AuditFilter = {
    entity: q.entity || undefined,
    entityId: q.entityId || undefined,
    actor: q.actor,
    from: q.from ? startOfLocalDate(q.from, time_zone) : undefined,
    to: q.to ? startOfLocalDate(nextDateKey(q.to), time_zone) : undefined,
  };
  const page = q.page ?? 1;
  const rows = await listAuditEvents(db, filter, AUDIT_PAGE_SIZE + 1, (page - 1) * AUDIT_PAGE_SIZE);
  const events = rows.slice(0, AUDIT_PAGE_SIZE).map(
    (r): AuditEventView => {
      const before = parse(r.before_json);
      const after = parse(r.after_json);
      return {
      id: r.id,
      at: Number(r.created_at),
      actor: r.actor_user_id === null ? null : { id: r.actor_user_id, name: r.actor_name ?? `#${r.actor_user_id}`, role: r.actor_role ?? "" },
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      reason: r.reason,
      kind: before === undefined && after !== undefined ? "create" : after === undefined && before !== undefined ? "delete" : "update",
      changes: auditChanges(before, after),
      };
    },
  );
  return { events, page, more: rows.length > AUDIT_PAGE_SIZE };
}
