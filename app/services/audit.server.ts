/** The audit trail: every state change writes one event (who, what, which record, before/after, why). */
import type { DbOrTx } from "#db/connection";
import { type Param, defineQuery } from "~/models/query.server";

export interface AuditInput {
  actorUserId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
  at: number;
}

/** The event's row as written. */
export function auditRow(e: AuditInput) {
  return {
    actor_user_id: e.actorUserId,
    action: e.action,
    entity: e.entity,
    entity_id: String(e.entityId),
    before_json: e.before === undefined ? null : JSON.stringify(e.before),
    after_json: e.after === undefined ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
    request_id: e.requestId ?? null,
    created_at: e.at,
  };
}

export const auditQuery = defineQuery((db, p: Param<ReturnType<typeof auditRow>>) =>
  db.insertInto("audit_events").values({
    actor_user_id: p("actor_user_id"),
    action: p("action"),
    entity: p("entity"),
    entity_id: p("entity_id"),
    before_json: p("before_json"),
    after_json: p("after_json"),
    reason: p("reason"),
    request_id: p("request_id"),
    created_at: p("created_at"),
  }),
);

export async function audit(db: DbOrTx, e: AuditInput): Promise<void> {
  await auditQuery.execute(db, auditRow(e));
}
