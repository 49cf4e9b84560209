/**
 * In-app notifications (/notifikasi) for every role, written in the reader's language, newest
 * first; opening one marks it read and leads to its booking; "mark all read" clears the bell.
 * Reminders the day before: one per confirmed booking, once, from a job with a fixed clock.
 */
import { describe, expect, it } from "vitest";
import { sendReminders } from "~/services/messaging/reminders.server";
import { loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { DAY, confirmFields, freeSlot, get, ikmOf, location, post, text } from "./ikm-helpers";

const bell = (html: string) => Number(/aria-label="Notifikasi \((\d+)\)"/.exec(html)?.[1] ?? -1);

describe("notifications", () => {
  it("lists the reader's notifications newest first, in words, with the unread count", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const slot = await freeSlot(app, "PRS-02", 60, 3);
    const id = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie))).split("/")[2].split("?")[0]);
    const unread = await app.db.selectFrom("notifications").select("id").where("user_id", "=", me.userId).where("read_at", "is", null).execute();
    const res = await app.fetch("/notifikasi", get(cookie));
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain(`${unread.length} belum dibaca`);
    expect(bell(html)).toBe(unread.length);
    const code = (await app.db.selectFrom("machines").select("code").where("id", "=", slot.machineId).executeTakeFirstOrThrow()).code;
    expect(page).toContain(`Pemesanan terkonfirmasi: ${code}, `);
    expect(page).toContain("Baru");
    // Newest first: the booking just made comes before anything older.
    const first = html.indexOf('name="id" value="');
    expect(html.slice(first, first + 40)).toContain(`value="${(await app.db.selectFrom("notifications").select("id").where("user_id", "=", me.userId).orderBy("created_at", "desc").orderBy("id", "desc").executeTakeFirstOrThrow()).id}"`);

    // Opening it marks it read and leads to its booking.
    const n = await app.db.selectFrom("notifications").select("id").where("booking_id", "=", id).where("user_id", "=", me.userId).executeTakeFirstOrThrow();
    expect(location(await app.fetch("/notifikasi", post({ intent: "open", id: String(n.id) }, cookie)))).toBe(`/pemesanan/${id}`);
    expect((await app.db.selectFrom("notifications").select("read_at").where("id", "=", n.id).executeTakeFirstOrThrow()).read_at).toBe(TEST_NOW);
    expect(bell(await (await app.fetch("/ikm", get(cookie))).text())).toBe(unread.length - 1);

    // In English when the reader chose English.
    await app.fetch("/bahasa", post({ lang: "en" }, cookie));
    const en = text(await (await app.fetch("/notifikasi", get(cookie))).text());
    expect(en).toContain(`Booking confirmed: ${code}, `);
    await app.fetch("/bahasa", post({ lang: "id" }, cookie));
  });

  it("mark all read clears the bell; another user's notification cannot be opened", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm1@giliran.test");
    const me = await ikmOf(app, "ikm1@giliran.test");
    const before = await app.db.selectFrom("notifications").select("id").where("user_id", "=", me.userId).where("read_at", "is", null).execute();
    expect(before.length).toBeGreaterThan(0);
    const page = text(await (await app.fetch("/notifikasi", get(cookie))).text());
    expect(page).toContain("Tandai semua sudah dibaca");
    expect(location(await app.fetch("/notifikasi", post({ intent: "read-all" }, cookie)))).toBe("/notifikasi");
    const after = await app.db.selectFrom("notifications").select("id").where("user_id", "=", me.userId).where("read_at", "is", null).execute();
    expect(after).toEqual([]);
    const html = await (await app.fetch("/notifikasi", get(cookie))).text();
    expect(bell(html)).toBe(0);
    expect(text(html)).toContain("Semua sudah dibaca.");

    const others = await app.db.selectFrom("notifications").select(["id", "read_at"]).where("user_id", "!=", me.userId).executeTakeFirstOrThrow();
    expect((await app.fetch("/notifikasi", post({ intent: "open", id: String(others.id) }, cookie))).status).toBe(404);
    expect((await app.db.selectFrom("notifications").select("read_at").where("id", "=", others.id).executeTakeFirstOrThrow()).read_at).toBe(others.read_at);
  });

  it("works for every role", async () => {
    const app = await loadApp();
    for (const email of ["teknisi@giliran.test", "manajer@giliran.test", "admin@giliran.test"]) {
      const res = await app.fetch("/notifikasi", get(await app.login(email)));
      expect(res.status, email).toBe(200);
      expect(text(await res.text())).toContain("Notifikasi");
    }
  });

  it("a rejection and a restriction are written with their reason and date", async () => {
    const app = await loadApp();
    const ikm = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    const slot = await freeSlot(app, "PLT-01", 60, 6);
    const id = Number(location(await app.fetch("/pesan", post(await confirmFields(app, ikm, slot), ikm))).split("/")[2].split("?")[0]);
    await app.db
      .insertInto("notifications")
      .values([
        { user_id: me.userId, kind: "booking_rejected", booking_id: id, params_json: JSON.stringify({ start: TEST_NOW + 5 * DAY, end: TEST_NOW + 5 * DAY + 3_600_000, reason: "Bak krom sedang dikuras" }), read_at: null, created_at: TEST_NOW + 1 },
        { user_id: me.userId, kind: "restricted", booking_id: null, params_json: JSON.stringify({ until: Date.parse("2026-12-31T10:00:00+07:00") }), read_at: null, created_at: TEST_NOW + 2 },
      ])
      .execute();
    const page = text(await (await app.fetch("/notifikasi", get(ikm))).text());
    expect(page).toContain("Pemesanan ditolak: PLT-01, ");
    expect(page).toContain("Alasan: Bak krom sedang dikuras");
    expect(page).toContain("IKM Anda dibatasi sampai Kamis, 31 Desember 2026");
  });
});

describe("reminders the day before", () => {
  it("creates one reminder per confirmed booking of tomorrow, once, and none for pending ones", async () => {
    const app = await loadApp();
    const tomorrowStart = Date.parse("2026-12-02T00:00:00+07:00");
    const tomorrowEnd = Date.parse("2026-12-03T00:00:00+07:00");
    const due = await app.db
      .selectFrom("bookings")
      .select(["id", "ikm_id", "status"])
      .where("start_at", ">=", tomorrowStart)
      .where("start_at", "<", tomorrowEnd)
      .where("status", "in", ["confirmed", "pending"])
      .execute();
    const confirmed = due.filter((b) => b.status === "confirmed");
    expect(confirmed.length).toBeGreaterThan(0);
    expect(due.some((b) => b.status === "pending")).toBe(true);

    const sent = await sendReminders(app.db, TEST_NOW);
    expect(sent).toBe(confirmed.length);
    const reminders = await app.db.selectFrom("notifications").select(["booking_id", "user_id", "params_json", "created_at"]).where("kind", "=", "reminder").where("created_at", "=", TEST_NOW).execute();
    for (const b of confirmed) {
      const members = await app.db.selectFrom("users").select("id").where("ikm_id", "=", b.ikm_id).where("active", "=", 1).execute();
      const mine = reminders.filter((r) => r.booking_id === b.id);
      expect(mine.map((r) => r.user_id).sort()).toEqual(members.map((m) => m.id).sort());
      expect(JSON.parse(mine[0].params_json)).toMatchObject({ machine: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
    }
    for (const b of due.filter((x) => x.status === "pending")) expect(reminders.some((r) => r.booking_id === b.id)).toBe(false);

    // Once per booking: running again (later the same day) adds nothing.
    expect(await sendReminders(app.db, TEST_NOW + 3 * 3_600_000)).toBe(0);
    // The next day reminds the bookings of the day after.
    const next = await sendReminders(app.db, TEST_NOW + DAY);
    const dayAfter = await app.db
      .selectFrom("bookings")
      .select("id")
      .where("status", "=", "confirmed")
      .where("start_at", ">=", tomorrowEnd)
      .where("start_at", "<", tomorrowEnd + DAY)
      .execute();
    expect(next).toBe(dayAfter.length);

  });

  it("the reminder text is shown to the member", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm2@giliran.test");
    const me = await ikmOf(app, "ikm2@giliran.test");
    // Today at 14.00 is within the notice; the member books tomorrow, and the job runs.
    const slot = await freeSlot(app, "WLD-02", 60, 1);
    expect(slot.date).toBe("2026-12-02");
    const id = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slot), cookie))).split("/")[2].split("?")[0]);
    expect(await sendReminders(app.db, TEST_NOW + 3_600_000)).toBeGreaterThan(0);
    const r = await app.db.selectFrom("notifications").select("id").where("kind", "=", "reminder").where("booking_id", "=", id).where("user_id", "=", me.userId).execute();
    expect(r.length).toBe(1);
    const page = text(await (await app.fetch("/notifikasi", get(cookie))).text());
    expect(page).toContain("Pengingat: besok Anda memesan WLD-02, Rabu, 2 Desember 2026");
  });
});
