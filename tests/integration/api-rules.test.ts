/**
 * Every scheduling rule that the unit tests pin in the engine, once more through the real API on
 * a real database: the refusal names the rule's code, and where a rule has a way through (staff,
 * a qualification, another IKM) that way is checked too. The clock is Tuesday 1 December 2026
 * 09.00 WIB (tests/support/constants.ts). Each rule gets its own machine, set up with app.db.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { api as callApi } from "./floor-helpers";

let app: TestApp;
const tokens: Record<string, string> = {};
let simple: { id: number; type_id: number }[] = [];

/** A call to the API as one of the logged-in users (the shared helper of the floor tests). */
const api = (who: string, method: string, path: string, body?: unknown) => callApi(app, tokens[who], method, path, body);

const codes = (res: { body: { error?: { details?: { violations?: { code: string }[] } } } }) => (res.body.error?.details?.violations ?? []).map((v) => v.code);
const wib = (date: string, time: string) => `${date}T${time}:00+07:00`;

/** The machine's first free stretch of `minutes` on or after `from` (WIB date), as ISO instants. */
async function freeSlot(machineId: number, fromDate: string, minutes: number) {
  const from = Date.parse(wib(fromDate, "00:00"));
  const q = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 10 * 86_400_000).toISOString())}`;
  const { body } = await api("admin", "GET", `/api/v1/machines/${machineId}/availability?${q}`);
  const f = body.free.find((x: { start: string; end: string }) => Date.parse(x.end) - Date.parse(x.start) >= minutes * 60_000);
  expect(f, `a free ${minutes} min on machine ${machineId} from ${fromDate}`).toBeTruthy();
  const start = Date.parse(f.start);
  return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString(), startMs: start };
}

async function ikmIdOf(email: string): Promise<number> {
  return (await app.db.selectFrom("users").select("ikm_id").where("email", "=", email).executeTakeFirstOrThrow()).ikm_id as number;
}

beforeAll(async () => {
  app = await loadApp();
  for (const who of ["ikm1", "ikm2", "teknisi", "admin"]) tokens[who] = await app.apiLogin(`${who}@giliran.test`);
  // Six machines made ones an IKM may book alone (no approval, no qualification, first come, no
  // buffer, its own operator), one or two per rule; each test then sets the rule it exercises.
  simple = await app.db.selectFrom("machines").select(["id", "type_id"]).where("status", "=", "active").orderBy("id").limit(6).execute();
  expect(simple).toHaveLength(6);
  await app.db
    .updateTable("machines")
    .set({ requires_approval: 0, requires_qualification: 0, operator_mode: "self", allocation_mode: "first_come", buffer_minutes: 0 })
    .where("id", "in", simple.map((m) => m.id))
    .execute();
});

describe("each rule refuses through the API with its code", () => {
  it("IN_PAST: a start before now; TOO_SOON: within the notice (2 h), which staff are exempt from", async () => {
    const m = simple[0];
    const past = await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: wib("2026-11-30", "08:00"), end: wib("2026-11-30", "09:00") });
    expect(past.status).toBe(409);
    expect(codes(past)).toContain("IN_PAST");
    const soon = await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: wib("2026-12-01", "10:00"), end: wib("2026-12-01", "10:30") });
    expect(soon.status).toBe(409);
    expect(codes(soon)).toContain("TOO_SOON");
    expect(codes(soon)).not.toContain("IN_PAST");
    const staff = await api("teknisi", "POST", "/api/v1/bookings", { machineId: m.id, ikmId: await ikmIdOf("ikm2@giliran.test"), start: wib("2026-12-01", "10:00"), end: wib("2026-12-01", "10:30") });
    // Decided by the engine (booked, or refused for another reason), never for the notice.
    expect([201, 409], JSON.stringify(staff.body)).toContain(staff.status);
    expect(codes(staff)).not.toContain("TOO_SOON");
  });

  it("BUFFER: closer than the machine's buffer to another booking, without overlapping it", async () => {
    const m = simple[1];
    await app.db.updateTable("machines").set({ buffer_minutes: 30 }).where("id", "=", m.id).execute();
    const slot = await freeSlot(m.id, "2026-12-14", 180);
    const first = await api("ikm1", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: new Date(slot.startMs + 60 * 60_000).toISOString() });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const right = await api("ikm2", "POST", "/api/v1/bookings", {
      machineId: m.id,
      start: new Date(slot.startMs + 60 * 60_000).toISOString(),
      end: new Date(slot.startMs + 120 * 60_000).toISOString(),
    });
    expect(right.status).toBe(409);
    expect(codes(right)).toEqual(["BUFFER"]);
    // 30 minutes later is clear of the buffer.
    const later = await api("ikm2", "POST", "/api/v1/bookings", {
      machineId: m.id,
      start: new Date(slot.startMs + 90 * 60_000).toISOString(),
      end: new Date(slot.startMs + 150 * 60_000).toISOString(),
    });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
  });

  it("MACHINE_INACTIVE: a machine the admin set to maintenance status", async () => {
    const m = simple[2];
    const slot = await freeSlot(m.id, "2026-12-15", 60);
    const patched = await api("admin", "PATCH", `/api/v1/machines/${m.id}`, { status: "maintenance", confirmAffected: true });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const res = await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end });
    expect(res.status).toBe(409);
    expect(codes(res)).toContain("MACHINE_INACTIVE");
    expect((await api("admin", "PATCH", `/api/v1/machines/${m.id}`, { status: "active", confirmAffected: true })).status).toBe(200);
    expect((await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end })).status).toBe(201);
  });

  it("NOT_QUALIFIED: no member of the IKM holds a valid qualification; one member's qualification is enough", async () => {
    const m = simple[3];
    const ikm2 = await ikmIdOf("ikm2@giliran.test");
    const members = await app.db.selectFrom("users").select("id").where("ikm_id", "=", ikm2).execute();
    await app.db.deleteFrom("qualifications").where("machine_type_id", "=", m.type_id).where("user_id", "in", members.map((u) => u.id)).execute();
    await app.db.updateTable("machines").set({ requires_qualification: 1 }).where("id", "=", m.id).execute();
    const slot = await freeSlot(m.id, "2026-12-16", 60);
    const refused = await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end });
    expect(refused.status).toBe(409);
    expect(codes(refused)).toEqual(["NOT_QUALIFIED"]);
    // Run by the IKM itself only ("self"): no other time on this machine helps.
    expect(refused.body.error.details.alternatives.filter((a: { machineId: number }) => a.machineId === m.id)).toEqual([]);
    // The unit's operator may run it too ("both"): times on this machine are offered, each run by the operator.
    await app.db.updateTable("machines").set({ operator_mode: "both" }).where("id", "=", m.id).execute();
    const offered = await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end });
    const here = offered.body.error.details.alternatives.filter((a: { machineId: number }) => a.machineId === m.id);
    expect(here.length).toBeGreaterThan(0);
    expect(here.every((a: { assisted: boolean }) => a.assisted === true)).toBe(true);
    await app.db.updateTable("machines").set({ operator_mode: "self" }).where("id", "=", m.id).execute();
    // An expired qualification does not count; a valid one of any member does.
    await app.db
      .insertInto("qualifications")
      .values({ user_id: members[0].id, machine_type_id: m.type_id, valid_until: Date.parse(wib("2026-11-30", "00:00")), notes: "kedaluwarsa", created_by: null, created_at: Date.parse(wib("2025-11-30", "00:00")) })
      .execute();
    expect(codes(await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end }))).toEqual(["NOT_QUALIFIED"]);
    await app.db
      .insertInto("qualifications")
      .values({ user_id: members[0].id, machine_type_id: m.type_id, valid_until: Date.parse(wib("2027-12-31", "00:00")), notes: "uji", created_by: null, created_at: Date.parse(wib("2026-11-30", "00:00")) })
      .execute();
    expect((await api("ikm2", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end })).status).toBe(201);
  });

  it("NO_OPERATOR: an assisted booking when every operator on duty is taken at that time", async () => {
    const [a, b] = [simple[4], simple[5]];
    await app.db.updateTable("machines").set({ operator_mode: "assisted" }).where("id", "in", [a.id, b.id]).execute();
    // A time both machines have free.
    let slot = await freeSlot(a.id, "2026-12-17", 60);
    for (let day = 17; day < 24; day++) {
      slot = await freeSlot(a.id, `2026-12-${day}`, 60);
      const other = await freeSlot(b.id, `2026-12-${day}`, 60);
      if (other.start === slot.start) break;
    }
    // Exactly one operator left at that time: those already assisting elsewhere, plus one.
    const busy = await app.db
      .selectFrom("bookings")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("assisted", "=", 1)
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .where("start_at", "<", Date.parse(slot.end))
      .where("end_at", ">", Date.parse(slot.start))
      .executeTakeFirstOrThrow();
    await app.db.updateTable("facility").set({ operators_on_duty: Number(busy.n) + 1 }).execute();
    const first = await api("ikm1", "POST", "/api/v1/bookings", { machineId: a.id, start: slot.start, end: slot.end, assisted: true });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await api("ikm2", "POST", "/api/v1/bookings", { machineId: b.id, start: slot.start, end: slot.end, assisted: true });
    expect(second.status).toBe(409);
    expect(codes(second)).toContain("NO_OPERATOR");
    expect(codes(second)).not.toContain("OVERLAP");
  });

  it("QUOTA_HOURS counts per IKM, not per person: a second member of the same IKM is refused, another IKM is not", async () => {
    const m = simple[0];
    const [ikm1, ikm2] = [await ikmIdOf("ikm1@giliran.test"), await ikmIdOf("ikm2@giliran.test")];
    // The week of Monday 21 December: what each IKM already holds on this machine type.
    const weekStart = Date.parse(wib("2026-12-21", "00:00"));
    const weekEnd = Date.parse(wib("2026-12-28", "00:00"));
    const held = async (ikmId: number) => {
      const rows = await app.db
        .selectFrom("bookings")
        .innerJoin("machines", "machines.id", "bookings.machine_id")
        .select(["bookings.start_at", "bookings.end_at"])
        .where("bookings.ikm_id", "=", ikmId)
        .where("machines.type_id", "=", m.type_id)
        .where("bookings.status", "in", ["pending", "confirmed", "checked_in"])
        .where("bookings.start_at", ">=", weekStart)
        .where("bookings.start_at", "<", weekEnd)
        .execute();
      return rows.reduce((s, r) => s + (Number(r.end_at) - Number(r.start_at)) / 60_000, 0);
    };
    const quota = Math.max(await held(ikm1), await held(ikm2)) + 60;
    await app.db.updateTable("machines").set({ weekly_quota_minutes: quota }).where("type_id", "=", m.type_id).execute();
    // A second member of IKM 1, with a login of its own.
    const first = await app.db.selectFrom("users").selectAll().where("email", "=", "ikm1@giliran.test").executeTakeFirstOrThrow();
    await app.db
      .insertInto("users")
      .values({ name: "Anggota Kedua", email: "ikm1b@giliran.test", phone: null, password_hash: first.password_hash, role: "ikm", ikm_id: ikm1, language: "id", active: 1, calendar_token_hash: null, created_at: first.created_at, updated_at: first.created_at })
      .execute();
    tokens.ikm1b = await app.apiLogin("ikm1b@giliran.test");
    // Fill IKM 1 up to the quota (the first member), then the second member asks for 30 minutes more.
    const need = quota - (await held(ikm1));
    const slot = await freeSlot(m.id, "2026-12-21", need + 30);
    const upTo = await api("ikm1", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: new Date(slot.startMs + need * 60_000).toISOString() });
    expect(upTo.status, JSON.stringify(upTo.body)).toBe(201);
    const more = { machineId: m.id, start: new Date(slot.startMs + need * 60_000).toISOString(), end: new Date(slot.startMs + (need + 30) * 60_000).toISOString() };
    const second = await api("ikm1b", "POST", "/api/v1/bookings", more);
    expect(second.status).toBe(409);
    expect(codes(second)).toEqual(["QUOTA_HOURS"]);
    // Another IKM, with room left, gets the same 30 minutes.
    expect(Date.parse(more.start)).toBeLessThan(weekEnd);
    const other = await api("ikm2", "POST", "/api/v1/bookings", more);
    expect(other.status, JSON.stringify(other.body)).toBe(201);
  });
});
