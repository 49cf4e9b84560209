/** The waitlist through the real app: freed time goes to the fairest fitting entry; offers expire and pass on. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW_ISO } from "../support/constants";

let app: TestApp;
const tokens: Record<string, string> = {};

async function api(who: string, method: string, path: string, body?: unknown) {
  const res = await app.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[who]}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ikmOf(email: string) {
  return (await app.db.selectFrom("users").select("ikm_id").where("email", "=", email).executeTakeFirstOrThrow()).ikm_id as number;
}

/** An independent measure of fair priority: minutes actually used on the type in the 30 days before now. */
async function recentMinutes(ikmId: number, typeId: number) {
  const now = Date.parse(TEST_NOW_ISO);
  const from = now - 30 * 86_400_000;
  const rows = await app.db
    .selectFrom("usage_records as u")
    .innerJoin("bookings as b", "b.id", "u.booking_id")
    .innerJoin("machines as m", "m.id", "b.machine_id")
    .select(["u.actual_start", "u.actual_end"])
    .where("b.ikm_id", "=", ikmId)
    .where("m.type_id", "=", typeId)
    .where("b.status", "in", ["completed", "checked_in"])
    .execute();
  let minutes = 0;
  for (const r of rows) {
    const end = Math.min(r.actual_end === null ? now : Number(r.actual_end), now);
    minutes += Math.max(0, Math.round((end - Math.max(Number(r.actual_start), from)) / 60_000));
  }
  return minutes;
}

let machine: { id: number; typeId: number };
let slot: { start: string; end: string };
let holderBooking: number;

beforeAll(async () => {
  app = await loadApp();
  for (const who of ["ikm1", "ikm2", "ikm3", "ikm6"]) tokens[who] = await app.apiLogin(`${who}@giliran.test`);
  // ikm3 and ikm6 start with full quotas in the demo: free one booking each so they may book.
  for (const who of ["ikm3", "ikm6"]) {
    const own = (await api(who, "GET", "/api/v1/bookings?status=confirmed")).body.bookings;
    for (const b of own.slice(0, 3)) await api(who, "POST", `/api/v1/bookings/${b.id}/cancel`, {});
  }
  const machines = (await api("ikm1", "GET", "/api/v1/machines")).body.machines;
  const m = machines.find((x: any) => x.status === "active" && !x.requiresQualification && !x.requiresApproval && x.operatorMode === "self" && x.allocationMode === "first_come" && x.bufferMinutes === 0);
  machine = { id: m.id, typeId: m.type.id };
  const from = Date.parse("2026-12-08T00:00:00+07:00");
  const q = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 7 * 86_400_000).toISOString())}`;
  const free = (await api("ikm1", "GET", `/api/v1/machines/${m.id}/availability?${q}`)).body.free.find((f: any) => Date.parse(f.end) - Date.parse(f.start) >= 2 * 3_600_000);
  slot = { start: free.start, end: new Date(Date.parse(free.start) + 2 * 3_600_000).toISOString() };
  const held = await api("ikm1", "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end, purpose: "pesanan" });
  expect(held.status).toBe(201);
  holderBooking = held.body.booking.id;
});

describe("waitlist", () => {
  it("a cancellation offers the slot to the fitting entry with the least recent use, as a pending booking, and tells the IKM", async () => {
    const window = { earliestStart: new Date(Date.parse(slot.start) - 3_600_000).toISOString(), latestEnd: new Date(Date.parse(slot.end) + 3_600_000).toISOString() };
    // Both want 2 h on this machine in a window around the taken slot; ikm3 joins first.
    const a = await api("ikm3", "POST", "/api/v1/waitlist", { machineId: machine.id, ...window, durationMinutes: 120, purpose: "A" });
    const b = await api("ikm6", "POST", "/api/v1/waitlist", { machineId: machine.id, ...window, durationMinutes: 120, purpose: "B" });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    // Nothing is offered while the slot is taken.
    expect((await api("ikm3", "GET", "/api/v1/waitlist")).body.entries[0].status).toBe("waiting");

    const [r3, r4] = [await recentMinutes(await ikmOf("ikm3@giliran.test"), machine.typeId), await recentMinutes(await ikmOf("ikm6@giliran.test"), machine.typeId)];
    const expected = r4 < r3 ? "ikm6" : "ikm3"; // tie → the earlier request (ikm3)
    const other = expected === "ikm3" ? "ikm6" : "ikm3";

    expect((await api("ikm1", "POST", `/api/v1/bookings/${holderBooking}/cancel`, {})).status).toBe(200);

    const mine = (await api(expected, "GET", "/api/v1/waitlist")).body.entries[0];
    expect(mine.status).toBe("offered");
    const offered = await app.db.selectFrom("bookings").selectAll().where("id", "=", mine.offeredBookingId).executeTakeFirstOrThrow();
    expect(offered.status).toBe("pending");
    expect(offered.source).toBe("waitlist");
    expect(Number(offered.start_at)).toBe(Date.parse(slot.start));
    // The offer lapses after 2 h (the facility default), before the slot starts.
    expect(Date.parse(mine.offerExpiresAt)).toBe(Date.parse(TEST_NOW_ISO) + 120 * 60_000);
    const notes = await app.db.selectFrom("notifications").select(["id", "kind", "user_id"]).where("booking_id", "=", offered.id).execute();
    expect(notes.map((n) => n.kind)).toContain("waitlist_offer");
    // Opening the offer's notification leads to the waitlist page, where it is accepted or declined.
    const cookie = await app.login(`${expected}@giliran.test`);
    const me = await app.db.selectFrom("users").select("id").where("email", "=", `${expected}@giliran.test`).executeTakeFirstOrThrow();
    const offerNote = notes.find((n) => n.kind === "waitlist_offer" && n.user_id === me.id);
    expect(offerNote).toBeDefined();
    const open = await app.fetch("/notifikasi", { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams({ intent: "open", id: String(offerNote?.id) }) });
    expect(open.headers.get("Location")).toBe("/daftar-tunggu");
    const page = await (await app.fetch("/daftar-tunggu", { headers: { Cookie: cookie } })).text();
    expect(page).toContain("Terima slot");
    expect((await api(other, "GET", "/api/v1/waitlist")).body.entries[0].status).toBe("waiting");
    // Another IKM cannot act on the entry (404).
    expect((await api(other, "POST", `/api/v1/waitlist/${mine.id}/accept`)).status).toBe(404);
    // Staff see the ranking and the reason.
    tokens.tech = await app.apiLogin("teknisi@giliran.test");
    const ranking = (await api("tech", "GET", "/api/v1/waitlist")).body.ranking;
    const group = ranking.find((g: any) => g.machineTypeId === machine.typeId);
    expect(group.entries[0].ikmId).toBe(await ikmOf(`${expected}@giliran.test`));
    expect(["LEAST_RECENT_USE", "EARLIER_REQUEST"]).toContain(group.entries[0].reason.code);
  });

  it("an offer not accepted in time expires and passes to the next entry; accepting confirms it", async () => {
    const ours = [await ikmOf("ikm3@giliran.test"), await ikmOf("ikm6@giliran.test")];
    const entries = await app.db.selectFrom("waitlist_entries").selectAll().where("machine_id", "=", machine.id).where("ikm_id", "in", ours).where("status", "in", ["offered", "waiting"]).execute();
    expect(entries).toHaveLength(2);
    const offeredEntry = entries.find((e) => e.status === "offered")!;
    const waitingEntry = entries.find((e) => e.status === "waiting")!;
    app.setNow(new Date(Number(offeredEntry.offer_expires_at) + 60_000).toISOString());
    try {
      await app.runJobs();
      const lapsed = await app.db.selectFrom("waitlist_entries").selectAll().where("id", "=", offeredEntry.id).executeTakeFirstOrThrow();
      expect(lapsed.status).toBe("expired");
      const released = await app.db.selectFrom("bookings").select("status").where("id", "=", offeredEntry.offered_booking_id!).executeTakeFirstOrThrow();
      expect(released.status).toBe("cancelled");
      const next = await app.db.selectFrom("waitlist_entries").selectAll().where("id", "=", waitingEntry.id).executeTakeFirstOrThrow();
      expect(next.status).toBe("offered");
      const who = next.ikm_id === (await ikmOf("ikm3@giliran.test")) ? "ikm3" : "ikm6";
      const accepted = await api(who, "POST", `/api/v1/waitlist/${next.id}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe("confirmed");
      const entry = await app.db.selectFrom("waitlist_entries").select("status").where("id", "=", next.id).executeTakeFirstOrThrow();
      expect(entry.status).toBe("booked");
      // Accepting twice is refused.
      expect((await api(who, "POST", `/api/v1/waitlist/${next.id}/accept`)).status).toBe(409);
    } finally {
      app.setNow(TEST_NOW_ISO);
    }
  });

  it("a declined offer passes on at once", async () => {
    const from = Date.parse("2026-12-15T00:00:00+07:00");
    const q = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 7 * 86_400_000).toISOString())}`;
    const free = (await api("ikm1", "GET", `/api/v1/machines/${machine.id}/availability?${q}`)).body.free.find((f: any) => Date.parse(f.end) - Date.parse(f.start) >= 3_600_000);
    const s2 = { start: free.start, end: new Date(Date.parse(free.start) + 3_600_000).toISOString() };
    const held = await api("ikm1", "POST", "/api/v1/bookings", { machineId: machine.id, ...s2 });
    expect(held.status).toBe(201);
    const window = { earliestStart: s2.start, latestEnd: s2.end, durationMinutes: 60 };
    const first = await api("ikm2", "POST", "/api/v1/waitlist", { machineId: machine.id, ...window });
    const second = await api("ikm3", "POST", "/api/v1/waitlist", { machineTypeId: machine.typeId, ...window });
    expect([first.status, second.status]).toEqual([201, 201]);
    await api("ikm1", "POST", `/api/v1/bookings/${held.body.booking.id}/cancel`, {});
    const entries = await app.db.selectFrom("waitlist_entries").selectAll().where("id", "in", [first.body.entry.id, second.body.entry.id]).execute();
    const offered = entries.find((e) => e.status === "offered")!;
    const waiting = entries.find((e) => e.status === "waiting")!;
    expect(offered).toBeDefined();
    expect(waiting).toBeDefined();
    const who = offered.id === first.body.entry.id ? "ikm2" : "ikm3";
    expect((await api(who, "POST", `/api/v1/waitlist/${offered.id}/decline`)).status).toBe(200);
    const after = await app.db.selectFrom("waitlist_entries").select(["id", "status"]).where("id", "in", [offered.id, waiting.id]).execute();
    expect(Object.fromEntries(after.map((e) => [e.id, e.status]))).toEqual({ [offered.id]: "withdrawn", [waiting.id]: "offered" });
  });

  it("bad input is a 400 naming the field; staff cannot join", async () => {
    const bad = await api("ikm2", "POST", "/api/v1/waitlist", { machineId: machine.id, earliestStart: "2026-12-20T08:00:00", latestEnd: "2026-12-20T09:00:00+07:00", durationMinutes: 10 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: any) => f.field)).toEqual(expect.arrayContaining(["earliestStart", "durationMinutes"]));
    const tech = await api("tech", "POST", "/api/v1/waitlist", { machineId: machine.id, earliestStart: "2026-12-20T08:00:00+07:00", latestEnd: "2026-12-20T12:00:00+07:00", durationMinutes: 60 });
    expect(tech.status).toBe(403);
  });
});
