/**
 * On PostgreSQL a booking decision locks what its rules read — its machine, its IKM, and for an
 * assisted booking the operators on duty — not the whole database (db/connection.ts
 * decisionTransaction). While one decision's transaction is held open on machine A for IKM 1, a
 * decision on machine B for IKM 2 commits; one on machine A, and one for IKM 1 on machine B,
 * wait until it ends. (SQLite has one writer by design: its decisions take turns, in
 * microseconds; this test is PostgreSQL's.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LOCK_IKM, decisionTransaction, lockFor } from "../../db/connection";
import { type TestApp, loadApp } from "../support/app";
import { testEngine } from "../support/db";

let app: TestApp;
let token: string;
let machines: number[];
let ikms: number[];

beforeAll(async () => {
  app = await loadApp();
  token = await app.apiLogin("teknisi@giliran.test");
  machines = (
    await app.db
      .selectFrom("machines")
      .select("id")
      .where("status", "=", "active")
      .where("requires_qualification", "=", 0)
      .where("allocation_mode", "=", "first_come")
      .where("operator_mode", "<>", "assisted")
      .orderBy("id")
      .limit(2)
      .execute()
  ).map((m) => m.id);
  ikms = (await app.db.selectFrom("ikms").select("id").where("active", "=", 1).orderBy("id").limit(3).execute()).map((i) => i.id);
});

/** The n-th free hour of the machine from 14 December 2026 on (its availability, as the API gives it). */
async function freeHour(machineId: number, n: number): Promise<number> {
  const from = Date.parse("2026-12-14T00:00:00+07:00");
  const range = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 14 * 86_400_000).toISOString())}`;
  const res = await app.fetch(`/api/v1/machines/${machineId}/availability?${range}`, { headers: { Authorization: `Bearer ${token}` } });
  const { free } = (await res.json()) as { free: { start: string; end: string }[] };
  const hours = free.filter((f) => Date.parse(f.end) - Date.parse(f.start) >= 3_600_000);
  return Date.parse(hours[n].start);
}

/** A booking request through the API; resolves with its status once the decision is made. */
function book(machineId: number, ikmId: number, start: number) {
  return app
    .fetch("/api/v1/bookings", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ machineId, ikmId, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), purpose: "uji kunci", overrideReason: "uji kunci" }),
    })
    .then(async (res) => (res.status === 201 ? 201 : `${res.status} ${await res.text()}`));
}

/** Whether the promise has settled within `ms`. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

describe("decisions on PostgreSQL lock their machine and IKM, not the database", () => {
  it.skipIf(testEngine() !== "postgres")("another machine for another IKM commits while a decision is open; the same machine or IKM waits", async () => {
    const [a, b] = machines;
    const [ikm1, ikm2, ikm3] = ikms;
    const [onA, onB1, onB2] = [await freeHour(a, 0), await freeHour(b, 0), await freeHour(b, 1)];
    let release: () => void = () => undefined;
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const held = decisionTransaction(app.db, a, async (trx) => {
      await lockFor(trx, LOCK_IKM, ikm1);
      locked();
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await isLocked;
    try {
      // Machine B for IKM 2: nothing in common with the open decision.
      const other = book(b, ikm2, onB1);
      expect(await settledWithin(other, 5_000)).toBe(true);
      expect(await other).toBe(201);
      // Machine A (for IKM 3), and IKM 1 (on machine B): each waits for the open decision.
      const sameMachine = book(a, ikm3, onA);
      const sameIkm = book(b, ikm1, onB2);
      expect(await settledWithin(sameMachine, 700)).toBe(false);
      expect(await settledWithin(sameIkm, 100)).toBe(false);
      release();
      await held;
      expect(await settledWithin(Promise.all([sameMachine, sameIkm]), 5_000)).toBe(true);
      expect(await sameMachine).toBe(201);
      expect(await sameIkm).toBe(201);
    } finally {
      release();
      await held.catch(() => undefined);
    }
  });
});
