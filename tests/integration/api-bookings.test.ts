/** The booking engine through the real API: decisions, refusals with alternatives, visibility, lifecycle. */
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";

let app: TestApp;
let ikm1: string;
let ikm2: string;
let tech: string;

async function api(token: string | null, method: string, path: string, body?: unknown) {
  const res = await app.fetch(path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A machine any IKM may book alone (no approval, no qualification, first come). */
async function simpleMachine() {
  const { body } = await api(ikm2, "GET", "/api/v1/machines");
  return body.machines.find(
    (m: any) => m.status === "active" && !m.requiresQualification && !m.requiresApproval && m.operatorMode === "self" && m.allocationMode === "first_come" && m.bufferMinutes === 0,
  );
}

async function firstFree(machineId: number, fromIso: string, minutes: number) {
  const from = Date.parse(fromIso);
  const q = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 10 * 86_400_000).toISOString())}`;
  const { body } = await api(ikm2, "GET", `/api/v1/machines/${machineId}/availability?${q}`);
  const f = body.free.find((x: any) => Date.parse(x.end) - Date.parse(x.start) >= minutes * 60_000);
  return { start: f.start as string, end: new Date(Date.parse(f.start) + minutes * 60_000).toISOString() };
}

beforeAll(async () => {
  app = await loadApp();
  [ikm1, ikm2, tech] = await Promise.all([app.apiLogin("ikm1@giliran.test"), app.apiLogin("ikm2@giliran.test"), app.apiLogin("teknisi@giliran.test")]);
});

describe("POST /api/v1/bookings", () => {
  it("books a free slot: 201 with the booking in UTC and the fee estimate", async () => {
    const m = await simpleMachine();
    const slot = await firstFree(m.id, "2026-12-07T00:00:00+07:00", 60);
    const res = await api(ikm2, "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end, purpose: "Press dudukan knalpot" });
    expect(res.status).toBe(201);
    expect(res.body.booking.status).toBe("confirmed");
    expect(res.body.booking.start).toBe(new Date(slot.start).toISOString());
    expect(res.body.booking.start.endsWith("Z")).toBe(true);
    expect(res.body.feeEstimate).toBe(m.hourlyRate);
    const audit = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "booking").where("entity_id", "=", String(res.body.booking.id)).execute();
    expect(audit.map((a) => a.action)).toContain("booking.create");
  });

  it("refuses an occupied slot with every reason and alternatives that are themselves bookable", async () => {
    const m = await simpleMachine();
    const slot = await firstFree(m.id, "2026-12-08T00:00:00+07:00", 60);
    expect((await api(ikm1, "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end })).status).toBe(201);
    // Same slot, plus misaligned end: two violations at once.
    const misalignedEnd = new Date(Date.parse(slot.end) + 10 * 60_000).toISOString();
    const res = await api(ikm2, "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: misalignedEnd });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("booking_rejected");
    const codes = res.body.error.details.violations.map((v: any) => v.code);
    expect(codes).toEqual(expect.arrayContaining(["OVERLAP", "MISALIGNED"]));
    const overlap = res.body.error.details.violations.find((v: any) => v.code === "OVERLAP");
    expect(overlap.message).toMatch(/^Mesin sudah dipesan \d{2}\.\d{2}–\d{2}\.\d{2} WIB\.$/);
    // An IKM never learns the other IKM's booking id or name.
    expect(overlap.conflict.id).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain("ikmName");
    const alternatives = res.body.error.details.alternatives;
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.length).toBeLessThanOrEqual(5);
    // The nearest alternative is bookable as offered.
    const alt = alternatives[0];
    const booked = await api(ikm2, "POST", "/api/v1/bookings", { machineId: alt.machineId, start: alt.start, end: alt.end });
    expect(booked.status).toBe(201);
    // The refusal was recorded as an attempt (unmet demand).
    const attempts = await app.db.selectFrom("booking_attempts").selectAll().where("start_at", "=", Date.parse(slot.start)).execute();
    expect(attempts.some((a) => a.codes.includes("OVERLAP"))).toBe(true);
  });

  it("staff see the conflicting booking's id; an IKM does not", async () => {
    const m = await simpleMachine();
    const slot = await firstFree(m.id, "2026-12-11T00:00:00+07:00", 60);
    const first = await api(ikm1, "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end });
    expect(first.status).toBe(201);
    const ikm2Id = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", "ikm2@giliran.test").executeTakeFirstOrThrow()).ikm_id;
    const staff = await api(tech, "POST", "/api/v1/bookings", { machineId: m.id, start: slot.start, end: slot.end, ikmId: ikm2Id });
    expect(staff.status).toBe(409);
    const overlap = staff.body.error.details.violations.find((v: any) => v.code === "OVERLAP");
    expect(overlap.conflict.id).toBe(first.body.booking.id);
  });

  it("staff override soft rules only with a recorded reason; hard rules and IKM members never", async () => {
    const m = await simpleMachine();
    const ikm2Id = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", "ikm2@giliran.test").executeTakeFirstOrThrow()).ikm_id;
    // 5 January 2027 is beyond the 30-day horizon (TOO_FAR, soft).
    const far = { machineId: m.id, start: "2027-01-05T08:00:00+07:00", end: "2027-01-05T09:00:00+07:00", ikmId: ikm2Id, purpose: "pesanan besar" };
    const noReason = await api(tech, "POST", "/api/v1/bookings", far);
    expect(noReason.status).toBe(409);
    expect(noReason.body.error.details.violations.map((v: any) => v.code)).toEqual(["TOO_FAR"]);
    expect(noReason.body.error.details.violations[0].overridable).toBe(true);
    const withReason = await api(tech, "POST", "/api/v1/bookings", { ...far, overrideReason: "Pesanan dinas perindustrian" });
    expect(withReason.status).toBe(201);
    expect(withReason.body.overridden).toEqual(["TOO_FAR"]);
    const row = await app.db.selectFrom("bookings").select("override_reason").where("id", "=", withReason.body.booking.id).executeTakeFirstOrThrow();
    expect(row.override_reason).toBe("Pesanan dinas perindustrian");
    // A hard rule (outside hours: 17.00) is not overridable, even by staff with a reason.
    const late = await api(tech, "POST", "/api/v1/bookings", { ...far, start: "2027-01-05T16:00:00+07:00", end: "2027-01-05T17:00:00+07:00", overrideReason: "lembur" });
    expect(late.status).toBe(409);
    expect(late.body.error.details.violations.map((v: any) => v.code)).toContain("OUTSIDE_HOURS");
    // An IKM member's override reason is ignored.
    const { ikmId: _ignored, ...own } = far;
    const ikmTry = await api(ikm2, "POST", "/api/v1/bookings", { ...own, start: "2027-01-06T08:00:00+07:00", end: "2027-01-06T09:00:00+07:00", overrideReason: "tolong" });
    expect(ikmTry.status).toBe(409);
    expect(ikmTry.body.error.details.violations.map((v: any) => v.code)).toContain("TOO_FAR");
  });

  it("a request for an instant without an offset is a 400 naming the field", async () => {
    const res = await api(ikm2, "POST", "/api/v1/bookings", { machineId: 1, start: "2026-12-08T08:00:00", end: "2026-12-08T09:00:00+07:00" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.details.fields.map((f: any) => f.field)).toEqual(["start"]);
  });

  it("unknown fields, wrong types and malformed JSON are 400s; no token is 401", async () => {
    expect((await api(ikm2, "POST", "/api/v1/bookings", { machineId: "satu", start: 5, end: null, bogus: 1 })).status).toBe(400);
    const bad = await app.fetch("/api/v1/bookings", { method: "POST", headers: { Authorization: `Bearer ${ikm2}`, "Content-Type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_json");
    const anon = await api(null, "POST", "/api/v1/bookings", {});
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe("unauthorized");
  });

  it("an unknown machine is 404", async () => {
    const res = await api(ikm2, "POST", "/api/v1/bookings", { machineId: 99999, start: "2026-12-08T08:00:00+07:00", end: "2026-12-08T09:00:00+07:00" });
    expect(res.status).toBe(404);
  });
});

describe("visibility and lifecycle", () => {
  it("an IKM sees its own bookings only; another IKM's booking is a 404", async () => {
    const own = await api(ikm1, "GET", "/api/v1/bookings");
    const ikm1Id = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", "ikm1@giliran.test").executeTakeFirstOrThrow()).ikm_id;
    expect(own.body.bookings.length).toBeGreaterThan(0);
    expect(own.body.bookings.every((b: any) => b.ikmId === ikm1Id)).toBe(true);
    const other = await app.db.selectFrom("bookings").select("id").where("ikm_id", "!=", ikm1Id).limit(1).executeTakeFirstOrThrow();
    expect((await api(ikm1, "GET", `/api/v1/bookings/${other.id}`)).status).toBe(404);
    expect((await api(ikm1, "POST", `/api/v1/bookings/${other.id}/cancel`, {})).status).toBe(404);
    expect((await api(tech, "GET", `/api/v1/bookings/${other.id}`)).status).toBe(200);
  });

  it("cancelling more than 24 h ahead is not late; within 24 h it is", async () => {
    const m = await simpleMachine();
    const far = await firstFree(m.id, "2026-12-09T00:00:00+07:00", 30);
    const a = await api(ikm2, "POST", "/api/v1/bookings", { machineId: m.id, start: far.start, end: far.end });
    const c = await api(ikm2, "POST", `/api/v1/bookings/${a.body.booking.id}/cancel`, { reason: "pesanan batal" });
    expect(c.status).toBe(200);
    expect(c.body.booking.status).toBe("cancelled");
    expect(c.body.booking.lateCancel).toBe(false);
    // Under 24 h before the start counts as late: move the clock to 3 h before it.
    const soon = await firstFree(m.id, "2026-12-03T00:00:00+07:00", 30);
    const b = await api(ikm2, "POST", "/api/v1/bookings", { machineId: m.id, start: soon.start, end: soon.end });
    expect(b.status).toBe(201);
    app.setNow(new Date(Date.parse(soon.start) - 3 * 3_600_000).toISOString());
    try {
      const lc = await api(ikm2, "POST", `/api/v1/bookings/${b.body.booking.id}/cancel`, {});
      expect(lc.status).toBe(200);
      expect(lc.body.booking.lateCancel).toBe(true);
    } finally {
      app.setNow("2026-12-01T09:00:00+07:00");
    }
    // Cancelling twice is a 409 (invalid state), not a 500.
    expect((await api(ikm2, "POST", `/api/v1/bookings/${b.body.booking.id}/cancel`, {})).status).toBe(409);
  });

  it("moving re-decides excluding itself: a shift by 30 min onto its own time is accepted", async () => {
    const m = await simpleMachine();
    const free = await firstFree(m.id, "2026-12-10T00:00:00+07:00", 120);
    const a = await api(ikm2, "POST", "/api/v1/bookings", { machineId: m.id, start: free.start, end: new Date(Date.parse(free.start) + 90 * 60_000).toISOString() });
    expect(a.status).toBe(201);
    const to = { start: new Date(Date.parse(free.start) + 30 * 60_000).toISOString(), end: free.end };
    const moved = await api(ikm2, "POST", `/api/v1/bookings/${a.body.booking.id}/move`, to);
    expect(moved.status).toBe(200);
    expect(moved.body.booking.start).toBe(to.start);
    const notes = await app.db.selectFrom("notifications").select("kind").where("booking_id", "=", a.body.booking.id).execute();
    expect(notes.map((n) => n.kind)).toContain("booking_moved");
  });

  it("approve and reject are staff-only; an IKM gets 403 on its own booking", async () => {
    const plating = (await api(ikm2, "GET", "/api/v1/machines")).body.machines.find((m: any) => m.requiresApproval && m.status === "active");
    const free = await firstFree(plating.id, "2026-12-14T00:00:00+07:00", Math.max(60, plating.minMinutes));
    const a = await api(ikm2, "POST", "/api/v1/bookings", { machineId: plating.id, start: free.start, end: free.end, purpose: "krom" });
    expect(a.status).toBe(201);
    expect(a.body.booking.status).toBe("pending");
    expect((await api(ikm2, "POST", `/api/v1/bookings/${a.body.booking.id}/approve`, {})).status).toBe(403);
    const noReason = await api(tech, "POST", `/api/v1/bookings/${a.body.booking.id}/reject`, {});
    expect(noReason.status).toBe(400);
    const ok = await api(tech, "POST", `/api/v1/bookings/${a.body.booking.id}/approve`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.booking.status).toBe("confirmed");
    expect((await api(tech, "POST", `/api/v1/bookings/${a.body.booking.id}/approve`, {})).status).toBe(409);
  });
});
