/**
 * On SQLite a booking decision runs as one synchronous function with statements compiled once
 * (requestBooking's fast path); everywhere else — PostgreSQL, and a SQLite request with something
 * to write in the same transaction — it runs through Kysely, awaited. Both must decide and write
 * exactly the same: the same 400 seeded requests (every machine, staff and members, free and taken
 * times, assisted, overrides, forbidden sources) go through each path on its own copy of the
 * demo data, and the outcomes and every row written must be equal.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type OpenedDb, openDatabase } from "../../db/connection";
import { Rng } from "../../db/seed/random";
import { requestBooking } from "../../app/services/booking/commands.server";
import type { BookingRequestInput } from "../../app/services/booking/decision-input.server";
import type { Principal } from "../../app/utils/permissions";
import { testEngine } from "../support/db";
import { TEST_NOW } from "../support/constants";

const copies: string[] = [];
afterAll(() => {
  for (const f of copies) for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

function copyOfTestDb(label: string): OpenedDb {
  const file = path.resolve(`tmp/paths-${label}-${process.pid}.db`);
  for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });
  copies.push(file);
  fs.copyFileSync(process.env.DATABASE_URL as string, file);
  return openDatabase(file);
}

interface Plan {
  user: Principal;
  req: BookingRequestInput;
}

async function plan(db: OpenedDb, n: number): Promise<Plan[]> {
  const machines = await db.db.selectFrom("machines").select(["id"]).orderBy("id").execute();
  const ikms = await db.db.selectFrom("ikms").select(["id"]).orderBy("id").execute();
  const members = await db.db.selectFrom("users").select(["id", "ikm_id"]).where("role", "=", "ikm").orderBy("id").execute();
  const staff = await db.db.selectFrom("users").select(["id", "role"]).where("role", "in", ["technician", "admin"]).orderBy("id").execute();
  const rng = new Rng(20261208);
  const pick = <T>(xs: T[]) => xs[Math.floor(rng.next() * xs.length)];
  const out: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const asStaff = rng.next() < 0.5;
    const member = pick(members);
    const s = pick(staff);
    const user: Principal = asStaff ? { id: s.id, role: s.role as Principal["role"], ikmId: null } : { id: member.id, role: "ikm", ikmId: member.ikm_id };
    // Days 0–34 ahead (weekends, closed days, too soon, too far), mostly in the morning's open
    // hours (07.30–11.30 local), sometimes anywhere from 06.00 to 17.00 (lunch breaks, closing
    // time), 30–180 minutes: free time and taken time.
    const day = Math.floor(rng.next() * 35);
    const midnight = TEST_NOW - 9 * 3_600_000; // TEST_NOW is 09.00 WIB
    const anywhere = rng.next() < 0.25;
    const start = midnight + day * 86_400_000 + (anywhere ? 6 * 3_600_000 + Math.floor(rng.next() * 23) * 1_800_000 : 7.5 * 3_600_000 + Math.floor(rng.next() * 5) * 1_800_000);
    const minutes = anywhere ? 30 * (1 + Math.floor(rng.next() * 6)) : 60 * (1 + Math.floor(rng.next() * 2));
    const r = rng.next();
    out.push({
      user,
      req: {
        machineId: pick(machines).id,
        start,
        end: start + minutes * 60_000,
        purpose: `uji ${i}`,
        assisted: rng.next() < 0.2,
        ikmId: asStaff ? (rng.next() < 0.05 ? undefined : pick(ikms).id) : undefined,
        source: r < 0.03 ? "walk_in" : r < 0.06 ? "backfill" : "web",
        overrideReason: asStaff && rng.next() < 0.3 ? "uji jalur" : undefined,
      },
    });
  }
  return out;
}

type Outcome = Awaited<ReturnType<typeof requestBooking>> | { error: string };

async function runAll(db: OpenedDb, plans: Plan[], portable: boolean): Promise<Outcome[]> {
  const out: Outcome[] = [];
  // Something to write in the same transaction sends a SQLite request down the awaited path.
  const after = portable ? async (_trx: unknown, b: any) => b : undefined;
  for (const p of plans) {
    try {
      out.push(await requestBooking(db.db, { user: p.user, now: TEST_NOW, requestId: "paths" }, p.req, after));
    } catch (error) {
      out.push({ error: `${(error as { code?: string }).code ?? ""} ${(error as Error).message}` });
    }
  }
  return out;
}

const rows = (db: OpenedDb, table: "bookings" | "audit_events" | "notifications" | "booking_attempts") =>
  db.db.selectFrom(table).selectAll().orderBy("id").execute();

describe("the decision's two paths", () => {
  // PostgreSQL has the awaited path only.
  it.skipIf(testEngine() !== "sqlite")("decide and write exactly the same for 400 seeded requests", async () => {
    const fast = copyOfTestDb("fast");
    const portable = copyOfTestDb("portable");
    try {
      const plans = await plan(fast, 400);
      const a = await runAll(fast, plans, false);
      const b = await runAll(portable, plans, true);
      expect(a).toEqual(b);
      // The mix is wide enough to mean something: accepted, refused for many rules, errors.
      const accepted = a.filter((o) => "ok" in o && o.ok).length;
      const codes = new Set(a.flatMap((o) => ("ok" in o && !o.ok ? o.violations.map((v) => v.code) : [])));
      expect(accepted).toBeGreaterThan(15);
      expect(codes.size).toBeGreaterThanOrEqual(10);
      expect(a.filter((o) => "error" in o).length).toBeGreaterThan(5);
      for (const table of ["bookings", "audit_events", "notifications", "booking_attempts"] as const) {
        expect(await rows(fast, table), table).toEqual(await rows(portable, table));
      }
    } finally {
      await fast.close();
      await portable.close();
    }
  });
});
