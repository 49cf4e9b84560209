/**
 * Maintenance over existing bookings: the affected bookings with the engine's best alternative,
 * staff confirm, and in one transaction the window is written and each booking is moved or
 * cancelled, its IKM told, all audited; the JSON API's create → resolve; ending early frees time.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW_ISO } from "../support/constants";
import { type Floor, api, auditOf, book, floorSetup, ikmWithMember, machineByCode, notificationsOf, page, post, textOf, wib } from "./floor-helpers";

let f: Floor;
const HOLDING = ["pending", "confirmed", "checked_in"];

beforeAll(async () => {
  f = await floorSetup();
});
beforeEach(() => f.app.setNow(TEST_NOW_ISO));

function dates(from: number, to: number): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d++) out.push(`2026-12-${String(d).padStart(2, "0")}`);
  return out;
}

async function holdingOn(machineId: number, date: string) {
  return f.app.db
    .selectFrom("bookings")
    .selectAll()
    .where("machine_id", "=", machineId)
    .where("status", "in", HOLDING)
    .where("start_at", ">=", Date.parse(wib(date, "00:00")))
    .where("start_at", "<", Date.parse(wib(date, "23:59")))
    .orderBy("start_at")
    .execute();
}

/** The radio choices of a maintenance form: booking id → {checked value, all values}. */
function choicesOf(html: string) {
  const out = new Map<number, { checked: string | null; values: string[] }>();
  for (const [tag] of html.matchAll(/<input type="radio" name="choice-\d+"[^>]*>/g)) {
    const id = Number(/name="choice-(\d+)"/.exec(tag)?.[1]);
    const value = /value="([^"]+)"/.exec(tag)?.[1] ?? "";
    const entry = out.get(id) ?? { checked: null, values: [] };
    entry.values.push(value);
    if (/\schecked=""/.test(tag)) entry.checked = value;
    out.set(id, entry);
  }
  return out;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }) {
  return a.start < b.end && b.start < a.end;
}

describe("planning maintenance over bookings (pages)", () => {
  let machineId: number;
  let day: string;
  let affected: Awaited<ReturnType<typeof holdingOn>>;
  let html: string;
  const reason = "Ganti oli hidrolik dan seal";

  it("first shows the affected bookings, each with its best alternative, and writes nothing", async () => {
    const prs = await machineByCode(f.app, "PRS-01");
    machineId = prs.id;
    for (const d of dates(2, 18)) {
      const rows = await holdingOn(prs.id, d);
      if (rows.length >= 2 && new Set(rows.map((r) => r.ikm_id)).size >= 2) {
        day = d;
        affected = rows;
        break;
      }
    }
    expect(day).toBeDefined();
    const windowsBefore = (await f.app.db.selectFrom("maintenance_windows").select("id").execute()).length;
    const res = await post(f.app, f.techCookie, "/teknisi/perawatan?index", { intent: "preview", machineId, kind: "planned", start: `${day}T07:30`, end: `${day}T16:30`, reason });
    expect(res.status).toBe(200);
    html = await res.text();
    const text = textOf(html);
    expect(text).toContain(`${affected.length} pemesanan terdampak`);
    const names = await f.app.db.selectFrom("ikms").select(["id", "name"]).where("id", "in", affected.map((a) => a.ikm_id)).execute();
    for (const n of names) expect(text).toContain(n.name);
    expect(text).toContain("Pindah ke");
    const choices = choicesOf(html);
    expect([...choices.keys()].sort()).toEqual(affected.map((a) => a.id).sort());
    // The proposals are distinct, outside the window, and never collide with each other.
    const window = { start: Date.parse(wib(day, "07:30")), end: Date.parse(wib(day, "16:30")) };
    const targets = [...choices.values()].filter((c) => c.checked?.startsWith("move|")).map((c) => c.checked!.split("|").map(Number));
    // At least two proposals, so the pairwise check below runs (no loop over an empty list).
    expect(targets.length).toBeGreaterThan(1);
    for (const [, m, s, e] of targets) expect(m !== machineId || !overlaps({ start: s, end: e }, window), `proposal ${m} ${s}–${e}`).toBe(true);
    for (let i = 0; i < targets.length; i++)
      for (let j = i + 1; j < targets.length; j++)
        expect(targets[i][1] !== targets[j][1] || !overlaps({ start: targets[i][2], end: targets[i][3] }, { start: targets[j][2], end: targets[j][3] })).toBe(true);
    expect((await f.app.db.selectFrom("maintenance_windows").select("id").execute()).length).toBe(windowsBefore);
    for (const a of affected) {
      const now = await f.app.db.selectFrom("bookings").select(["machine_id", "start_at", "status"]).where("id", "=", a.id).executeTakeFirstOrThrow();
      expect(now).toEqual({ machine_id: a.machine_id, start_at: a.start_at, status: a.status });
    }
  });

  it("confirming writes the window and moves or cancels each booking in one go, telling each IKM", async () => {
    const choices = choicesOf(html);
    const fields: Record<string, string | number> = { intent: "confirm", machineId, kind: "planned", start: `${day}T07:30`, end: `${day}T16:30`, reason };
    const ids = affected.map((a) => a.id);
    const cancelled = ids[ids.length - 1];
    for (const id of ids) fields[`choice-${id}`] = id === cancelled ? "cancel" : (choices.get(id)?.checked ?? "cancel");
    const res = await post(f.app, f.techCookie, "/teknisi/perawatan?index", fields);
    expect(res.status).toBe(302);
    const location = res.headers.get("Location") ?? "";
    const windowId = Number(/\/teknisi\/perawatan\/(\d+)\?ok=created/.exec(location)?.[1]);
    const w = await f.app.db.selectFrom("maintenance_windows").selectAll().where("id", "=", windowId).executeTakeFirstOrThrow();
    expect(w).toMatchObject({ machine_id: machineId, kind: "planned", reason, start_at: Date.parse(wib(day, "07:30")), end_at: Date.parse(wib(day, "16:30")) });
    expect((await auditOf(f.app, "maintenance_window", windowId, "maintenance.create")).length).toBe(1);

    const seen = { cancel: 0, move: 0 };
    for (const a of affected) {
      const b = await f.app.db.selectFrom("bookings").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
      const chosen = fields[`choice-${a.id}`] as string;
      seen[chosen === "cancel" ? "cancel" : "move"]++;
      if (chosen === "cancel") {
        expect(b.status).toBe("cancelled");
        expect(b.status_reason).toContain(reason);
        expect(b.late_cancel).toBe(0);
        const told = await notificationsOf(f.app, a.ikm_id, "booking_cancelled", a.id);
        expect(told.length).toBeGreaterThan(0);
        expect(JSON.parse(told[0].params_json).reason).toContain(reason);
      } else {
        const [, m, s, e] = chosen.split("|").map(Number);
        expect({ machine: b.machine_id, start: Number(b.start_at), end: Number(b.end_at), status: b.status }).toEqual({ machine: m, start: s, end: e, status: a.status });
        const told = await notificationsOf(f.app, a.ikm_id, "booking_moved", a.id);
        expect(told.length).toBeGreaterThan(0);
        expect(JSON.parse(told[0].params_json)).toMatchObject({ start: s, end: e, oldStart: Number(a.start_at) });
        const [move] = await auditOf(f.app, "booking", a.id, "booking.move");
        expect(move.reason).toContain(`maintenance #${windowId}`);
        expect(JSON.parse(move.before_json ?? "{}").start_at).toBe(Number(a.start_at));
      }
    }
    // Both kinds of decision were checked, not only one of them.
    expect(seen.cancel).toBeGreaterThan(0);
    expect(seen.move).toBeGreaterThan(0);
    const detail = textOf(await (await page(f.app, f.techCookie, `/teknisi/perawatan/${windowId}?ok=created`)).text());
    expect(detail).toContain("Sudah ditangani");
    expect(detail).toContain("Dipindah");
    expect(detail).toContain("Dibatalkan");
    expect(detail).toContain("Tidak ada pemesanan yang masih terdampak.");
    // No slot-holding booking of the machine is left inside the window.
    expect((await holdingOn(machineId, day)).length).toBe(0);
  });

  it("a chosen move whose target was taken meanwhile is refused, and nothing is written", async () => {
    const wld = await machineByCode(f.app, "WLD-01");
    let d2: string | undefined;
    let rows: Awaited<ReturnType<typeof holdingOn>> = [];
    for (const d of dates(2, 20)) {
      rows = (await holdingOn(wld.id, d)).filter((r) => r.status !== "checked_in");
      if (rows.length >= 1) {
        d2 = d;
        break;
      }
    }
    expect(d2).toBeDefined();
    const plan = { machineId: wld.id, kind: "planned", start: `${d2}T07:30`, end: `${d2}T16:30`, reason: "Kalibrasi arus las" };
    const preview = await post(f.app, f.techCookie, "/teknisi/perawatan?index", { intent: "preview", ...plan });
    const choices = choicesOf(await preview.text());
    const target = choices.get(rows[0].id)?.values.find((v) => v.startsWith("move|"));
    expect(target).toBeDefined();
    const [, m, s, e] = target!.split("|").map(Number);
    // Someone books exactly the proposed slot in the meantime.
    const other = await ikmWithMember(f.app, [rows[0].ikm_id]);
    await book(f, { machineId: m, ikmId: other.id, start: new Date(s).toISOString(), end: new Date(e).toISOString() });
    const windowsBefore = (await f.app.db.selectFrom("maintenance_windows").select("id").execute()).length;
    const fields: Record<string, string | number> = { intent: "confirm", ...plan };
    for (const [id, c] of choices) fields[`choice-${id}`] = id === rows[0].id ? target! : (c.checked ?? "cancel");
    const res = await post(f.app, f.techCookie, "/teknisi/perawatan?index", fields);
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain("Jadwal berubah sejak usulan dibuat");
    expect((await f.app.db.selectFrom("maintenance_windows").select("id").execute()).length).toBe(windowsBefore);
    const still = await f.app.db.selectFrom("bookings").select(["status", "start_at"]).where("id", "=", rows[0].id).executeTakeFirstOrThrow();
    expect(still).toEqual({ status: rows[0].status, start_at: rows[0].start_at });
  });
});

describe("the maintenance JSON API", () => {
  it("POST /machines/:id/maintenance writes the window and proposes; /resolve applies the proposals", async () => {
    const bnd = await machineByCode(f.app, "BND-01");
    let day: string | undefined;
    let rows: Awaited<ReturnType<typeof holdingOn>> = [];
    for (const d of dates(2, 20)) {
      rows = await holdingOn(bnd.id, d);
      if (rows.length >= 2) {
        day = d;
        break;
      }
    }
    expect(day).toBeDefined();
    const bad = await api(f.app, f.tech, "POST", `/api/v1/machines/${bnd.id}/maintenance`, { start: wib(day!, "16:00"), end: wib(day!, "08:00"), reason: "x" });
    expect(bad.status).toBe(400);
    const noReason = await api(f.app, f.tech, "POST", `/api/v1/machines/${bnd.id}/maintenance`, { start: wib(day!, "08:00"), end: wib(day!, "16:00"), reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.fields[0].field).toBe("reason");

    const res = await api(f.app, f.tech, "POST", `/api/v1/machines/${bnd.id}/maintenance`, { start: wib(day!, "07:30"), end: wib(day!, "16:30"), reason: "Servis pompa hidrolik" });
    expect(res.status).toBe(201);
    expect(res.body.window).toMatchObject({ machineId: bnd.id, kind: "planned", reason: "Servis pompa hidrolik", end: new Date(Date.parse(wib(day!, "16:30"))).toISOString() });
    expect(res.body.affected.map((a: { booking: { id: number } }) => a.booking.id)).toEqual(rows.map((r) => r.id));
    for (const a of res.body.affected) {
      expect(a.movable).toBe(true);
      expect(["move", "cancel"]).toContain(a.proposal.action);
      expect(a.booking.ikmName).toBeDefined();
    }
    // The window blocks new bookings right away; the affected ones stay until resolved.
    const blocked = await api(f.app, f.tech, "POST", "/api/v1/bookings", { machineId: bnd.id, ikmId: rows[0].ikm_id, start: wib(day!, "12:30"), end: wib(day!, "13:00"), overrideReason: "uji" });
    expect(blocked.status === 409 && blocked.body.error.details.violations.some((v: { code: string }) => v.code === "MAINTENANCE")).toBe(true);

    const resolved = await api(f.app, f.tech, "POST", `/api/v1/maintenance/${res.body.window.id}/resolve`, {});
    expect(resolved.status).toBe(200);
    expect(resolved.body.results.length).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    let moved = 0;
    for (const [i, r] of resolved.body.results.entries()) {
      const proposal = res.body.affected[i].proposal;
      if (proposal.action === "move") {
        moved++;
        expect(r.action).toBe("moved");
        expect(r.to).toMatchObject({ machineId: proposal.machineId, start: proposal.start, end: proposal.end });
        expect(r.booking).toMatchObject({ machineId: proposal.machineId, start: proposal.start, end: proposal.end });
        expect((await notificationsOf(f.app, r.booking.ikmId, "booking_moved", r.booking.id)).length).toBeGreaterThan(0);
      } else {
        expect(r.action).toBe("cancelled");
        expect(r.booking.status).toBe("cancelled");
        expect((await notificationsOf(f.app, r.booking.ikmId, "booking_cancelled", r.booking.id)).length).toBeGreaterThan(0);
      }
    }
    // The proposals moved at least one booking (so the move branch above ran).
    expect(moved).toBeGreaterThan(0);
    expect((await holdingOn(bnd.id, day!)).length).toBe(0);
    const again = await api(f.app, f.tech, "POST", `/api/v1/maintenance/${res.body.window.id}/resolve`, { decisions: [{ bookingId: rows[0].id, action: "cancel" }] });
    expect(again.status).toBe(400);
  });
});

describe("ending maintenance early frees the time", () => {
  it("the freed time is offered to the waitlist and can be booked again", async () => {
    // A machine with the default 2-hour notice, so the freed afternoon can still be offered.
    const wld = await machineByCode(f.app, "WLD-02");
    let day: string | undefined;
    for (const d of dates(7, 24)) {
      const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      if ((await holdingOn(wld.id, d)).length === 0) {
        day = d;
        break;
      }
    }
    expect(day).toBeDefined();
    const created = await api(f.app, f.tech, "POST", `/api/v1/machines/${wld.id}/maintenance`, { start: wib(day!, "07:30"), end: wib(day!, "16:00"), reason: "Ganti nozzle" });
    expect(created.status).toBe(201);
    expect(created.body.affected).toEqual([]);
    const windowId = created.body.window.id;

    // An IKM waits for the machine that afternoon.
    const ikm = await ikmWithMember(f.app);
    const member = await f.app.apiLogin(ikm.email ?? "");
    const join = await api(f.app, member, "POST", "/api/v1/waitlist", { machineId: wld.id, earliestStart: wib(day!, "13:00"), latestEnd: wib(day!, "16:00"), durationMinutes: 60, purpose: "Sandblast rangka" });
    expect(join.status).toBe(201);
    const before = await api(f.app, f.tech, "POST", "/api/v1/bookings", { machineId: wld.id, ikmId: ikm.id, start: wib(day!, "14:30"), end: wib(day!, "15:30"), overrideReason: "uji" });
    expect(before.status).toBe(409);

    f.app.setNow(wib(day!, "10:00"));
    const ended = await api(f.app, f.tech, "POST", `/api/v1/maintenance/${windowId}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body.window.end).toBe(new Date(Date.parse(wib(day!, "10:00"))).toISOString());
    expect(ended.body.freed).toEqual({ start: new Date(Date.parse(wib(day!, "10:00"))).toISOString(), end: new Date(Date.parse(wib(day!, "16:00"))).toISOString() });
    const w = await f.app.db.selectFrom("maintenance_windows").selectAll().where("id", "=", windowId).executeTakeFirstOrThrow();
    expect(Number(w.resolved_at)).toBe(Date.parse(wib(day!, "10:00")));
    expect((await auditOf(f.app, "maintenance_window", windowId, "maintenance.end")).length).toBe(1);
    const entry = await f.app.db.selectFrom("waitlist_entries").selectAll().where("id", "=", join.body.entry?.id ?? join.body.id).executeTakeFirstOrThrow();
    expect(entry.status).toBe("offered");
    const offer = await f.app.db.selectFrom("bookings").selectAll().where("id", "=", entry.offered_booking_id!).executeTakeFirstOrThrow();
    expect({ machine: offer.machine_id, status: offer.status, source: offer.source }).toEqual({ machine: wld.id, status: "pending", source: "waitlist" });
    expect(Number(offer.start_at)).toBeGreaterThanOrEqual(Date.parse(wib(day!, "13:00")));
    const after = await api(f.app, f.tech, "POST", "/api/v1/bookings", { machineId: wld.id, ikmId: ikm.id, start: wib(day!, "15:00"), end: wib(day!, "16:00"), overrideReason: "uji" });
    expect(after.status).toBe(201);
    expect((await api(f.app, f.tech, "POST", `/api/v1/maintenance/${windowId}/end`, {})).status).toBe(409);
  });

  it("a breakdown is closed from the maintenance page, and a window not started yet is called off", async () => {
    const prs = await machineByCode(f.app, "PRS-02");
    const open = await api(f.app, f.tech, "POST", `/api/v1/machines/${prs.id}/maintenance`, { start: TEST_NOW_ISO, reason: "Pompa tidak menyala" });
    expect(open.status).toBe(201);
    expect(open.body.window).toMatchObject({ kind: "breakdown", end: null });
    const list = textOf(await (await page(f.app, f.techCookie, "/teknisi/perawatan")).text());
    expect(list).toContain("Pompa tidak menyala");
    f.app.setNow("2026-12-01T11:15:00+07:00");
    const res = await post(f.app, f.techCookie, "/teknisi/perawatan?index", { intent: "end", windowId: open.body.window.id });
    expect(res.status).toBe(302);
    const w = await f.app.db.selectFrom("maintenance_windows").selectAll().where("id", "=", open.body.window.id).executeTakeFirstOrThrow();
    expect(Number(w.end_at)).toBe(Date.parse("2026-12-01T11:15:00+07:00"));
    expect(Number(w.resolved_at)).toBe(Date.parse("2026-12-01T11:15:00+07:00"));

    const later = await api(f.app, f.tech, "POST", `/api/v1/machines/${prs.id}/maintenance`, { start: wib("2026-12-31", "07:30"), end: wib("2026-12-31", "09:00"), reason: "Cek tekanan" });
    expect(later.status).toBe(201);
    const off = await post(f.app, f.techCookie, `/teknisi/perawatan/${later.body.window.id}`, { intent: "end" });
    expect(off.status).toBe(302);
    expect(off.headers.get("Location")).toBe("/teknisi/perawatan?ok=ended");
    expect(await f.app.db.selectFrom("maintenance_windows").select("id").where("id", "=", later.body.window.id).executeTakeFirst()).toBeUndefined();
    const [cancel] = await auditOf(f.app, "maintenance_window", later.body.window.id, "maintenance.cancel");
    expect(JSON.parse(cancel.before_json ?? "{}").reason).toBe("Cek tekanan");
  });
});
