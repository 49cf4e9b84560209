/** Qualifications: who may operate which machine type, until when (the engine's NOT_QUALIFIED rule reads them). */
import { type Db, immediate } from "#db/connection";
import type { Qualification } from "#db/schema";
import { loadFacility } from "~/models/scheduling.server";
import { type AdminCtx, fieldError, nextDateKey, startOfLocalDate, todayKey } from "./common.server";
import { audit } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";

/** Valid through `validUntil` (a local date): it ends at the next local midnight. */
export async function addQualification(
  db: Db,
  ctx: AdminCtx,
  input: { userId: number; machineTypeId: number; validUntil: string; notes?: string },
): Promise<Qualification> {
  return immediate(db, async (trx) => {
    const { time_zone } = await loadFacility(trx);
    if (input.validUntil < todayKey(ctx.now, time_zone)) throw fieldError("validUntil", "admin.qual.v.past");
    const user = await trx.selectFrom("users").select(["id", "active"]).where("id", "=", input.userId).executeTakeFirst();
    if (!user?.active) throw fieldError("userId", "admin.qual.v.user");
    const type = await trx.selectFrom("machine_types").select("id").where("id", "=", input.machineTypeId).executeTakeFirst();
    if (!type) throw fieldError("machineTypeId", "admin.qual.v.type");
    const q = await trx
      .insertInto("qualifications")
      .values({
        user_id: input.userId,
        machine_type_id: input.machineTypeId,
        valid_until: startOfLocalDate(nextDateKey(input.validUntil), time_zone),
        notes: input.notes ?? "",
        created_by: ctx.user.id,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "qualification.create", entity: "qualification", entityId: q.id, after: q, requestId: ctx.requestId, at: ctx.now });
    return q;
  });
}

/** End a qualification now (it stays listed as expired). */
export async function expireQualification(db: Db, ctx: AdminCtx, id: number): Promise<void> {
  await immediate(db, async (trx) => {
    const before = await trx.selectFrom("qualifications").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    if (Number(before.valid_until) <= ctx.now) throw new ServiceError("invalid_state", "admin.qual.alreadyExpired");
    const after = await trx.updateTable("qualifications").set({ valid_until: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "qualification.expire", entity: "qualification", entityId: id, before, after, requestId: ctx.requestId, at: ctx.now });
  });
}

/** Remove a qualification recorded by mistake (the audit trail keeps it). */
export async function removeQualification(db: Db, ctx: AdminCtx, id: number): Promise<void> {
  await immediate(db, async (trx) => {
    const before = await trx.selectFrom("qualifications").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    await trx.deleteFrom("qualifications").where("id", "=", id).execute();
    await audit(trx, { actorUserId: ctx.user.id, action: "qualification.delete", entity: "qualification", entityId: id, before, requestId: ctx.requestId, at: ctx.now });
  });
}
