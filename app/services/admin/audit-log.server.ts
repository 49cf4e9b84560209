/** The audit log as people read it: newest first, 50 a page, each event with the fields it changed. */
import type { Db } from "#db/connection";
import { type AuditFilter, auditNames, listAuditEvents } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { nextDateKey, startOfLocalDate } from "./common.server";

export const AUDIT_PAGE_SIZE = 50;

/** Fields whose numbers are instants (UTC epoch ms), shown as local date and time. */
const INSTANT_FIELD = /(_at|_until|_from|_start|_end|^start|^end|^until)$/;
/** Bookkeeping that changes on every update and says nothing by itself. */
const NOISE = new Set(["updated_at"]);

/** "ref": a related record shown by its code and name (looked up), never by its bare id. */
export type AuditValue = { kind: "instant"; value: number } | { kind: "text"; value: string } | { kind: "ref"; value: string } | { kind: "empty" };

type RefTable = "machines" | "ikms" | "users" | "types";

/** Which related record a field's number is (by the field's last part), if any. */
function refTable(field: string): RefTable | null {
  const last = field.split(".").pop() ?? field;
  if (last === "machine_id") return "machines";
  if (last === "ikm_id") return "ikms";
  if (last === "machine_type_id" || last === "type_id") return "types";
  if (last === "user_id" || last.endsWith("_by")) return "users";
  return null;
}

/** The record an event is about, by entity: machines, IKMs and users have a name to show. */
const ENTITY_TABLE: Record<string, RefTable> = { machine: "machines", ikm: "ikms", user: "users", machine_type: "types" };

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
  /** The record by name ("PRS-01 · Press Hidrolik 100 Ton"), for a booking its machine and IKM; null when there is none to show. */
  entityLabel: string | null;
  reason: string | null;
  /** A created record shows its values, a removed one its last values, a change both sides. */
  kind: "create" | "delete" | "update";
  /** The machine and IKM the record belongs to (from its own values), to name it; not sent. */
  about?: { machineId: number | null; ikmId: number | null };
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
  if (typeof v === "number" && refTable(field)) return { kind: "text", value: String(v) };
  if (typeof v === "number" && INSTANT_FIELD.test(field) && v > 946_684_800_000) return { kind: "instant", value: v };
  if (typeof v === "string") return { kind: "text", value: v };
  return { kind: "text", value: JSON.stringify(v) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** The machine and IKM ids in a record's own values (or its wrapped booking's). */
function aboutOf(v: unknown): { machineId: number | null; ikmId: number | null } {
  const flat = isRecord(v) ? flatten(v) : {};
  const num = (f: string) => {
    const key = Object.keys(flat).find((k) => k === f || k.endsWith(`.${f}`));
    const x = key ? flat[key] : null;
    return typeof x === "number" ? x : null;
  };
  return { machineId: num("machine_id"), ikmId: num("ikm_id") };
}

/** Nested records one level down as "parent.field" (a check-in's {booking, usage}). */
function flatten(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (isRecord(x)) for (const [sk, sx] of Object.entries(x)) out[`${k}.${sk}`] = sx;
    else out[k] = x;
  }
  return out;
}

/** When one side wraps the record ({booking: {...}}) and the other is the record itself, compare like with like. */
function unwrap(side: Record<string, unknown>, other: Record<string, unknown>): Record<string, unknown> {
  const prefixes = new Set(Object.keys(side).filter((k) => k.includes(".")).map((k) => k.split(".")[0]));
  let out = side;
  for (const p of prefixes) {
    const subKeys = Object.keys(out).filter((k) => k.startsWith(`${p}.`));
    if (Object.keys(other).some((k) => k.startsWith(`${p}.`)) || !subKeys.some((k) => k.slice(p.length + 1) in other)) continue;
    const next: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(out)) next[k.startsWith(`${p}.`) ? k.slice(p.length + 1) : k] = x;
    out = next;
  }
  return out;
}

/** The changed fields of an event: every field of a created or removed record, else only the differing ones. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b0 = isRecord(before) ? flatten(before) : before === undefined ? {} : { value: before };
  const a0 = isRecord(after) ? flatten(after) : after === undefined ? {} : { value: after };
  const b = unwrap(b0, a0);
  const a = unwrap(a0, b);
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
      entityLabel: null,
      reason: r.reason,
      kind: before === undefined && after !== undefined ? "create" : after === undefined && before !== undefined ? "delete" : "update",
      changes: auditChanges(before, after),
      about: aboutOf(after ?? before),
      };
    },
  );
  await nameRecords(db, events);
  return { events, page, more: rows.length > AUDIT_PAGE_SIZE };
}

/**
 * Related records by name and code: every id field (machine_id, ikm_id, booked_by, …) becomes
 * "PRS-01 · Press Hidrolik 100 Ton", "Knalpot Jaya Abadi" or the person's name, and each event
 * names its record (a booking by its machine and IKM).
 */
async function nameRecords(db: Db, events: AuditEventView[]): Promise<void> {
  const ids: Record<RefTable, Set<number>> = { machines: new Set(), ikms: new Set(), users: new Set(), types: new Set() };
  const idOf = (v: AuditValue) => (v.kind === "text" && /^\d+$/.test(v.value) ? Number(v.value) : null);
  for (const e of events) {
    const table = ENTITY_TABLE[e.entity];
    if (table && /^\d+$/.test(e.entityId)) ids[table].add(Number(e.entityId));
    if (e.about?.machineId) ids.machines.add(e.about.machineId);
    if (e.about?.ikmId) ids.ikms.add(e.about.ikmId);
    for (const c of e.changes) {
      const ref = refTable(c.field);
      if (!ref) continue;
      for (const v of [c.before, c.after]) {
        const id = idOf(v);
        if (id !== null) ids[ref].add(id);
      }
    }
  }
  const names = await auditNames(db, { machines: [...ids.machines], ikms: [...ids.ikms], users: [...ids.users], types: [...ids.types] });
  const name = (table: RefTable, id: number | null) => (id === null ? undefined : names[table].get(id));
  for (const e of events) {
    for (const c of e.changes) {
      const ref = refTable(c.field);
      if (!ref) continue;
      for (const side of ["before", "after"] as const) {
        const id = idOf(c[side]);
        const label = name(ref, id);
        if (id !== null) c[side] = { kind: "ref", value: label ?? `#${id}` };
      }
    }
    const table = ENTITY_TABLE[e.entity];
    if (table) e.entityLabel = name(table, Number(e.entityId)) ?? null;
    else {
      // A booking, usage or window: its machine and IKM, from the record's own values.
      const shown = [name("machines", e.about?.machineId ?? null), name("ikms", e.about?.ikmId ?? null)].filter(Boolean);
      e.entityLabel = shown.length ? shown.join(" · ") : null;
    }
    delete e.about;
  }
}
