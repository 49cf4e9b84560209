import { sql } from "kysely";
import { db } from "~/utils/db.server";

/** Reads the facility and writes (then rolls back) inside a transaction: proves read and write. */
export async function checkHealth(): Promise<boolean> {
  try {
    const row = await db().selectFrom("facility").select("id").executeTakeFirst();
    if (!row) return false;
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`update facility set updated_at = updated_at where id = 1`.execute(trx);
        throw new RollbackProbe();
      })
      .catch((e) => {
        if (!(e instanceof RollbackProbe)) throw e;
      });
    return true;
  } catch {
    return false;
  }
}

class RollbackProbe extends Error {}
