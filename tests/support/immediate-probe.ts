/**
 * A second process for tests of immediate(): enters a decision transaction on DATABASE_URL-like
 * `url`, says "locked", holds it for `holdMs`, writes a login_failures row with `key`, commits
 * and says "committed". Usage: tsx tests/support/immediate-probe.ts <url> <holdMs> <key>
 */
import { immediate, openDatabase } from "../../db/connection";

const [url, holdMs, key] = process.argv.slice(2);
const opened = openDatabase(url);
try {
  await immediate(opened.db, async (trx) => {
    await trx.selectFrom("facility").select("id").execute();
    process.stdout.write("locked\n");
    await new Promise((r) => setTimeout(r, Number(holdMs)));
    await trx.insertInto("login_failures").values({ key, at: Date.now() }).execute();
  });
  process.stdout.write("committed\n");
} finally {
  await opened.close();
}
