/**
 * First run without the demo seed: while the database has no user at all, every page leads to
 * /setup, where the first admin account is created. Afterwards /setup does not exist (404).
 */
import { type Db, immediate } from "#db/connection";
import { ensureFacility } from "#db/facility-defaults";
import type { User } from "#db/schema";
import { hashPassword } from "~/utils/password.server";
import { publicUser } from "./common.server";
import { audit } from "../audit.server";
import { ServiceError } from "../errors.server";

/** Once a user exists one always will (users are never deleted), so `true` is cached for good. */
let known = false;

export async function hasAnyUser(db: Db): Promise<boolean> {
  if (known) return true;
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  known = !!row;
  return known;
}

export async function createFirstAdmin(db: Db, input: { name: string; email: string; password: string }, now: number, requestId?: string): Promise<User> {
  const hash = await hashPassword(input.password);
  return immediate(db, async (trx) => {
    // Decided inside the write lock: two concurrent set-ups cannot both create an admin.
    const any = await trx.selectFrom("users").select("id").limit(1).executeTakeFirst();
    if (any) throw new ServiceError("not_found", "error.notFound.title");
    await ensureFacility(trx, now);
    const user = await trx
      .insertInto("users")
      .values({
        name: input.name,
        email: input.email,
        phone: null,
        password_hash: hash,
        role: "admin",
        ikm_id: null,
        language: "id",
        active: 1,
        calendar_token_hash: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: user.id, action: "setup.first_admin", entity: "user", entityId: user.id, after: publicUser(user), requestId, at: now });
    known = true;
    return user;
  });
}
