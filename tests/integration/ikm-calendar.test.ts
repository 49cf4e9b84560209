/**
 * The personal calendar feed: created on /pemesanan (shown once, only its sha256 stored),
 * served as text/calendar with the IKM's bookings (confirmed, tentative for pending, cancelled
 * ones as STATUS:CANCELLED), RFC 5545 escaping and folding; regenerate and revoke make the old
 * URL a 404.
 */
import { createHash } from "node:crypto";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { loadApp } from "../support/app";
import { TEST_NOW } from "../support/constants";
import { DAY, confirmFields, freeSlot, get, ikmOf, location, post, text } from "./ikm-helpers";

async function createFeed(app: Awaited<ReturnType<typeof loadApp>>, cookie: string): Promise<string> {
  const res = await app.fetch("/pemesanan", post({ intent: "calendar-create" }, cookie));
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = /value="(http:\/\/localhost:3000\/kalender\/([A-Za-z0-9_-]+)\.ics)"/.exec(html);
  expect(m).not.toBeNull();
  expect(text(html)).toContain("tautan ini tidak akan ditampilkan lagi");
  return (m as RegExpExecArray)[1].replace("http://localhost:3000", "");
}

/** ikm2 signed in, with a new feed URL. */
async function memberFeed() {
  const app = await loadApp();
  const cookie = await app.login("ikm2@giliran.test");
  const me = await ikmOf(app, "ikm2@giliran.test");
  return { app, cookie, me, path: await createFeed(app, cookie) };
}

/** Unfold an iCalendar body into its logical lines. */
function unfold(body: string): string[] {
  return body.replace(/\r\n /g, "").split("\r\n");
}

describe("calendar feed", () => {
  it("serves the IKM's bookings as an iCalendar feed with escaping, folding and statuses", async () => {
    const { app, cookie, me, path } = await memberFeed();
    const token = path.slice("/kalender/".length, -".ics".length);
    const user = await app.db.selectFrom("users").select("calendar_token_hash").where("id", "=", me.userId).executeTakeFirstOrThrow();
    expect(user.calendar_token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(user.calendar_token_hash).not.toContain(token);

    // A confirmed booking with text needing escaping and folding, a pending one, a cancelled one.
    const purpose = "Press bodi; tutup, flange \\ knalpot racing\nbaris kedua — dengan teks panjang supaya baris DESCRIPTION harus dilipat";
    const slotA = await freeSlot(app, "PRS-02", 60, 3);
    const a = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slotA, { purpose }), cookie))).split("/")[2].split("?")[0]);
    const slotP = await freeSlot(app, "PLT-01", 60, 4);
    const p = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slotP), cookie))).split("/")[2].split("?")[0]);
    const slotC = await freeSlot(app, "BND-01", 60, 5);
    const c = Number(location(await app.fetch("/pesan", post(await confirmFields(app, cookie, slotC), cookie))).split("/")[2].split("?")[0]);
    location(await app.fetch(`/pemesanan/${c}`, post({ intent: "cancel", confirm: "1" }, cookie)));

    const res = await app.fetch(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const body = await res.text();
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    for (const line of body.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(body).toMatch(/\r\n [^\r\n]/); // at least one folded line
    const lines = unfold(body);

    const event = (id: number) => {
      const start = lines.indexOf(`UID:booking-${id}@giliran`);
      expect(start, `booking ${id} in the feed`).toBeGreaterThan(0);
      return lines.slice(start, lines.indexOf("END:VEVENT", start));
    };
    const ea = event(a);
    const b = await app.db.selectFrom("bookings").innerJoin("machines", "machines.id", "bookings.machine_id").select(["bookings.start_at", "bookings.end_at", "machines.code", "machines.name"]).where("bookings.id", "=", a).executeTakeFirstOrThrow();
    const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(".000", "");
    expect(ea).toContain(`DTSTART:${utc(Number(b.start_at))}`);
    expect(ea).toContain(`DTEND:${utc(Number(b.end_at))}`);
    expect(ea).toContain(`SUMMARY:${b.code} ${b.name}`);
    expect(ea.some((l) => l.startsWith("LOCATION:UPTD Logam Purbalingga"))).toBe(true);
    expect(ea.some((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    expect(ea).toContain("STATUS:CONFIRMED");
    const description = ea.find((l) => l.startsWith("DESCRIPTION:")) ?? "";
    expect(description).toBe(
      "DESCRIPTION:Press bodi\\; tutup\\, flange \\\\ knalpot racing\\nbaris kedua — dengan teks panjang supaya baris DESCRIPTION harus dilipat\\nStatus: Terkonfirmasi",
    );
    expect(event(p)).toContain("STATUS:TENTATIVE");
    expect(event(c)).toContain("STATUS:CANCELLED");

    // Only this IKM's bookings, from 60 days ago on.
    const uids = lines.filter((l) => l.startsWith("UID:booking-")).map((l) => Number(l.slice("UID:booking-".length, l.indexOf("@"))));
    const owners = await app.db.selectFrom("bookings").select(["ikm_id", "end_at"]).where("id", "in", uids).execute();
    expect(owners.every((o) => o.ikm_id === me.ikmId)).toBe(true);
    expect(owners.every((o) => Number(o.end_at) > TEST_NOW - 60 * DAY)).toBe(true);
    const expected = await app.db
      .selectFrom("bookings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ikm_id", "=", me.ikmId)
      .where("end_at", ">", TEST_NOW - 60 * DAY)
      .executeTakeFirstOrThrow();
    expect(uids.length).toBe(Number(expected.n));
    const other = await ikmOf(app, "ikm1@giliran.test");
    expect(body).not.toContain(other.ikmName);
  });

  it("regenerating makes the old URL a 404; revoking makes every URL a 404; unknown tokens are 404", async () => {
    const app = await loadApp();
    const cookie = await app.login("ikm1@giliran.test");
    const first = await createFeed(app, cookie);
    expect((await app.fetch(first)).status).toBe(200);
    const page = text(await (await app.fetch("/pemesanan", get(cookie))).text());
    expect(page).toContain("Tautan kalender Anda aktif");
    expect(page).not.toContain(first);

    const second = await createFeed(app, cookie);
    expect(second).not.toBe(first);
    expect((await app.fetch(first)).status).toBe(404);
    expect((await app.fetch(second)).status).toBe(200);

    const revoked = await app.fetch("/pemesanan", post({ intent: "calendar-revoke" }, cookie));
    expect(revoked.status).toBe(200);
    expect(text(await revoked.text())).toContain("Tautan lama tidak berfungsi lagi");
    expect((await app.fetch(second)).status).toBe(404);
    const user = await app.db.selectFrom("users").select("calendar_token_hash").where("email", "=", "ikm1@giliran.test").executeTakeFirstOrThrow();
    expect(user.calendar_token_hash).toBeNull();

    expect((await app.fetch("/kalender/tidak-ada-token-seperti-ini-xyz.ics")).status).toBe(404);
    expect((await app.fetch("/kalender/x.ics")).status).toBe(404);
    const audits = await app.db.selectFrom("audit_events").select("action").where("action", "like", "calendar_feed.%").execute();
    expect(audits.map((x) => x.action)).toEqual(expect.arrayContaining(["calendar_feed.create", "calendar_feed.regenerate", "calendar_feed.revoke"]));
  });

  it("staff have no personal feed page", async () => {
    const app = await loadApp();
    const cookie = await app.login("manajer@giliran.test");
    expect(location(await app.fetch("/pemesanan", post({ intent: "calendar-create" }, cookie)))).toBe("/manajer");
  });
});

describe("the feed read by a real iCalendar parser (ical.js, issue 29)", () => {
  it("every event parses; a no-show is CANCELLED; DTSTAMP is when the feed was made", async () => {
    const { app, me, path } = await memberFeed();
    // One of the IKM's past bookings recorded as a no-show.
    const past = await app.db.selectFrom("bookings").select(["id", "updated_at"]).where("ikm_id", "=", me.ikmId).where("end_at", "<", TEST_NOW).where("end_at", ">", TEST_NOW - 30 * DAY).orderBy("end_at", "desc").executeTakeFirstOrThrow();
    await app.db.updateTable("bookings").set({ status: "no_show" }).where("id", "=", past.id).execute();
    const body = await (await app.fetch(path)).text();
    const vcalendar = new ICAL.Component(ICAL.parse(body));
    const events = vcalendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    const rows = await app.db.selectFrom("bookings").select(["id", "status", "start_at", "end_at"]).where("ikm_id", "=", me.ikmId).where("end_at", ">", TEST_NOW - 60 * DAY).execute();
    expect(events.length).toBe(rows.length);
    for (const r of rows) {
      const e = events.find((x) => x.uid === `booking-${r.id}@giliran`);
      if (!e) throw new Error(`booking ${r.id} is not in the feed`);
      expect(e.startDate.toJSDate().getTime()).toBe(Number(r.start_at));
      expect(e.endDate.toJSDate().getTime()).toBe(Number(r.end_at));
      const status = e.component.getFirstPropertyValue("status");
      expect(status, `booking ${r.id} (${r.status})`).toBe(r.status === "pending" ? "TENTATIVE" : ["cancelled", "rejected", "no_show"].includes(r.status) ? "CANCELLED" : "CONFIRMED");
      // RFC 5545 with METHOD: DTSTAMP is when this feed was made, for every event.
      expect((e.component.getFirstPropertyValue("dtstamp") as ICAL.Time).toJSDate().getTime()).toBe(TEST_NOW);
    }
  });
});
