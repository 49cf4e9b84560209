/**
 * Allocation rounds through the real app, on the demo's CUT-01 round for next week (7–13
 * December 2026): requests are collected without anyone winning by speed, the manager allocates,
 * the result replays from its seed, every IKM is told what it got and why, and never sees another
 * IKM's name; afterwards the week is first come, first served.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { expectDocumented } from "../support/contract";

let app: TestApp;
const tokens: Record<string, string> = {};
const cookies: Record<string, string> = {};
let machineId: number;
let roundId: number;
/** The seeded requests' distinct windows (free time of CUT-01), earliest first. */
let windows: { start: number; end: number }[];
let ikm1Id: number;
let ikm2Id: number;

const WEEK_START = Date.parse("2026-12-07T00:00:00+07:00");
const WEEK_END = Date.parse("2026-12-14T00:00:00+07:00");
const isoOf = (ms: number) => new Date(ms).toISOString();
/** "2026-12-08" and "07:30" of an instant in WIB. */
const wibDate = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
const wibTime = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(11, 16);

async function api(who: string, method: string, path: string, body?: unknown) {
  const res = await app.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[who]}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // Every rounds endpoint answers as its OpenAPI description says (status and body shape).
  if (path.startsWith("/api/v1/rounds")) await expectDocumented(method, path, res.clone());
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

async function page(who: string, path: string) {
  const res = await app.fetch(path, { headers: { Cookie: cookies[who] } });
  return { status: res.status, text: textOf(await res.text()) };
}

async function post(who: string, path: string, form: Record<string, string | number>) {
  const body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)]));
  const res = await app.fetch(path, { method: "POST", headers: { Cookie: cookies[who] }, body });
  return { status: res.status, text: textOf(await res.text()) };
}

/** The visible text of an HTML page (tags dropped, entities decoded, whitespace collapsed), plus its hrefs. */
function textOf(html: string): string {
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
  const text = html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
  return `${text} ${hrefs.join(" ")}`;
}

async function bookingCodes(who: string, start: number, end: number) {
  const res = await api(who, "POST", "/api/v1/bookings", { machineId, start: isoOf(start), end: isoOf(end), purpose: "langsung" });
  return { status: res.status, codes: (res.body.error?.details?.violations ?? []).map((v: any) => v.code) as string[], body: res.body };
}

/** Free pieces of CUT-01 in a range, from the availability API. */
async function freeOf(from: number, to: number) {
  const q = `from=${encodeURIComponent(isoOf(from))}&to=${encodeURIComponent(isoOf(to))}`;
  const res = await api("ikm1", "GET", `/api/v1/machines/${machineId}/availability?${q}`);
  return (res.body.free as { start: string; end: string }[]).map((f) => ({ start: Date.parse(f.start), end: Date.parse(f.end) }));
}

async function ikmIdOf(email: string) {
  return (await app.db.selectFrom("users").select("ikm_id").where("email", "=", email).executeTakeFirstOrThrow()).ikm_id as number;
}

beforeAll(async () => {
  app = await loadApp();
  for (const who of ["ikm1", "ikm2", "manajer", "teknisi"]) {
    tokens[who] = await app.apiLogin(`${who}@giliran.test`);
    cookies[who] = await app.login(`${who}@giliran.test`);
  }
  machineId = (await app.db.selectFrom("machines").select("id").where("code", "=", "CUT-01").executeTakeFirstOrThrow()).id;
  const round = await app.db.selectFrom("allocation_rounds").selectAll().where("machine_id", "=", machineId).where("week_start", "=", WEEK_START).executeTakeFirstOrThrow();
  roundId = round.id;
  const seeded = await app.db.selectFrom("allocation_requests").select(["start_at", "end_at"]).where("round_id", "=", roundId).orderBy("start_at").execute();
  windows = [...new Map(seeded.map((r) => [r.start_at, { start: Number(r.start_at), end: Number(r.end_at) }])).values()];
  [ikm1Id, ikm2Id] = [await ikmIdOf("ikm1@giliran.test"), await ikmIdOf("ikm2@giliran.test")];
});

describe("collecting requests", () => {
  it("the demo has an open round for CUT-01 next week with competing requests, closing Thursday 12.00", async () => {
    const round = await app.db.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirstOrThrow();
    expect(round.status).toBe("open");
    expect(round.cutoff_at).toBe(Date.parse("2026-12-03T12:00:00+07:00"));
    const requests = await app.db.selectFrom("allocation_requests").selectAll().where("round_id", "=", roundId).execute();
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(new Set(requests.map((r) => r.ikm_id)).size).toBeGreaterThanOrEqual(4);
    expect(windows.length).toBeLessThan(requests.length); // some want the same hours
    const listed = await api("ikm2", "GET", "/api/v1/rounds");
    const open = listed.body.rounds.find((r: any) => r.id === roundId);
    expect(open).toMatchObject({ status: "open", acceptsRequests: true, cutoffAt: "2026-12-03T05:00:00.000Z", machine: { code: "CUT-01" }, requests: [] });
    expect((await page("ikm2", "/putaran")).text).toContain("Batas permintaan: Kamis, 3 Desember 2026 12.00 WIB");
  });

  it("next week on CUT-01 cannot be booked directly before its round is allocated; this week is first come, first served", async () => {
    const direct = await bookingCodes("ikm1", windows[0].start, windows[0].end);
    expect(direct.status).toBe(409);
    expect(direct.codes).toEqual(["ROUND_OPEN"]);
    expect(direct.body.error.details.violations[0].message).toContain("putaran alokasi mingguan");
    // The week after next is not open either.
    expect((await bookingCodes("ikm1", windows[0].start + 7 * 86_400_000, windows[0].end + 7 * 86_400_000)).codes).toContain("ROUND_OPEN");
    // This week: the first free hour on CUT-01 is booked at once.
    const free = (await freeOf(Date.parse("2026-12-01T13:00:00+07:00"), Date.parse("2026-12-05T00:00:00+07:00"))).find((f) => f.end - f.start >= 3_600_000);
    expect(free).toBeTruthy();
    const now = await bookingCodes("ikm1", free?.start ?? 0, (free?.start ?? 0) + 3_600_000);
    expect(now.status).toBe(201);
  });

  it("staff may override ROUND_OPEN with a recorded reason (a soft rule)", async () => {
    const free = (await freeOf(WEEK_START, WEEK_END)).find((f) => f.end - f.start >= 30 * 60_000 && windows.every((w) => f.end <= w.start || f.start >= w.end));
    expect(free).toBeTruthy();
    const slot = { start: isoOf(free?.start ?? 0), end: isoOf((free?.start ?? 0) + 30 * 60_000) };
    const plain = await api("teknisi", "POST", "/api/v1/bookings", { machineId, ...slot, ikmId: ikm2Id, purpose: "darurat" });
    expect(plain.status).toBe(409);
    expect(plain.body.error.details.violations.map((v: any) => v.code)).toEqual(["ROUND_OPEN"]);
    const override = await api("teknisi", "POST", "/api/v1/bookings", { machineId, ...slot, ikmId: ikm2Id, purpose: "darurat", overrideReason: "pesanan pemerintah daerah" });
    expect(override.status).toBe(201);
    expect(override.body.overridden).toEqual(["ROUND_OPEN"]);
  });

  it("IKMs send requests through the page and the API; nobody gets a booking by asking first", async () => {
    const before = await app.db.selectFrom("bookings").select((eb) => eb.fn.countAll<number>().as("n")).where("machine_id", "=", machineId).executeTakeFirstOrThrow();
    const w = windows[0];
    const viaPage = await post("ikm1", "/putaran", { intent: "request", roundId, date: wibDate(w.start), start: wibTime(w.start), end: wibTime(w.end), purpose: "Potong flange knalpot" });
    expect(viaPage.status).toBe(200);
    expect(viaPage.text).toContain("Permintaan terkirim. Hasilnya diumumkan setelah Kamis, 3 Desember 2026 12.00 WIB.");
    // A second request of ikm1 overlapping its first: only one of the two can be granted.
    const half = w.start + 60 * 60_000;
    expect((await post("ikm1", "/putaran", { intent: "request", roundId, date: wibDate(half), start: wibTime(half), end: wibTime(w.end), purpose: "cadangan" })).status).toBe(200);
    const viaApi = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end), purpose: "Potong plat dudukan" });
    expect(viaApi.status).toBe(201);
    expect(viaApi.body.request).toMatchObject({ roundId, ikmId: ikm2Id, status: "requested", start: isoOf(w.start) });
    const after = await app.db.selectFrom("bookings").select((eb) => eb.fn.countAll<number>().as("n")).where("machine_id", "=", machineId).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const mine = await page("ikm1", "/putaran");
    expect(mine.text).toContain("Permintaan saya");
    expect(mine.text).toContain("Menunggu pembagian");
  });

  it("refuses a request that could never be granted, and bad input, naming the field", async () => {
    const evening = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: "2026-12-08T16:00:00+07:00", end: "2026-12-08T17:00:00+07:00" });
    expect(evening.status).toBe(409);
    expect(evening.body.error.code).toBe("request_rejected");
    expect(evening.body.error.details.violations.map((v: any) => v.code)).toEqual(["OUTSIDE_HOURS"]);
    const pageRefusal = await post("ikm2", "/putaran", { intent: "request", roundId, date: "2026-12-12", start: "08:00", end: "09:00" });
    expect(pageRefusal.status).toBe(409);
    expect(pageRefusal.text).toContain("UPTD tutup pada hari Sabtu");
    const otherWeek = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: "2026-12-15T08:00:00+07:00", end: "2026-12-15T09:00:00+07:00" });
    expect(otherWeek.status).toBe(400);
    expect(otherWeek.body.error.details.field).toBe("start");
    const noOffset = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: "2026-12-08T08:00:00", end: "2026-12-08T09:00:00+07:00" });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.error.details.fields[0].field).toBe("start");
    const badForm = await post("ikm2", "/putaran", { intent: "request", roundId, date: "8-12-2026", start: "25:00", end: "07:00" });
    expect(badForm.status).toBe(400);
    expect(badForm.text).toContain("Pilih tanggal di minggu putaran ini.");
    expect(badForm.text).toContain("Pilih jam mulai.");
    const w = windows[0];
    const duplicate = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end) });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toContain("sudah meminta waktu yang sama");
  });

  it("caps the requests per IKM and lets an IKM withdraw its own, never another's", async () => {
    // ikm2 has one request; four more valid ones (free windows and their first hours), then one too many.
    const more = [windows[1], windows[2 % windows.length], { start: windows[1].start, end: windows[1].start + 3_600_000 }, { start: windows[0].start, end: windows[0].start + 3_600_000 }];
    const ids: number[] = [];
    for (const w of more) {
      const res = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end) });
      expect(res.status).toBe(201);
      ids.push(res.body.request.id);
    }
    const sixth = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(windows[1].start + 3_600_000), end: isoOf(windows[1].end) });
    expect(sixth.status).toBe(400);
    expect(sixth.body.error.message).toBe("Paling banyak 5 permintaan per IKM dalam satu putaran.");
    // ikm1 cannot see or withdraw ikm2's request: 404 (page and API).
    expect((await api("ikm1", "POST", `/api/v1/rounds/${roundId}/requests/${ids[0]}/withdraw`)).status).toBe(404);
    expect((await post("ikm1", "/putaran", { intent: "withdraw", requestId: ids[0] })).status).toBe(404);
    // ikm2 withdraws three (API and page); they are not allocated.
    expect((await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests/${ids[1]}/withdraw`)).body.request.status).toBe("withdrawn");
    expect((await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests/${ids[2]}/withdraw`)).status).toBe(200);
    const byPage = await post("ikm2", "/putaran", { intent: "withdraw", requestId: ids[3] });
    expect(byPage.status).toBe(200);
    expect(byPage.text).toContain("Permintaan sudah ditarik.");
    expect((await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests/${ids[3]}/withdraw`)).status).toBe(409);
  });

  it("staff may ask on an IKM's behalf, naming it; an IKM cannot ask for another IKM", async () => {
    const w = windows[3 % windows.length];
    const noIkm = await api("teknisi", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end) });
    expect(noIkm.status).toBe(400);
    expect(noIkm.body.error.details.field).toBe("ikmId");
    const forIkm2 = await api("teknisi", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end), ikmId: ikm2Id, purpose: "lewat telepon" });
    expect(forIkm2.status).toBe(201);
    expect(forIkm2.body.request.ikmId).toBe(ikm2Id);
    // An IKM's ikmId is ignored: it always asks for its own IKM.
    const own = await api("ikm1", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(w.start), end: isoOf(w.end), ikmId: ikm2Id });
    expect(own.status).toBe(201);
    expect(own.body.request.ikmId).toBe(ikm1Id);
    expect((await api("ikm1", "POST", `/api/v1/rounds/${roundId}/requests/${own.body.request.id}/withdraw`)).status).toBe(200);
  });
});

describe("allocation by the manager", () => {
  it("an IKM or a technician cannot allocate: 403", async () => {
    expect((await api("ikm1", "POST", `/api/v1/rounds/${roundId}/allocate`, {})).status).toBe(403);
    expect((await api("teknisi", "POST", `/api/v1/rounds/${roundId}/allocate`, {})).status).toBe(403);
    expect((await post("ikm1", `/putaran/${roundId}`, { intent: "allocate" })).status).toBe(403);
    expect((await post("teknisi", `/putaran/${roundId}`, { intent: "allocate" })).status).toBe(403);
    expect((await page("ikm1", `/putaran/${roundId}`)).text).not.toContain("Jalankan alokasi sekarang");
    expect((await app.db.selectFrom("allocation_rounds").select("status").where("id", "=", roundId).executeTakeFirstOrThrow()).status).toBe("open");
  });

  it("the manager's button allocates with a recorded seed: grants become bookings that never overlap, and every requesting IKM is told", async () => {
    const manager = await page("manajer", `/putaran/${roundId}`);
    expect(manager.text).toContain("Jalankan alokasi sekarang");
    expect(manager.text).toContain("Batas waktu belum lewat");
    const badSeed = await post("manajer", `/putaran/${roundId}`, { intent: "allocate", seed: "ada spasi!" });
    expect(badSeed.status).toBe(400);
    expect(badSeed.text).toContain("Benih hanya boleh berisi huruf");

    const requesting = await app.db.selectFrom("allocation_requests").select("ikm_id").distinct().where("round_id", "=", roundId).where("status", "=", "requested").execute();
    const res = await post("manajer", `/putaran/${roundId}`, { intent: "allocate", seed: "uji-putaran-1" });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Alokasi selesai: \d+ dari \d+ permintaan diberikan/);

    const round = await app.db.selectFrom("allocation_rounds").selectAll().where("id", "=", roundId).executeTakeFirstOrThrow();
    expect(round).toMatchObject({ status: "allocated", seed: "uji-putaran-1", allocated_at: Date.parse("2026-12-01T09:00:00+07:00") });
    const requests = await app.db.selectFrom("allocation_requests").selectAll().where("round_id", "=", roundId).execute();
    expect(requests.filter((r) => r.status === "requested")).toEqual([]);
    const granted = requests.filter((r) => r.status === "granted");
    expect(granted.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.status === "refused").length).toBeGreaterThan(0);
    for (const r of granted) {
      const b = await app.db.selectFrom("bookings").selectAll().where("id", "=", r.booking_id as number).executeTakeFirstOrThrow();
      expect(b).toMatchObject({ machine_id: machineId, ikm_id: r.ikm_id, start_at: r.start_at, end_at: r.end_at, status: "confirmed", source: "allocation", booked_by: r.user_id });
    }
    const overlaps = await sql<{ n: number }>`
      select count(*) as n from bookings a join bookings b on a.machine_id = b.machine_id and a.id < b.id
      where a.machine_id = ${machineId} and a.status in ('pending','confirmed','checked_in') and b.status in ('pending','confirmed','checked_in')
        and a.start_at < b.hold_end_at and b.start_at < a.hold_end_at`.execute(app.db);
    expect(Number(overlaps.rows[0].n)).toBe(0);

    // One notification per active member of each requesting IKM, with what it got.
    for (const { ikm_id } of requesting) {
      const members = await app.db.selectFrom("users").select("id").where("ikm_id", "=", ikm_id).where("active", "=", 1).execute();
      const notes = await app.db.selectFrom("notifications").selectAll().where("kind", "=", "allocation_result").where("user_id", "in", members.map((m) => m.id)).execute();
      expect(notes).toHaveLength(members.length);
      const params = JSON.parse(notes[0].params_json);
      const mine = requests.filter((r) => r.ikm_id === ikm_id && r.status !== "withdrawn");
      expect(params).toMatchObject({ machine: "CUT-01", roundId, granted: mine.filter((r) => r.status === "granted").length, refused: mine.filter((r) => r.status === "refused").length });
    }
    const inbox = await page("ikm1", "/notifikasi");
    expect(inbox.text).toMatch(/Hasil putaran alokasi CUT-01: [01] permintaan diberikan, [12] tidak diberikan\./);
    const auditRow = await app.db.selectFrom("audit_events").selectAll().where("action", "=", "round.allocate").where("entity_id", "=", String(roundId)).executeTakeFirstOrThrow();
    expect(auditRow.reason).toBe("manual, before the cut-off");
    expect(JSON.parse(auditRow.after_json as string).seed).toBe("uji-putaran-1");
  });

  it("reproduces the result from the recorded seed, and refuses to allocate twice", async () => {
    const replay = await api("manajer", "GET", `/api/v1/rounds/${roundId}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ matches: true, seed: "uji-putaran-1" });
    // Not only the server's own verdict: the recomputed outcomes are the stored ones, request by request.
    const stored = await app.db.selectFrom("allocation_requests").select(["id", "status"]).where("round_id", "=", roundId).where("status", "in", ["granted", "refused"]).orderBy("id").execute();
    expect(stored.length).toBeGreaterThan(1);
    expect(replay.body.requests.map((r: { requestId: number; status: string }) => [r.requestId, r.status]).sort((a: number[], b: number[]) => a[0] - b[0])).toEqual(
      stored.map((r) => [r.id, r.status]),
    );
    expect(replay.body.totals.granted).toBe(stored.filter((r) => r.status === "granted").length);
    expect((await api("ikm1", "GET", `/api/v1/rounds/${roundId}/replay`)).status).toBe(403);
    const byPage = await post("manajer", `/putaran/${roundId}`, { intent: "replay" });
    expect(byPage.text).toContain("Dihitung ulang dengan benih uji-putaran-1: hasilnya sama persis dengan yang diumumkan.");
    const again = await api("manajer", "POST", `/api/v1/rounds/${roundId}/allocate`, { seed: "lain" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("sudah dibagi");
    expect((await app.db.selectFrom("allocation_rounds").select("seed").where("id", "=", roundId).executeTakeFirstOrThrow()).seed).toBe("uji-putaran-1");
  });

  it("tells each IKM what it got and why, with alternatives or a waitlist place, and never another IKM's name", async () => {
    const others = await app.db
      .selectFrom("allocation_requests")
      .innerJoin("ikms", "ikms.id", "allocation_requests.ikm_id")
      .select(["ikms.name"])
      .distinct()
      .where("round_id", "=", roundId)
      .where("allocation_requests.ikm_id", "!=", ikm1Id)
      .execute();
    expect(others.length).toBeGreaterThan(2);
    const ikm1Name = (await app.db.selectFrom("ikms").select("name").where("id", "=", ikm1Id).executeTakeFirstOrThrow()).name;

    const json = await api("ikm1", "GET", `/api/v1/rounds/${roundId}`);
    expect(json.status).toBe(200);
    const round = json.body.round;
    const withdrawn = round.requests.filter((r: any) => r.status === "withdrawn");
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0].explanation).toBeNull();
    const decided = round.requests.filter((r: any) => r.status !== "withdrawn");
    expect(decided.length).toBe(2);
    for (const r of decided) {
      expect(r).toMatchObject({ own: true, ikmId: ikm1Id, ikmName: ikm1Name });
      expect(["granted", "refused"]).toContain(r.explanation.status);
      expect(r.explanation.ikmCount).toBe(round.order.length);
      if (r.explanation.status === "refused") {
        expect(r.explanation.reason).toMatch(/^(RULES|OUTRANKED_USE|OUTRANKED_LOTTERY|FAIR_SHARE|OWN_REQUEST)$/);
        // A conflict names a booking or request only when it is ikm1's own.
        const ownIds = round.requests.map((x: any) => x.id);
        expect(r.explanation.conflictWithRequestId === null || ownIds.includes(r.explanation.conflictWithRequestId)).toBe(true);
        for (const v of r.explanation.violations) {
          if (v.conflict?.kind !== "booking" || v.conflict.id === undefined) continue;
          const b = await app.db.selectFrom("bookings").select("ikm_id").where("id", "=", v.conflict.id).executeTakeFirstOrThrow();
          expect(b.ikm_id).toBe(ikm1Id);
        }
      }
    }
    // At most one of the two overlapping requests was granted.
    expect(round.requests.filter((r: any) => r.status === "granted").length).toBeLessThanOrEqual(1);
    const you = round.order.filter((p: any) => p.you);
    expect(you).toHaveLength(1);
    expect(you[0]).toMatchObject({ ikmId: ikm1Id, ikmName: ikm1Name });
    for (const p of round.order.filter((x: any) => !x.you)) expect(p).toMatchObject({ ikmId: null, ikmName: null });
    for (const o of others) expect(json.text).not.toContain(o.name);

    const html = await page("ikm1", `/putaran/${roundId}`);
    expect(html.status).toBe(200);
    for (const o of others) expect(html.text).not.toContain(o.name);
    expect(html.text).toContain("Urutan IKM dan alasannya");
    expect(html.text).toMatch(/Urutan IKM Anda: \d+ dari \d+/);
    expect(html.text).toContain("Tidak diberikan:");
    expect(html.text).toContain(`/daftar-tunggu?machine=${machineId}&start=`);
    expect(html.text).toContain("IKM lain");
    // Each granted request of any IKM reads "Diberikan: <day> <time>" for its IKM.
    const ikm2Page = await page("ikm2", "/putaran");
    expect(ikm2Page.text).toMatch(/(Diberikan|Tidak diberikan): (Senin|Selasa|Rabu|Kamis|Jumat), \d+ Desember 2026 \d\d\.\d\d–\d\d\.\d\d WIB/);

    // Staff see every IKM by name, with the reasons.
    const staff = await api("manajer", "GET", `/api/v1/rounds/${roundId}`);
    expect(staff.body.round.order.every((p: any) => typeof p.ikmName === "string")).toBe(true);
    const staffPage = await page("manajer", `/putaran/${roundId}`);
    for (const o of others) expect(staffPage.text).toContain(o.name);
    expect(staffPage.text).toContain("Benih undian");
    expect(staffPage.text).toContain("uji-putaran-1");
  });

  it("after the round, that week is first come, first served; the week after stays locked", async () => {
    const free = (await freeOf(WEEK_START, WEEK_END)).find((f) => f.end - f.start >= 30 * 60_000);
    expect(free).toBeTruthy();
    const direct = await bookingCodes("ikm1", free?.start ?? 0, (free?.start ?? 0) + 30 * 60_000);
    expect(direct.status).toBe(201);
    expect((await bookingCodes("ikm1", windows[0].start + 7 * 86_400_000, windows[0].end + 7 * 86_400_000)).codes).toContain("ROUND_OPEN");
    // Requests into the allocated round are refused.
    const late = await api("ikm2", "POST", `/api/v1/rounds/${roundId}/requests`, { start: isoOf(windows[0].start), end: isoOf(windows[0].end) });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain("sudah ditutup");
  });

  it("an offered alternative is booked in one tap from the result page (first come, first served)", async () => {
    // The refused IKM's own result page offers alternatives as one-button forms: take the first
    // one offered and post exactly what its button posts.
    let who = "";
    let fields: Record<string, string> = {};
    for (const candidate of ["ikm1", "ikm2"]) {
      const html = await (await app.fetch(`/putaran/${roundId}`, { headers: { Cookie: cookies[candidate] } })).text();
      const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].map((m) => m[1]).find((f) => f.includes('name="intent" value="book"'));
      if (!form) continue;
      who = candidate;
      fields = Object.fromEntries([...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, "&")]));
      break;
    }
    expect(who, "a refused request offers an alternative").not.toBe("");
    expect(Object.keys(fields).sort()).toEqual(["end", "intent", "machineId", "purpose", "requestId", "start"]);
    const ok = await post(who, `/putaran/${roundId}`, fields);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("Terpesan:");
    const ikmId = (await app.db.selectFrom("users").select("ikm_id").where("email", "=", `${who}@giliran.test`).executeTakeFirstOrThrow()).ikm_id;
    const booked = await app.db
      .selectFrom("bookings")
      .select(["status"])
      .where("ikm_id", "=", ikmId as number)
      .where("machine_id", "=", Number(fields.machineId))
      .where("start_at", "=", Number(fields.start))
      .where("end_at", "=", Number(fields.end))
      .execute();
    expect(booked.map((b) => b.status).filter((s) => s === "confirmed" || s === "pending")).toHaveLength(1);
    // The same slot again: refused with the reason, not a 500.
    const taken = await post(who, `/putaran/${roundId}`, fields);
    expect(taken.status).toBe(409);
  });
});
