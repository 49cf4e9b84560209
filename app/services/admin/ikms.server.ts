/**
 * IKMs: register, edit, deactivate (its members can no longer book) and reactivate, and lift a
 * no-show restriction early with a recorded reason (the IKM is told).
 */
import { type Db, immediate } from "#db/connection";
import type { Ikm } from "#db/schema";
import type { IkmInput } from "~/schemas/admin";
import { type AdminCtx, withUniqueFields } from "./common.server";
import { audit } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";
import { notifyIkm } from "../messaging/notify.server";

const UNIQUE = { nib: ["nib", "admin.ikm.v.nibTaken"] } as Record<string, [string, string]>;

function values(input: IkmInput) {
  return {
    name: input.name,
    owner_name: input.ownerName,
    nib: input.nib,
    phone: input.phone,
    address: input.address ?? "",
    sector: input.sector ?? "",
  };
}

export async function createIkm(db: Db, ctx: AdminCtx, input: IkmInput): Promise<Ikm> {
  return withUniqueFields(UNIQUE, () =>
    immediate(db, async (trx) => {
      const ikm = await trx
        .insertInto("ikms")
        .values({ ...values(input), active: 1, restricted_until: null, restriction_reason: null, created_at: ctx.now, updated_at: ctx.now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "ikm.create", entity: "ikm", entityId: ikm.id, after: ikm, requestId: ctx.requestId, at: ctx.now });
      return ikm;
    }),
  );
}

export async function updateIkm(db: Db, ctx: AdminCtx, id: number, input: IkmInput): Promise<Ikm> {
  return withUniqueFields(UNIQUE, () =>
    immediate(db, async (trx) => {
      const before = await trx.selectFrom("ikms").selectAll().where("id", "=", id).executeTakeFirst();
      if (!before) throw notFound();
      const ikm = await trx.updateTable("ikms").set({ ...values(input), updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "ikm.update", entity: "ikm", entityId: id, before, after: ikm, requestId: ctx.requestId, at: ctx.now });
      return ikm;
    }),
  );
}

/** Deactivate (members keep their history and can log in, but can no longer book) or reactivate. */
export async function setIkmActive(db: Db, ctx: AdminCtx, id: number, active: boolean): Promise<Ikm> {
  return immediate(db, async (trx) => {
    const before = await trx.selectFrom("ikms").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    const ikm = await trx.updateTable("ikms").set({ active: active ? 1 : 0, updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: active ? "ikm.activate" : "ikm.deactivate", entity: "ikm", entityId: id, before, after: ikm, requestId: ctx.requestId, at: ctx.now });
    return ikm;
  });
}

/** Lift a no-show restriction before it ends, with a reason; audited, and the IKM is notified. */
export async function liftRestriction(db: Db, ctx: AdminCtx, id: number, reason: string): Promise<Ikm> {
  return immediate(db, async (trx) => {
    const before = await trx.selectFrom("ikms").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    if (before.restricted_until === null || Number(before.restricted_until) <= ctx.now) {
      throw new ServiceError("invalid_state", "admin.ikm.notRestricted");
    }
    const ikm = await trx
      .updateTable("ikms")
      .set({ restricted_until: null, restriction_reason: null, updated_at: ctx.now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "ikm.restriction_lift", entity: "ikm", entityId: id, before, after: ikm, reason, requestId: ctx.requestId, at: ctx.now });
    await notifyIkm(trx, id, "restriction_lifted", null, { reason, until: Number(before.restricted_until) }, ctx.now);
    return ikm;
  });
}
