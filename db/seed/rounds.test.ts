/**
 * The demo's allocation round (db/seed/rounds.ts) against real SQLite files: an open round for
 * CUT-01 next week whose requests the request form would have accepted (free time, the slot grid,
 * quotas), several competing for the same hours, none from ikm1/ikm2; deterministic per day.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type OpenedDb, openDatabase } from "../connection";
import { migrateToLatest } from "../migrate";
import { seedDemo } from "./demo";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WIB = 7 * 60 * MINUTE;
const opened: (OpenedDb & { file: string })[] = [];

async function seeded(now: number) {
  const file = path.join(os.tmpdir(), `giliran-rounds-${process.pid}-${opened.length}-${Date.now()}.db`);
  const db = { ...openDatabase(file), file };
  opened.push(db);
  await migrateToLatest(db.db);
  await seedDemo(db.db, { now, password: "rahasia-demo" });
  return db;
}

afterAll(async () => {
  for (const o of opened) {
    await o.close();
    for (const f of [o.file, `${o.file}-wal`, `${o.file}-shm`]) fs.rmSync(f, { force: true });
  }
});

/** WIB wall clock of an instant: weekday (1 = Monday) and minutes since midnight. */
function wib(t: number) {
  const d = new Date(t + WIB);
  return { weekday: d.getUTCDay() || 7, minute: d.getUTCHours() * 60 + d.getUTCMinutes(), date: d.toISOString().slice(0, 10) };
}

describe("the demo's allocation round", () => {
  it.each([
    ["Tuesday 1 December 2026, 09.00 WIB", Date.parse("2026-12-01T09:00:00+07:00"), "2026-12-07", "2026-12-03T12:00:00+07:00"],
    ["Saturday 28 November 2026, 08.00 WIB (after the cut-off)", Date.parse("2026-11-28T08:00:00+07:00"), "2026-11-30", "2026-11-26T12:00:00+07:00"],
  ])("seeded on %s: an open CUT-01 round for next week with valid, competing requests", async (_label, now, weekDate, cutoffIso) => {
    const { db } = await seeded(now);
    const machine = await db.selectFrom("machines").selectAll().where("code", "=", "CUT-01").executeTakeFirstOrThrow();
    expect(machine.allocation_mode).toBe("weekly_round");
    const rounds = await db.selectFrom("allocation_rounds").selectAll().execute();
    expect(rounds).toHaveLength(1);
    const round = rounds[0];
    expect(round).toMatchObject({ machine_id: machine.id, status: "open", cutoff_at: Date.parse(cutoffIso), week_start: Date.parse(`${weekDate}T00:00:00+07:00`) });
    const requests = await db.selectFrom("allocation_requests").selectAll().where("round_id", "=", round.id).orderBy("created_at").execute();
    expect(requests).toHaveLength(8);
    const ikms = new Set(requests.map((r) => r.ikm_id));
    expect(ikms.size).toBe(5);
    const logins = await db.selectFrom("users").select("ikm_id").where("email", "in", ["ikm1@giliran.test", "ikm2@giliran.test"]).execute();
    for (const l of logins) expect(ikms.has(l.ikm_id as number)).toBe(false);
    // Several IKMs want the same hours.
    const byStart = new Map<number, Set<number>>();
    for (const r of requests) byStart.set(r.start_at, (byStart.get(r.start_at) ?? new Set()).add(r.ikm_id));
    expect(Math.max(...[...byStart.values()].map((s) => s.size))).toBe(3);

    const held = await db.selectFrom("bookings").selectAll().where("machine_id", "=", machine.id).where("status", "in", ["pending", "confirmed", "checked_in"]).execute();
    for (const r of requests) {
      expect(r.status).toBe("requested");
      expect(r.created_at).toBeLessThan(now);
      expect(r.created_at).toBeGreaterThanOrEqual(round.created_at);
      expect(r.start_at).toBeGreaterThanOrEqual(round.week_start);
      expect(r.end_at).toBeLessThanOrEqual(round.week_start + 7 * DAY);
      const [s, e] = [wib(r.start_at), wib(r.end_at)];
      expect(s.date).toBe(e.date);
      expect([s.minute % 30, e.minute % 30]).toEqual([0, 0]);
      // Inside the opening hours (Mon–Thu 07.30–12.00, 13.00–16.00; Fri 07.30–11.30, 13.00–16.30).
      const periods = s.weekday <= 4 ? [[450, 720], [780, 960]] : s.weekday === 5 ? [[450, 690], [780, 990]] : [];
      expect(periods.some(([a, b]) => a <= s.minute && e.minute <= b)).toBe(true);
      for (const b of held) expect(r.start_at >= b.hold_end_at || r.end_at <= b.start_at).toBe(true);
      const member = await db.selectFrom("users").select(["ikm_id", "role"]).where("id", "=", r.user_id).executeTakeFirstOrThrow();
      expect(member).toEqual({ ikm_id: r.ikm_id, role: "ikm" });
    }
    const restricted = await db.selectFrom("ikms").select("id").where("restricted_until", "is not", null).execute();
    for (const x of restricted) expect(ikms.has(x.id)).toBe(false);
  });

  it("is deterministic for the same day", async () => {
    const a = await seeded(Date.parse("2026-12-01T09:00:00+07:00"));
    const b = await seeded(Date.parse("2026-12-01T11:30:00+07:00"));
    const rows = (o: OpenedDb) => o.db.selectFrom("allocation_requests").select(["ikm_id", "user_id", "start_at", "end_at", "purpose", "created_at"]).orderBy("id").execute();
    expect(await rows(b)).toEqual(await rows(a));
  });
});
