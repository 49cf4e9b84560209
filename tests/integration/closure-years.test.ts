/**
 * A coming year without closure days (issue 27): from 60 days before it the admin is warned on the
 * admin home and told once by a notification from the job loop; members see its days marked as
 * "hari libur belum ditetapkan" while those days stay bookable; entering one closure day ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW_ISO } from "../support/constants";
import { cookies, pageText, postForm } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;
const WARNING = "Hari libur 2027 belum dimasukkan.";
const MARK = "Hari libur 2027 belum ditetapkan UPTD";

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
});
afterAll(() => app.setNow(TEST_NOW_ISO));

const adminHome = async () => pageText(await app.fetch("/admin", { headers: { Cookie: c.admin } }));
const closuresMissingNotes = () => app.db.selectFrom("notifications").select(["user_id"]).where("kind", "=", "closures_missing").execute();

describe("next year's closure days not entered", () => {
  it("is quiet until 60 days before the year (the demo has 2026 entered, 2027 not)", async () => {
    app.setNow("2026-11-01T12:00:00+07:00");
    expect(await adminHome()).not.toContain(WARNING);
    await app.runJobs();
    expect(await closuresMissingNotes()).toEqual([]);
  });

  it("from 60 days before: the admin home warns with the way to enter them, and each admin is told once by the job loop", async () => {
    app.setNow("2026-11-02T00:00:00+07:00");
    const home = await adminHome();
    expect(home).toContain(WARNING);
    expect(await (await app.fetch("/admin", { headers: { Cookie: c.admin } })).text()).toContain('href="/admin/libur?tahun=2027"');
    await app.runJobs();
    await app.runJobs();
    const admins = await app.db.selectFrom("users").select("id").where("role", "=", "admin").where("active", "=", 1).execute();
    expect((await closuresMissingNotes()).map((n) => n.user_id).sort()).toEqual(admins.map((a) => a.id).sort());
    const list = await pageText(await app.fetch("/notifikasi", { headers: { Cookie: c.admin } }));
    expect(list).toContain("Hari libur 2027 belum dimasukkan: masukkan sebelum anggota memesan pada hari libur.");
    const note = await app.db.selectFrom("notifications").select("id").where("kind", "=", "closures_missing").orderBy("id").executeTakeFirstOrThrow();
    const admin = admins[0];
    const owner = await app.db.selectFrom("notifications").select("user_id").where("id", "=", note.id).executeTakeFirstOrThrow();
    expect(owner.user_id).toBe(admin.id);
    const open = await postForm(app, "/notifikasi", c.admin, { intent: "open", id: String(note.id) });
    expect(open.headers.get("Location")).toBe("/admin/libur?tahun=2027");
  });

  it("members see 2027's days marked on the board and the booking form, and can still book them", async () => {
    app.setNow("2026-12-21T09:00:00+07:00");
    const ikm = await app.login("ikm1@giliran.test");
    const board = await pageText(await app.fetch("/jadwal?date=2027-01-05", { headers: { Cookie: ikm } }));
    expect(board).toContain(`${MARK}: tanggal ini bisa dipesan, tetapi mungkin ternyata hari libur.`);
    expect(await pageText(await app.fetch("/jadwal?date=2026-12-22", { headers: { Cookie: ikm } }))).not.toContain(MARK);
    const form = await pageText(await app.fetch("/pesan?date=2027-01-05", { headers: { Cookie: ikm } }));
    expect(form).toContain(MARK);
    // Still bookable: 1 January 2027 has free time on the board, each piece a link to the form for that day.
    const newYear = await (await app.fetch("/jadwal?date=2027-01-01", { headers: { Cookie: ikm } })).text();
    expect(newYear).toMatch(/href="\/pesan\?machineId=\d+&amp;date=2027-01-01&amp;/);
  });

  it("one closure day of 2027 entered: no warning, no mark", async () => {
    app.setNow("2026-12-21T09:00:00+07:00");
    expect((await postForm(app, "/admin/libur", c.admin, { intent: "add", date: "2027-01-01", kind: "holiday", name: "Tahun Baru 2027 Masehi" })).status).toBe(302);
    expect(await adminHome()).not.toContain(WARNING);
    const ikm = await app.login("ikm1@giliran.test");
    expect(await pageText(await app.fetch("/jadwal?date=2027-01-05", { headers: { Cookie: ikm } }))).not.toContain(MARK);
  });
});
