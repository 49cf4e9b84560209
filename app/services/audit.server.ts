/** The audit trail: every state change writes one event (who, what, which record, before/after, why). */
import type { DbOrTx } from "#db/connection";

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

export async function audit(db: DbOrTx, e: AuditInput): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      actor_user_id: e.actorUserId,
      action: e.action,
      entity: e.entity,
      entity_id: String(e.entityId),
      before_json: e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === undefined ? null : JSON.stringify(e.after),
      reason: e.reason ?? null,
      request_id: e.requestId ?? null,
      created_at: e.at,
    })
    .execute();
}
