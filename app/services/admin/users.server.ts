/**
 * User accounts: create with a temporary password (shown once), edit, reset the password,
 * deactivate (every session and API token revoked at once) and reactivate. The last active
 * admin can be neither deactivated nor given another role.
 */
import { randomInt } from "node:crypto";
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { User } from "#db/schema";
import { countActiveAdmins } from "~/models/admin.server";
import type { UserInput } from "~/schemas/admin";
import { hashPassword } from "~/utils/password.server";
import { revokeAllSessions } from "~/utils/session.server";
import { type AdminCtx, fieldError, publicUser, withUniqueFields } from "./common.server";
import { audit } from "../audit.server";
import { ServiceError, notFound } from "../errors.server";

const UNIQUE: Record<string, [string, string]> = {
  email: ["email", "admin.user.v.emailTaken"],
  phone: ["phone", "admin.user.v.phoneTaken"],
};

/** Letters and digits that cannot be confused when read aloud or copied by hand. */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A temporary password like "k7pq-x9lm-r2wz" (about 71 bits). */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${group()}-${group()}-${group()}`;
}

async function checkIkm(db: DbOrTx, input: UserInput): Promise<void> {
  if (input.role !== "ikm" || input.ikmId === null) return;
  const ikm = await db.selectFrom("ikms").select(["id", "active"]).where("id", "=", input.ikmId).executeTakeFirst();
  if (!ikm) throw fieldError("ikmId", "admin.user.v.ikmRequired");
  if (!ikm.active) throw fieldError("ikmId", "admin.user.v.ikmInactive");
}

/** The last active admin may not lose the role or be deactivated: someone must be able to administer. */
async function guardLastAdmin(db: DbOrTx, before: User, field: string): Promise<void> {
  if (before.role === "admin" && before.active === 1 && (await countActiveAdmins(db)) <= 1) {
    throw fieldError(field, "admin.user.v.lastAdmin");
  }
}

export async function createUser(db: Db, ctx: AdminCtx, input: UserInput): Promise<{ user: User; password: string }> {
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  const user = await withUniqueFields(UNIQUE, () =>
    immediate(db, async (trx) => {
      await checkIkm(trx, input);
      const user = await trx
        .insertInto("users")
        .values({
          name: input.name,
          email: input.email,
          phone: input.phone,
          password_hash: hash,
          role: input.role,
          ikm_id: input.ikmId,
          language: input.language,
          active: 1,
          calendar_token_hash: null,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "user.create", entity: "user", entityId: user.id, after: publicUser(user), requestId: ctx.requestId, at: ctx.now });
      return user;
    }),
  );
  return { user, password };
}

export async function updateUser(db: Db, ctx: AdminCtx, id: number, input: UserInput): Promise<User> {
  return withUniqueFields(UNIQUE, () =>
    immediate(db, async (trx) => {
      const before = await trx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      if (!before) throw notFound();
      if (input.role !== "admin") await guardLastAdmin(trx, before, "role");
      await checkIkm(trx, input);
      const user = await trx
        .updateTable("users")
        .set({ name: input.name, email: input.email, phone: input.phone, role: input.role, ikm_id: input.ikmId, language: input.language, updated_at: ctx.now })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { actorUserId: ctx.user.id, action: "user.update", entity: "user", entityId: id, before: publicUser(before), after: publicUser(user), requestId: ctx.requestId, at: ctx.now });
      return user;
    }),
  );
}

/** A new temporary password (returned once, never stored in clear); every session of the user ends. */
export async function resetPassword(db: Db, ctx: AdminCtx, id: number): Promise<string> {
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  await immediate(db, async (trx) => {
    const before = await trx.selectFrom("users").select(["id"]).where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    await trx.updateTable("users").set({ password_hash: hash, updated_at: ctx.now }).where("id", "=", id).execute();
    await revokeAllSessions(trx, id, ctx.now);
    await audit(trx, { actorUserId: ctx.user.id, action: "user.reset_password", entity: "user", entityId: id, reason: "sessions revoked", requestId: ctx.requestId, at: ctx.now });
  });
  return password;
}

/** Deactivate (all sessions and API tokens revoked at once) or reactivate an account. */
export async function setUserActive(db: Db, ctx: AdminCtx, id: number, active: boolean): Promise<User> {
  return immediate(db, async (trx) => {
    const before = await trx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw notFound();
    if (!active) await guardLastAdmin(trx, before, "active");
    if ((before.active === 1) === active) throw new ServiceError("invalid_state", active ? "admin.user.alreadyActive" : "admin.user.alreadyInactive");
    const user = await trx.updateTable("users").set({ active: active ? 1 : 0, updated_at: ctx.now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
    if (!active) await revokeAllSessions(trx, id, ctx.now);
    await audit(trx, {
      actorUserId: ctx.user.id,
      action: active ? "user.activate" : "user.deactivate",
      entity: "user",
      entityId: id,
      before: publicUser(before),
      after: publicUser(user),
      reason: active ? null : "sessions revoked",
      requestId: ctx.requestId,
      at: ctx.now,
    });
    return user;
  });
}
