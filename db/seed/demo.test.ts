/**
 * The demo seed against real SQLite files: the data it writes obeys the rules of DESIGN.md
 * (opening hours, closure days, the slot grid, no overlaps, quotas, fees), the demo logins
 * work, and seeding is deterministic. Local times are checked with plain WIB arithmetic
 * (UTC+7, no daylight saving), independently of the engine's calendar code.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../app/utils/password.server";
import { type OpenedDb, openDatabase } from "../connection";
import { migrateToLatest } from "../migrate";
import type { Booking, Machine, MachineTariff, UsageRecord } from "../schema";
import { DEMO_LOGINS, type SeedSummary, seedDemo } from "./demo";

const NOW = Date.UTC(2026, 10, 28, 1, 0); // Saturday 28 November 2026, 08.00 WIB
const PASSWORD = "rahasia-demo";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WIB = 7 * 60 * MINUTE;
const HOLDING = ["pending", "confirmed", "checked_in"];

/** The facility week of DESIGN.md, in minutes since local midnight, by ISO weekday. */
const WEEK: Record<number, [number, number][]> = {
  1: [[450, 720], [780, 960]],
  2: [[450, 720], [780, 960]],
  3: [[450, 720], [780, 960]],
  4: [[450, 720], [780, 960]],
  5: [[450, 690], [780, 990]],
  6: [],
  7: [],
};

const CLOSURES = new Set(
  fs
    .readFileSync(new URL("./data/id-closures-2026.csv", import.meta.url), "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(",")[0]),
);

interface Local {
  date: string;
  weekday: number;
  minute: number;
  /** Milliseconds past the whole minute. */
  rest: number;
}

function local(t: number): Local {
  const d = new Date(t + WIB);
  return {
    date: d.toISOString().slice(0, 10),
    weekday: d.getUTCDay() || 7,
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    rest: t % MINUTE,
  };
}

function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + m;
}

/** Open periods of a machine on a local date: the facility's, narrowed by the machine's own. */
function openPeriods(date: string, weekday: number, machine: Machine): [number, number][] {
  if (CLOSURES.has(date)) return [];
  const facility = WEEK[weekday];
  if (!machine.hours_json) return facility;
  const own: { start: string; end: string }[] = JSON.parse(machine.hours_json)[weekday];
  return facility.flatMap(([fs, fe]) =>
    own
      .map(({ start, end }): [number, number] => [Math.max(fs, minutesOf(start)), Math.min(fe, minutesOf(end))])
      .filter(([s, e]) => s < e),
  );
}

/** Open minutes of a machine between two instants (whole local days). */
function openMinutes(machine: Machine, from: number, to: number): number {
  let total = 0;
  for (let t = from; t < to; t += DAY) {
    const { date, weekday } = local(t);
    for (const [s, e] of openPeriods(date, weekday, machine)) total += e - s;
  }
  return total;
}

/** Local midnight (as an instant) of the day containing t. */
function midnight(t: number): number {
  return t - ((t + WIB) % DAY);
}

async function freshDatabase(name: string): Promise<OpenedDb & { file: string }> {
  const file = path.join(os.tmpdir(), `giliran-seed-${name}-${process.pid}-${Date.now()}.db`);
  const opened = openDatabase(file);
  await migrateToLatest(opened.db);
  return { ...opened, file };
}

async function dispose(opened: OpenedDb & { file: string }): Promise<void> {
  await opened.close();
  for (const f of [opened.file, `${opened.file}-wal`, `${opened.file}-shm`]) fs.rmSync(f, { force: true });
}

describe("seedDemo", () => {
  let seeded: OpenedDb & { file: string };
  let summary: SeedSummary;
  let machines: Map<number, Machine>;
  let bookings: Booking[];

  beforeAll(async () => {
    seeded = await freshDatabase("main");
    summary = await seedDemo(seeded.db, { now: NOW, password: PASSWORD });
    machines = new Map((await seeded.db.selectFrom("machines").selectAll().execute()).map((m) => [m.id, m]));
    bookings = await seeded.db.selectFrom("bookings").selectAll().orderBy("id").execute();
  });

  afterAll(async () => {
    await dispose(seeded);
  });

  const bufferOf = (m: Machine) => m.buffer_minutes ?? 0; // the facility default is 0

  it("writes a facility of the expected size", async () => {
    const count = async (table: "machine_types" | "ikms" | "users" | "closure_days" | "audit_events") =>
      Number((await seeded.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    expect(await count("machine_types")).toBe(9);
    expect(machines.size).toBeGreaterThanOrEqual(10);
    expect(machines.size).toBeLessThanOrEqual(14);
    expect(await count("ikms")).toBeGreaterThanOrEqual(20);
    expect(await count("users")).toBe(summary.users);
    expect(await count("closure_days")).toBe(CLOSURES.size);
    expect(await count("audit_events")).toBe(1);
    const past = bookings.filter((b) => b.start_at < NOW);
    const future = bookings.filter((b) => b.start_at > NOW);
    expect(past.length).toBeGreaterThan(1000);
    expect(past.length).toBeLessThan(3000);
    expect(future.length).toBeGreaterThan(100);
    expect(future.length).toBeLessThan(400);
    expect(summary.bookings).toBe(bookings.length);
    expect(summary.bookingAttempts).toBeGreaterThan(100);
    expect(summary.waitlistEntries).toBeGreaterThanOrEqual(3);
  });

  it("keeps history to the 90 days before today and the future to tomorrow up to the horizon", () => {
    const today = midnight(NOW);
    for (const b of bookings) {
      if (b.start_at < NOW) {
        expect(b.start_at).toBeGreaterThanOrEqual(midnight(NOW - 90 * DAY));
        expect(b.end_at).toBeLessThanOrEqual(today);
        expect(["completed", "no_show", "cancelled", "rejected"]).toContain(b.status);
      } else {
        expect(b.start_at).toBeGreaterThanOrEqual(today + DAY);
        expect(b.start_at).toBeLessThanOrEqual(NOW + 30 * DAY);
        expect(HOLDING).toContain(b.status);
        expect(b.status).toBe(machines.get(b.machine_id)?.requires_approval ? "pending" : b.status);
      }
      expect(b.created_at).toBeLessThanOrEqual(NOW);
    }
  });

  it("places every booking inside one open period of an open day, on the 30-minute grid", () => {
    for (const b of bookings) {
      const start = local(b.start_at);
      const end = local(b.end_at);
      expect(end.date).toBe(start.date);
      expect([start.rest, end.rest, start.minute % 30, end.minute % 30]).toEqual([0, 0, 0, 0]);
      const periods = openPeriods(start.date, start.weekday, machines.get(b.machine_id) as Machine);
      const inside = periods.some(([s, e]) => s <= start.minute && end.minute <= e);
      expect(inside, `booking ${b.id} on ${start.date} ${start.minute}–${end.minute}`).toBe(true);
    }
  });

  it("never lets two slot-holding bookings of a machine overlap, buffers included", () => {
    const byMachine = new Map<number, Booking[]>();
    for (const b of bookings.filter((b) => HOLDING.includes(b.status))) {
      byMachine.set(b.machine_id, [...(byMachine.get(b.machine_id) ?? []), b]);
    }
    for (const [machineId, list] of byMachine) {
      const machine = machines.get(machineId) as Machine;
      list.sort((a, b) => a.start_at - b.start_at);
      list.forEach((b, i) => {
        expect(b.hold_end_at).toBe(b.end_at + bufferOf(machine) * MINUTE);
        if (i > 0) expect(b.start_at).toBeGreaterThanOrEqual(list[i - 1].hold_end_at);
      });
    }
  });

  it("keeps bookings off maintenance windows and leaves none open", async () => {
    const windows = await seeded.db.selectFrom("maintenance_windows").selectAll().execute();
    expect(windows.every((w) => w.end_at !== null)).toBe(true);
    expect(windows.filter((w) => w.kind === "breakdown" && w.start_at < NOW)).toHaveLength(1);
    const upcoming = windows.filter((w) => w.start_at > NOW);
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0].start_at - NOW).toBeGreaterThan(8 * DAY);
    for (const w of windows) {
      const clash = bookings.filter(
        (b) => b.machine_id === w.machine_id && b.start_at < (w.end_at as number) && w.start_at < b.end_at,
      );
      expect(clash).toEqual([]);
    }
  });

  it("books 40–75 % of the open time in the past and 30–50 % ahead", () => {
    const today = midnight(NOW);
    const share = (from: number, to: number, statuses: string[]) => {
      let booked = 0;
      let open = 0;
      for (const machine of machines.values()) open += openMinutes(machine, from, to);
      for (const b of bookings) {
        if (b.start_at >= from && b.start_at < to && statuses.includes(b.status)) booked += (b.end_at - b.start_at) / MINUTE;
      }
      return booked / open;
    };
    const past = share(midnight(NOW - 90 * DAY), today, ["completed", "no_show"]);
    const ahead = share(today + DAY, today + 31 * DAY, HOLDING);
    expect(past).toBeGreaterThanOrEqual(0.4);
    expect(past).toBeLessThanOrEqual(0.75);
    expect(ahead).toBeGreaterThanOrEqual(0.3);
    expect(ahead).toBeLessThanOrEqual(0.5);
  });

  it("records the usage of every completed booking with the fee of the tariff in force", async () => {
    const usage = new Map<number, UsageRecord>(
      (await seeded.db.selectFrom("usage_records").selectAll().execute()).map((u) => [u.booking_id, u]),
    );
    const tariffs: MachineTariff[] = await seeded.db.selectFrom("machine_tariffs").selectAll().execute();
    const completed = bookings.filter((b) => b.status === "completed");
    expect(usage.size).toBe(completed.length);
    for (const b of completed) {
      const u = usage.get(b.id) as UsageRecord;
      const machine = machines.get(b.machine_id) as Machine;
      const increment = machine.billing_increment_minutes ?? 30;
      const inForce = tariffs
        .filter((t) => t.machine_id === b.machine_id && t.effective_from <= b.start_at)
        .sort((x, y) => y.effective_from - x.effective_from)[0];
      const actualMinutes = ((u.actual_end as number) - u.actual_start) / MINUTE;
      expect(actualMinutes).toBeGreaterThan(0);
      expect(u.hourly_rate).toBe(inForce.hourly_rate);
      expect(u.billable_minutes as number).toBeGreaterThanOrEqual(actualMinutes);
      expect((u.billable_minutes as number) % increment).toBe(0);
      expect((u.billable_minutes as number) - actualMinutes).toBeLessThan(increment);
      expect(u.fee).toBe(Math.round(((u.hourly_rate as number) * (u.billable_minutes as number)) / 60));
      expect(u.condition).toBe("ok");
    }
  });

  it("never has two usages of a machine at once", async () => {
    const usage = await seeded.db
      .selectFrom("usage_records")
      .innerJoin("bookings", "bookings.id", "usage_records.booking_id")
      .select(["bookings.machine_id", "usage_records.actual_start", "usage_records.actual_end"])
      .orderBy("bookings.machine_id")
      .orderBy("usage_records.actual_start")
      .execute();
    usage.forEach((u, i) => {
      const prev = usage[i - 1];
      if (prev?.machine_id === u.machine_id) expect(u.actual_start).toBeGreaterThanOrEqual(prev.actual_end as number);
    });
  });

  it("gives machines that need a qualification only to IKMs with a qualified member", async () => {
    const qualified = await seeded.db
      .selectFrom("qualifications")
      .innerJoin("users", "users.id", "qualifications.user_id")
      .select(["users.ikm_id", "qualifications.machine_type_id", "qualifications.valid_until"])
      .execute();
    for (const b of bookings) {
      const machine = machines.get(b.machine_id) as Machine;
      if (!machine.requires_qualification) continue;
      const ok = qualified.some(
        (q) => q.ikm_id === b.ikm_id && q.machine_type_id === machine.type_id && q.valid_until >= b.end_at,
      );
      expect(ok, `booking ${b.id}`).toBe(true);
    }
  });

  it("never needs more unit operators at once than are on duty", () => {
    const assisted = bookings.filter((b) => b.assisted === 1);
    for (const b of assisted) {
      const concurrent = assisted.filter((o) => o.start_at <= b.start_at && b.start_at < o.end_at).length;
      expect(concurrent).toBeLessThanOrEqual(2);
    }
  });

  it("leaves ikm1 and ikm2, of two different IKMs, room to book", async () => {
    const users = await seeded.db
      .selectFrom("users")
      .selectAll()
      .where("email", "in", ["ikm1@giliran.test", "ikm2@giliran.test"])
      .orderBy("email")
      .execute();
    expect(users).toHaveLength(2);
    expect(users[0].ikm_id).not.toBe(users[1].ikm_id);
    const weekStart = midnight(NOW) - ((local(NOW).weekday - 1) * DAY);
    for (const user of users) {
      const mine = bookings.filter((b) => b.ikm_id === user.ikm_id);
      expect(mine.filter((b) => b.start_at > NOW && HOLDING.includes(b.status)).length).toBeLessThanOrEqual(3);
      const perWeekAndType = new Map<string, number>();
      for (const b of mine.filter((b) => b.start_at >= weekStart && b.status !== "cancelled" && b.status !== "rejected")) {
        const week = Math.floor((b.start_at - weekStart) / (7 * DAY));
        const key = `${week}:${machines.get(b.machine_id)?.type_id}`;
        perWeekAndType.set(key, (perWeekAndType.get(key) ?? 0) + (b.end_at - b.start_at) / MINUTE);
      }
      expect(Math.max(0, ...perWeekAndType.values())).toBeLessThanOrEqual(240);
    }
    const cncLathe = await seeded.db
      .selectFrom("qualifications")
      .innerJoin("machine_types", "machine_types.id", "qualifications.machine_type_id")
      .select("valid_until")
      .where("user_id", "=", users[0].id)
      .where("machine_types.code", "=", "CNC_LATHE")
      .executeTakeFirstOrThrow();
    expect(cncLathe.valid_until).toBeGreaterThanOrEqual(NOW + 365 * DAY);
  });

  it("creates the demo logins with the given password", async () => {
    for (const { login } of DEMO_LOGINS) {
      const user = await seeded.db.selectFrom("users").selectAll().where("email", "=", login).executeTakeFirstOrThrow();
      expect(user.active).toBe(1);
      expect(await verifyPassword(PASSWORD, user.password_hash)).toBe(true);
    }
    const roles = await seeded.db.selectFrom("users").select(["role", "language"]).where("email", "in", DEMO_LOGINS.map((l) => l.login)).execute();
    expect(roles.map((r) => r.role).sort()).toEqual(["admin", "ikm", "ikm", "manager", "technician"]);
    const languages = await seeded.db.selectFrom("users").select("language").distinct().execute();
    expect(languages).toEqual([{ language: "id" }]);
  });

  it("refuses to seed a database that already has users", async () => {
    await expect(seedDemo(seeded.db, { now: NOW, password: PASSWORD })).rejects.toThrow(/already has users/);
  });
});

describe("seedDemo determinism", () => {
  it("writes the same bookings for any moment of the same day", async () => {
    const first = await freshDatabase("a");
    const second = await freshDatabase("b");
    try {
      await seedDemo(first.db, { now: NOW, password: PASSWORD });
      await seedDemo(second.db, { now: NOW + 3 * 60 * MINUTE, password: PASSWORD });
      const rows = (db: OpenedDb) => db.db.selectFrom("bookings").selectAll().orderBy("id").execute();
      const a = await rows(first);
      expect(a.length).toBeGreaterThan(1000);
      expect(await rows(second)).toEqual(a);
    } finally {
      await dispose(first);
      await dispose(second);
    }
  });
});
