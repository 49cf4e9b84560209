/** Closure days: list by year, add, remove, and the all-or-nothing CSV import. */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { cookies, expectFormError, expectReadPermissions, expectWriteForbidden, pageText, postForm } from "./admin-helpers";

let app: TestApp;
let c: Awaited<ReturnType<typeof cookies>>;

beforeAll(async () => {
  app = await loadApp();
  c = await cookies(app);
});

const closures = (prefix: string) => app.db.selectFrom("closure_days").selectAll().where("date", "like", `${prefix}%`).orderBy("date").execute();

function csvUpload(text: string, name = "libur.csv"): FormData {
  const fd = new FormData();
  fd.set("intent", "import");
  fd.set("file", new Blob([text], { type: "text/csv" }), name);
  fd.set("csv", "");
  return fd;
}

describe("closure days", () => {
  it("admin and manager read the list; only the admin may change it", async () => {
    await expectReadPermissions(app, "/admin/libur", c);
    await expectReadPermissions(app, "/admin/libur?tahun=2027", c);
    await expectWriteForbidden(app, "/admin/libur", { intent: "add", date: "2027-05-01", kind: "holiday", name: "Hari Buruh" }, c);
    await expectWriteForbidden(app, "/admin/libur", { intent: "import", csv: "date,kind,name\n2027-05-01,holiday,Hari Buruh" }, c);
    await expectWriteForbidden(app, "/admin/libur", { intent: "remove", date: "2026-12-25" }, c);
    expect(await closures("2027")).toEqual([]);
    expect((await closures("2026-12-25")).length).toBe(1);
  });

  it("lists the year's closure days in Indonesian dates", async () => {
    const text = await pageText(await app.fetch("/admin/libur?tahun=2026", { headers: { Cookie: c.manager } }));
    expect(text).toContain("Hari libur 2026 (25)");
    expect(text).toContain("Jumat, 25 Desember 2026");
    expect(text).toContain("Hari Raya Natal");
  });

  it("adds a day (warning about the bookings on it), refuses a taken date or bad fields, and removes a day", async () => {
    // A day that has bookings: the first upcoming one's local date.
    const first = await app.db.selectFrom("bookings").select("start_at").where("start_at", ">", Date.parse("2026-12-02T00:00:00+07:00")).where("status", "=", "confirmed").orderBy("start_at").executeTakeFirstOrThrow();
    const day = new Date(Number(first.start_at) + 7 * 3600_000).toISOString().slice(0, 10);
    const busy = await app.db
      .selectFrom("bookings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("start_at", ">=", Date.parse(`${day}T00:00:00+07:00`))
      .where("start_at", "<", Date.parse(`${day}T23:59:59+07:00`))
      .where("status", "in", ["pending", "confirmed", "checked_in"])
      .executeTakeFirstOrThrow();
    expect(Number(busy.n)).toBeGreaterThan(0);
    const res = await postForm(app, "/admin/libur", c.admin, { intent: "add", date: day, kind: "facility", name: "Kalibrasi seluruh mesin" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/libur?tahun=2026&ditambah=${day}&pemesanan=${busy.n}`);
    expect(await closures(day)).toMatchObject([{ kind: "facility", name: "Kalibrasi seluruh mesin" }]);
    const page = await pageText(await app.fetch(res.headers.get("Location") as string, { headers: { Cookie: c.admin } }));
    expect(page).toContain(`Perhatian: ada ${busy.n} pemesanan pada tanggal itu.`);

    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "add", date: "2026-12-25", kind: "holiday", name: "Natal" }), 400, "Tanggal ini sudah tercatat sebagai hari libur: Hari Raya Natal.");
    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "add", date: "2026-13-01", kind: "holiday", name: "X" }), 400, "harus berupa tanggal YYYY-MM-DD");
    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "add", date: "2026-12-11", kind: "party", name: "X" }), 400, "Pilih jenis: libur nasional, cuti bersama atau libur UPTD.");
    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "add", date: "2026-12-11", kind: "holiday", name: " " }), 400, "Isi nama hari libur.");

    const removed = await postForm(app, "/admin/libur", c.admin, { intent: "remove", date: day });
    expect(removed.status).toBe(302);
    expect(await closures(day)).toEqual([]);
    const events = await app.db.selectFrom("audit_events").select(["action", "before_json", "after_json"]).where("entity", "=", "closure_day").where("entity_id", "=", day).orderBy("id").execute();
    expect(events.map((e) => e.action)).toEqual(["closure.create", "closure.delete"]);
    expect((await postForm(app, "/admin/libur", c.admin, { intent: "remove", date: day })).status).toBe(404);
  });
});

describe("importing a CSV (date,kind,name)", () => {
  it("imports every row of a good file, updates existing dates and says so", async () => {
    const csv = [
      "date,kind,name",
      "2027-01-01,holiday,Tahun Baru Masehi",
      "2027-02-06,holiday,Tahun Baru Imlek",
      "2027-02-05,collective_leave,Cuti bersama Tahun Baru Imlek",
      '2027-03-10,holiday,"Hari Suci Nyepi, Tahun Baru Saka"',
      "2027-08-17,holiday,Hari Kemerdekaan RI",
      // An existing 2026 date with another name: updated, not duplicated.
      "2026-12-24,collective_leave,Cuti bersama Hari Raya Natal (diperbarui)",
      // The same as stored: unchanged.
      "2026-12-25,holiday,Hari Raya Natal",
      "",
    ].join("\r\n");
    const res = await postForm(app, "/admin/libur", c.admin, csvUpload(csv));
    expect(res.status).toBe(200);
    const text = await pageText(res);
    expect(text).toContain("Impor berhasil: 5 ditambahkan, 1 diperbarui, 1 sudah sama.");
    expect(text).toContain("Diperbarui: 2026-12-24.");
    const rows = await closures("2027");
    expect(rows.map((r) => r.date)).toEqual(["2027-01-01", "2027-02-05", "2027-02-06", "2027-03-10", "2027-08-17"]);
    expect(rows.find((r) => r.date === "2027-03-10")?.name).toBe("Hari Suci Nyepi, Tahun Baru Saka");
    expect((await closures("2026-12-24"))[0]).toMatchObject({ kind: "collective_leave", name: "Cuti bersama Hari Raya Natal (diperbarui)" });
    const updated = await app.db.selectFrom("audit_events").selectAll().where("entity", "=", "closure_day").where("entity_id", "=", "2026-12-24").executeTakeFirstOrThrow();
    expect(updated.action).toBe("closure.import_update");
    expect(JSON.parse(updated.before_json ?? "{}").name).not.toBe(JSON.parse(updated.after_json ?? "{}").name);
  });

  it("the shared 2026 file (the demo's own) imports as all unchanged, pasted as text", async () => {
    const csv = fs.readFileSync("/work/shared/data/id-closures-2026.csv", "utf8");
    const res = await postForm(app, "/admin/libur", c.admin, { intent: "import", csv });
    expect(res.status).toBe(200);
    // 2026-12-24 was renamed by the previous test: importing the official file puts it back.
    expect(await pageText(res)).toContain("Impor berhasil: 0 ditambahkan, 1 diperbarui, 24 sudah sama.");
  });

  it("a file in Indonesian as Excel saves it (';' between fields, DD/MM/YYYY dates, Indonesian headers and kinds) imports the same (issue 28)", async () => {
    const csv = ["\uFEFFTanggal;Jenis;Nama", "01/01/2029;Libur nasional;Tahun Baru Masehi", "02/01/2029;cuti bersama;Cuti Bersama Tahun Baru", '31/12/2029;Fasilitas;"Tutup buku; inventaris"'].join("\r\n");
    const res = await postForm(app, "/admin/libur", c.admin, csvUpload(csv, "libur-2029.csv"));
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Impor berhasil: 3 ditambahkan, 0 diperbarui, 0 sudah sama.");
    expect((await closures("2029")).map(({ date, kind, name }) => ({ date, kind, name }))).toEqual([
      { date: "2029-01-01", kind: "holiday", name: "Tahun Baru Masehi" },
      { date: "2029-01-02", kind: "collective_leave", name: "Cuti Bersama Tahun Baru" },
      { date: "2029-12-31", kind: "facility", name: "Tutup buku; inventaris" },
    ]);
    // The columns may come in another order; a bad line is still named by its number.
    const wrong = ["nama,tanggal,jenis", "Hari Buruh,01/05/2029,libur nasional", "Waisak,20/05/2029,libur agama"].join("\n");
    const text = await expectFormError(await postForm(app, "/admin/libur", c.admin, csvUpload(wrong)), 400, "Tidak ada yang disimpan.");
    expect(text).toContain('Baris 3: jenis "libur agama" tidak dikenal');
    expect((await closures("2029")).map((r) => r.date)).not.toContain("2029-05-01");
  });

  const bad: Array<[string, string, string]> = [
    ["an impossible date", "2028-02-30,holiday,Tanggal mustahil", 'Baris 4: tanggal "2028-02-30" tidak valid (format YYYY-MM-DD atau DD/MM/YYYY).'],
    ["a date in another format", "17-08-28,holiday,Hari Kemerdekaan", 'Baris 4: tanggal "17-08-28" tidak valid (format YYYY-MM-DD atau DD/MM/YYYY).'],
    ["an impossible date written the Indonesian way", "30/02/2028,holiday,Tanggal mustahil", 'Baris 4: tanggal "30/02/2028" tidak valid'],
    ["an unknown kind", "2028-08-17,national,Hari Kemerdekaan", 'Baris 4: jenis "national" tidak dikenal (pilih holiday, collective_leave, facility, atau libur nasional, cuti bersama, fasilitas).'],
    ["an empty name", "2028-08-17,holiday,  ", "Baris 4: nama kosong."],
    ["a missing column", "2028-08-17,holiday", "Baris 4: harus berisi tepat 3 kolom seperti baris judul (tanggal, jenis, nama)."],
    ["a date twice in the file", "2028-01-01,holiday,Tahun Baru lagi", "Baris 4: tanggal 2028-01-01 sudah ada di baris 2."],
  ];
  for (const [name, line, message] of bad) {
    it(`a file with ${name} imports nothing and names the line`, async () => {
      const csv = ["date,kind,name", "2028-01-01,holiday,Tahun Baru Masehi", "2028-01-26,holiday,Isra Mikraj", line, "2028-12-25,holiday,Hari Raya Natal"].join("\n");
      const res = await postForm(app, "/admin/libur", c.admin, csvUpload(csv));
      const text = await expectFormError(res, 400, "Tidak ada yang disimpan. Perbaiki baris berikut lalu impor lagi:");
      expect(text).toContain(message);
      expect(await closures("2028")).toEqual([]);
    });
  }

  it("refuses a wrong header, an empty file and a file too large", async () => {
    await expectFormError(await postForm(app, "/admin/libur", c.admin, csvUpload("hari,jenis,nama\n2028-01-01,holiday,X")), 400, "Baris 1: Baris judul harus date,kind,name atau tanggal,jenis,nama.");
    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "import", csv: "" }), 400, "Pilih berkas CSV atau tempel isinya.");
    await expectFormError(await postForm(app, "/admin/libur", c.admin, { intent: "import", csv: "date,kind,name\n" }), 400, "Berkas tidak berisi baris data.");
    const big = `date,kind,name\n${"2028-01-01,holiday,x\n".repeat(14000)}`;
    await expectFormError(await postForm(app, "/admin/libur", c.admin, csvUpload(big)), 400, "Berkas terlalu besar (paling besar 256 KB).");
    expect(await closures("2028")).toEqual([]);
  });
});
