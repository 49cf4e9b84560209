/**
 * The unit's contact number (WhatsApp or telephone, +62…), shown where a member has no other way
 * forward: a forgotten password, no account yet, a machine that needs a certificate. Null until
 * the admin enters it on the facility settings. Frozen: no app imports.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("facility").addColumn("contact_phone", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("facility").dropColumn("contact_phone").execute();
}
