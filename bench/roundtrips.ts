/**
 * Round trips per booking decision (issue 33): every query a pg client sends while
 * requestBooking() decides 40 requests (a technician booking one machine for 20 IKMs over ten
 * days, so both accepted and refused-with-alternatives decisions), counted by wrapping
 * pg.Client#query. On SQLite nothing goes over a wire (0).
 *
 *   npx tsx bench/roundtrips.ts <DATABASE_URL of a demo database>
 *
 * For PostgreSQL, copy a demo into a database first, e.g. inside scripts/with-postgres.sh:
 *   DATABASE_URL=/tmp/demo.db GILIRAN_NOW=2026-12-01T09:00:00+07:00 npm run db:seed
 *   npm run db:copy -- --from /tmp/demo.db --to "$TEST_PG_URL"
 *   npx tsx bench/roundtrips.ts "$TEST_PG_URL"
 */
import pg from "pg";
import { requestBooking } from "../app/services/booking/commands.server";
import { openDatabase } from "../db/connection";

const url = process.argv[2];
if (!url) {
  console.error("usage: npx tsx bench/roundtrips.ts <DATABASE_URL>");
  process.exit(2);
}
let sent = 0;
const query = pg.Client.prototype.query;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  sent++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
};

const opened = openDatabase(url);
const db = opened.db;
const tech = await db.selectFrom("users").select("id").where("email", "=", "teknisi@giliran.test").executeTakeFirstOrThrow();
const machine = await db
  .selectFrom("machines")
  .select("id")
  .where("status", "=", "active")
  .where("requires_qualification", "=", 0)
  .where("allocation_mode", "=", "first_come")
  .where("operator_mode", "<>", "assisted")
  .orderBy("id")
  .executeTakeFirstOrThrow();
const ikms = (await db.selectFrom("ikms").select("id").where("active", "=", 1).orderBy("id").limit(20).execute()).map((i) => i.id);
const now = Date.parse("2026-12-01T09:00:00+07:00");
const tally = { accepted: { n: 0, sent: 0 }, refused: { n: 0, sent: 0 } };
for (let i = 0; i < 40; i++) {
  const start = Date.parse("2026-12-14T07:30:00+07:00") + Math.floor(i / 4) * 86_400_000 + (i % 4) * 3_600_000;
  const before = sent;
  const r = await requestBooking(
    db,
    { user: { id: tech.id, role: "technician", ikmId: null }, now, requestId: "roundtrips" },
    { machineId: machine.id, ikmId: ikms[i % ikms.length], start, end: start + 3_600_000, purpose: "uji", overrideReason: "uji" },
  );
  const t = r.ok ? tally.accepted : tally.refused;
  t.n++;
  t.sent += sent - before;
}
const per = (t: { n: number; sent: number }) => (t.n ? (t.sent / t.n).toFixed(1) : "n/a");
console.log(`round trips per decision: accepted ${per(tally.accepted)} (${tally.accepted.n} decisions), refused with alternatives ${per(tally.refused)} (${tally.refused.n})`);
await opened.close();
