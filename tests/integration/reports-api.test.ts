/**
 * The manager's reports through the real app on a real SQLite copy of the demo. A small world
 * of its own (a new machine type with two machines and two new IKMs, inserted with app.db) lives
 * in the week of Monday 21 – Sunday 27 December 2026, which has two closure days (Thursday 24
 * and Friday 25); the demo's own machines cannot touch its rows. The expected values are
 * computed by hand in the comments (default hours: Mon–Thu 07.30–12.00 & 13.00–16.00).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, loadApp } from "../support/app";
import { TEST_NOW_ISO } from "../support/constants";
import { parse as parseCsvWith } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { parseCsv } from "../support/csv";

let app: TestApp;
let managerToken: string;
let managerCookie: string;
const ids = { type: 0, m1: 0, m2: 0, ikm1: 0, ikm2: 0, manager: 0 };

/** An instant from a WIB wall-clock time. */
const wib = (s: string) => Date.parse(`${s.replace(" ", "T")}:00+07:00`);

async function api(path: string, token = managerToken) {
  const res = await app.fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  return res;
}

async function report(query: string) {
  const res = await api(`/api/v1/reports/utilization?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as {
    from: string;
    to: string;
    groupBy: string;
    asOf: string;
    rows: ({ key: string; label: string } & Record<string, number | null>)[];
    totals: Record<string, number | null>;
  };
}


async function insertBooking(b: {
  machine: number;
  ikm: number;
  from: string;
  to: string;
  status: string;
  created?: string;
  cancelled?: string;
  usage?: { from: string; to: string | null; fee: number | null };
}) {
  const start = wib(b.from);
  const end = wib(b.to);
  const created = wib(b.created ?? "2026-12-14 09:00");
  const row = await app.db
    .insertInto("bookings")
    .values({
      machine_id: b.machine,
      ikm_id: b.ikm,
      booked_by: ids.manager,
      start_at: start,
      end_at: end,
      hold_end_at: end,
      status: b.status,
      source: "backfill",
      purpose: "uji laporan",
      assisted: 0,
      cancelled_at: b.cancelled ? wib(b.cancelled) : null,
      late_cancel: 0,
      created_at: created,
      updated_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (b.usage) {
    await app.db
      .insertInto("usage_records")
      .values({
        booking_id: row.id,
        actual_start: wib(b.usage.from),
        actual_end: b.usage.to ? wib(b.usage.to) : null,
        operator_name: "Uji",
        operator_kind: "ikm",
        consumables: "",
        notes: "",
        billable_minutes: null,
        hourly_rate: null,
        fee: b.usage.fee,
        checked_in_by: ids.manager,
        created_at: wib(b.usage.from),
        updated_at: wib(b.usage.from),
      })
      .execute();
  }
  return row.id;
}

beforeAll(async () => {
  app = await loadApp();
  app.setNow("2026-12-28T12:00:00+07:00");
  managerToken = await app.apiLogin("manajer@giliran.test");
  managerCookie = await app.login("manajer@giliran.test");
  const t0 = wib("2025-01-01 00:00");
  ids.manager = (await app.db.selectFrom("users").select("id").where("email", "=", "manajer@giliran.test").executeTakeFirstOrThrow()).id;
  ids.type = (
    await app.db.insertInto("machine_types").values({ code: "UJI_LAPORAN", name: "Uji Laporan", description: "", created_at: t0 }).returning("id").executeTakeFirstOrThrow()
  ).id;
  const machine = (code: string) =>
    app.db
      .insertInto("machines")
      .values({
        code,
        name: `Mesin ${code}`,
        type_id: ids.type,
        status: "active",
        description: "",
        location: "",
        requires_approval: 0,
        requires_qualification: 0,
        operator_mode: "self",
        allocation_mode: "first_come",
        hours_json: null,
        created_at: t0,
        updated_at: t0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  ids.m1 = (await machine("UJI-01")).id;
  ids.m2 = (await machine("UJI-02")).id;
  const ikm = (name: string, nib: string) =>
    app.db
      .insertInto("ikms")
      .values({ name, owner_name: "Pemilik Uji", nib, phone: "+6281200000000", address: "", sector: "knalpot", active: 1, created_at: t0, updated_at: t0 })
      .returning("id")
      .executeTakeFirstOrThrow();
  ids.ikm1 = (await ikm("IKM Uji Satu", "9990000000001")).id;
  ids.ikm2 = (await ikm("IKM Uji Dua", "9990000000002")).id;

  await app.db
    .insertInto("maintenance_windows")
    .values({ machine_id: ids.m2, start_at: wib("2026-12-22 08:00"), end_at: wib("2026-12-22 10:00"), kind: "planned", reason: "uji", created_by: ids.manager, resolved_at: null, created_at: t0 })
    .execute();

  const { m1, m2, ikm1, ikm2 } = ids;
  await insertBooking({ machine: m1, ikm: ikm1, from: "2026-12-21 08:00", to: "2026-12-21 10:00", status: "completed", usage: { from: "2026-12-21 08:05", to: "2026-12-21 10:00", fee: 200_000 } });
  // Across the 12.00–13.00 break: 2 h booked, 2 h used.
  await insertBooking({ machine: m1, ikm: ikm2, from: "2026-12-21 11:00", to: "2026-12-21 14:00", status: "completed", usage: { from: "2026-12-21 11:00", to: "2026-12-21 14:00", fee: 150_000 } });
  await insertBooking({ machine: m1, ikm: ikm1, from: "2026-12-22 08:00", to: "2026-12-22 09:00", status: "no_show", created: "2026-12-20 11:00" });
  // Cancelled 17 h before its start: late.
  await insertBooking({ machine: m1, ikm: ikm2, from: "2026-12-22 13:00", to: "2026-12-22 15:00", status: "cancelled", cancelled: "2026-12-21 20:00" });
  // Sunday 22.00 → Monday 01.00: 1 h inside the week; its fee belongs to Sunday.
  await insertBooking({ machine: m1, ikm: ikm2, from: "2026-12-20 22:00", to: "2026-12-21 01:00", status: "completed", usage: { from: "2026-12-20 22:00", to: "2026-12-21 01:00", fee: 300_000 } });
  // Monday 00.30 WIB (Sunday 17.30 UTC): inside the week. Sunday 23.00 WIB: outside.
  await insertBooking({ machine: m2, ikm: ikm1, from: "2026-12-21 00:30", to: "2026-12-21 01:30", status: "pending" });
  await insertBooking({ machine: m2, ikm: ikm1, from: "2026-12-20 23:00", to: "2026-12-20 23:30", status: "pending" });
  // Checked in at 13.10, never checked out: used until its end 16.00 (170 min).
  await insertBooking({ machine: m2, ikm: ikm1, from: "2026-12-22 13:00", to: "2026-12-22 16:00", status: "checked_in", usage: { from: "2026-12-22 13:10", to: null, fee: null } });

  await app.db
    .insertInto("booking_attempts")
    .values([
      // Met: IKM 1 booked the no-show booking on the type an hour later.
      { ikm_id: ikm1, user_id: ids.manager, machine_id: m1, machine_type_id: ids.type, start_at: wib("2026-12-21 10:00"), end_at: wib("2026-12-21 12:00"), codes: "OVERLAP", created_at: wib("2026-12-20 10:00") },
      // Unmet: IKM 2 only cancelled afterwards. 2 h on UJI-02.
      { ikm_id: ikm2, user_id: ids.manager, machine_id: m2, machine_type_id: ids.type, start_at: wib("2026-12-22 08:00"), end_at: wib("2026-12-22 10:00"), codes: "MAINTENANCE", created_at: wib("2026-12-21 09:00") },
      // Not a capacity refusal.
      { ikm_id: ikm2, user_id: ids.manager, machine_id: m1, machine_type_id: ids.type, start_at: wib("2026-12-21 16:00"), end_at: wib("2026-12-21 17:00"), codes: "OUTSIDE_HOURS", created_at: wib("2026-12-20 10:00") },
    ])
    .execute();
  await app.db
    .insertInto("waitlist_entries")
    .values({
      ikm_id: ikm1,
      user_id: ids.manager,
      machine_id: null,
      machine_type_id: ids.type,
      earliest_start: wib("2026-12-22 08:00"),
      latest_end: wib("2026-12-23 16:00"),
      duration_minutes: 90,
      assisted: 0,
      purpose: "",
      status: "expired",
      created_at: wib("2026-12-20 10:00"),
      updated_at: wib("2026-12-23 16:00"),
    })
    .execute();
});

afterAll(() => {
  app.setNow(TEST_NOW_ISO);
});

const WEEK = "from=2026-12-21&to=2026-12-27";
const row = (rows: { key: string }[], key: string) => {
  const r = rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key}`);
  return r;
};

describe("GET /api/v1/reports/utilization on a hand-built world", () => {
  it("per machine: each metric of UJI-01 and UJI-02 as computed by hand", async () => {
    const r = await report(`${WEEK}&groupBy=machine`);
    expect(r.from).toBe("2026-12-21");
    expect(r.to).toBe("2026-12-27");
    expect(r.groupBy).toBe("machine");
    expect(r.asOf).toBe("2026-12-27T17:00:00.000Z"); // the week's end, Monday 00.00 WIB: it is over
    expect(row(r.rows, "UJI-01")).toEqual({
      key: "UJI-01",
      label: "UJI-01 · Mesin UJI-01",
      availableHours: 22.5, // Mon–Wed 7.5 h; Thu 24 and Fri 25 are closure days
      availableHoursToDate: 22.5, // the week is over: the same
      bookedHours: 6, // 2 + 2 (break excluded) + 1 (no-show) + 1 (Monday 00–01 of the Sunday booking)
      bookedAheadHours: 0,
      usedHours: 4.92, // 115 + 120 + 60 min = 295 min
      bookedUtilization: 0.2667, // 6 / 22.5
      actualUtilization: 0.2187, // 4.92 / 22.5
      noShowRate: 0.3333, // 1 / (2 + 1)
      lateCancellationRate: 0.25, // 1 / 4 bookings starting in the week
      unmetDemandHours: 0,
      fees: 350_000, // 200.000 + 150.000; the Sunday booking's fee belongs to Sunday
    });
    expect(row(r.rows, "UJI-02")).toEqual({
      key: "UJI-02",
      label: "UJI-02 · Mesin UJI-02",
      availableHours: 20.5, // 22.5 − 2 h maintenance
      availableHoursToDate: 20.5,
      bookedHours: 4, // 1 (Mon 00.30) + 3 (checked in)
      bookedAheadHours: 0,
      usedHours: 2.83, // 170 min
      bookedUtilization: 0.1951,
      actualUtilization: 0.138,
      noShowRate: null,
      lateCancellationRate: 0,
      unmetDemandHours: 2, // refused in the maintenance, never booked again
      fees: 0,
    });
    expect(row(r.rows, "UJI_LAPORAN:*")).toMatchObject({ label: "Uji Laporan, mesin mana saja", unmetDemandHours: 1.5, availableHours: 0 });
  });

  it("per type and per IKM", async () => {
    const byType = await report(`${WEEK}&groupBy=type`);
    expect(row(byType.rows, "UJI_LAPORAN")).toMatchObject({
      availableHours: 43,
      bookedHours: 10,
      usedHours: 7.75, // 295 + 170 min
      noShowRate: 0.3333,
      lateCancellationRate: 0.1667, // 1 / 6
      unmetDemandHours: 3.5, // 2 + 1.5 (expired waitlist, any machine)
      fees: 350_000,
    });
    const byIkm = await report(`${WEEK}&groupBy=ikm`);
    expect(row(byIkm.rows, String(ids.ikm1))).toEqual({
      key: String(ids.ikm1),
      label: "IKM Uji Satu",
      availableHours: null,
      availableHoursToDate: null,
      bookedHours: 7, // 2 + 1 + 1 + 3
      bookedAheadHours: 0,
      usedHours: 4.75, // 115 + 170 min
      bookedUtilization: null,
      actualUtilization: null,
      noShowRate: 0.5,
      lateCancellationRate: 0,
      unmetDemandHours: 1.5,
      fees: 200_000,
    });
    expect(row(byIkm.rows, String(ids.ikm2))).toMatchObject({ bookedHours: 3, usedHours: 3, lateCancellationRate: 0.5, unmetDemandHours: 2, fees: 150_000 });
  });

  it("a period of Sunday 20 December alone: its midnight is WIB's, not UTC's", async () => {
    const r = await report("from=2026-12-20&to=2026-12-20&groupBy=machine");
    expect(row(r.rows, "UJI-01")).toMatchObject({ availableHours: 0, bookedHours: 2, usedHours: 2, fees: 300_000 }); // 22.00–24.00
    expect(row(r.rows, "UJI-02")).toMatchObject({ bookedHours: 0.5 }); // 23.00–23.30 WIB only
  });

  it("totals are the sums of the rows, and the same for every grouping", async () => {
    const sum = (rows: Record<string, number | null>[], f: string) => Math.round(rows.reduce((s, r) => s + (r[f] ?? 0), 0) * 100) / 100;
    const all = await Promise.all(["machine", "type", "ikm"].map((g) => report(`from=2026-11-01&to=2026-12-27&groupBy=${g}`)));
    for (const r of all) {
      for (const f of ["bookedHours", "usedHours", "unmetDemandHours", "fees"]) expect(r.totals[f], `${r.groupBy} ${f}`).toBe(sum(r.rows, f));
      if (r.groupBy !== "ikm") expect(r.totals.availableHours).toBe(sum(r.rows, "availableHours"));
      expect(r.totals.availableHoursToDate).toBe(r.totals.availableHours); // a past period
      expect(r.totals.actualUtilization).toBe(Math.round(((r.totals.usedHours ?? 0) / (r.totals.availableHoursToDate ?? 1)) * 10000) / 10000);
    }
    const [machine, type, ikm] = all;
    expect(machine.totals.bookedHours).toBeGreaterThan(100); // the demo's own history is in it too
    // Rows are rounded so that they add up to the same exact total in every grouping.
    for (const f of ["bookedHours", "usedHours", "unmetDemandHours", "availableHours"]) {
      expect(type.totals[f], f).toBe(machine.totals[f]);
      expect(ikm.totals[f], f).toBe(machine.totals[f]);
    }
    expect(type.totals.fees).toBe(machine.totals.fees);
    expect(ikm.totals.fees).toBe(machine.totals.fees);
  });

  it("&format=csv gives the same rows and totals as a CSV file", async () => {
    const json = await report(`${WEEK}&groupBy=machine`);
    const res = await api(`/api/v1/reports/utilization?${WEEK}&groupBy=machine&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="utilization-2026-12-21_2026-12-27-machine.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark
    const rows = parseCsv(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1));
    expect(rows[0]).toEqual([
      "key",
      "label",
      "asOf",
      "availableHours",
      "availableHoursToDate",
      "bookedHours",
      "bookedAheadHours",
      "usedHours",
      "bookedUtilization",
      "actualUtilization",
      "noShowRate",
      "lateCancellationRate",
      "unmetDemandHours",
      "fees",
    ]);
    expect(rows).toHaveLength(json.rows.length + 2);
    const uji = rows.find((r) => r[0] === "UJI-01");
    expect(uji).toEqual(["UJI-01", "UJI-01 · Mesin UJI-01", "2026-12-27T17:00:00.000Z", "22.5", "22.5", "6", "0", "4.92", "0.2667", "0.2187", "0.3333", "0.25", "0", "350000"]);
    const total = rows[rows.length - 1];
    expect(total[0]).toBe("TOTAL");
    expect(total[2]).toBe(json.asOf);
    const fields = rows[0].slice(3);
    fields.forEach((f, i) => {
      expect(total[i + 3] === "" ? null : Number(total[i + 3]), f).toBe(json.totals[f]);
    });
    // The CSV's rows add up to its total line.
    const col = (name: string) => rows[0].indexOf(name);
    const sum = Math.round(rows.slice(1, -1).reduce((s, r) => s + Number(r[col("bookedHours")]), 0) * 100) / 100;
    expect(sum).toBe(Number(total[col("bookedHours")]));
  });
});

describe("a period that reaches past now (DESIGN.md): what happened counts up to asOf", () => {
  const NOW_AFTER = "2026-12-28T12:00:00+07:00";

  it("the week seen on Tuesday 22 December 09.00: to-date figures stop at 09.00, booked hours cover the week", async () => {
    app.setNow("2026-12-22T09:00:00+07:00");
    try {
      const r = await report(`${WEEK}&groupBy=machine`);
      expect(r.asOf).toBe("2026-12-22T02:00:00.000Z");
      expect(row(r.rows, "UJI-01")).toMatchObject({
        availableHours: 22.5,
        availableHoursToDate: 9, // Monday 7.5 + Tuesday 07.30–09.00
        bookedHours: 6,
        bookedAheadHours: 0, // the no-show ended at 09.00; the cancelled booking holds no time
        usedHours: 4.92, // all on Monday
        actualUtilization: 0.5467, // 4.92 / 9, not 4.92 / 22.5
        noShowRate: 0.3333, // two completed and the no-show have started; the cancelled one (13.00) has not
        lateCancellationRate: 0, // 0 / 3: its late cancellation counts once 13.00 has passed
        fees: 350_000,
      });
      expect(row(r.rows, "UJI-02")).toMatchObject({
        availableHoursToDate: 8, // Monday 7.5 + Tuesday 07.30–08.00, then the maintenance
        bookedHours: 4,
        bookedAheadHours: 3, // Tuesday 13.00–16.00
        usedHours: 0,
        actualUtilization: 0,
        unmetDemandHours: 1, // the refusal in the maintenance, 08.00–09.00 of 08.00–10.00
      });
      for (const m of [...r.rows, r.totals]) {
        expect(m.availableHoursToDate ?? 0).toBeLessThanOrEqual(m.availableHours ?? 0);
        expect(m.bookedAheadHours ?? 0).toBeLessThanOrEqual(m.bookedHours ?? 0);
      }
      expect(r.totals.actualUtilization).toBe(Math.round(((r.totals.usedHours ?? 0) / (r.totals.availableHoursToDate ?? 1)) * 10000) / 10000);
      const csv = await api(`/api/v1/reports/utilization?${WEEK}&groupBy=machine&format=csv`);
      const lines = parseCsv((await csv.text()).slice(1));
      const at = (name: string) => lines[0].indexOf(name);
      const uji = lines.find((l) => l[0] === "UJI-02") ?? [];
      expect([uji[at("asOf")], uji[at("availableHoursToDate")], uji[at("bookedAheadHours")]]).toEqual(["2026-12-22T02:00:00.000Z", "8", "3"]);
    } finally {
      app.setNow(NOW_AFTER);
    }
  });

  it("&dialect=id gives the CSV a spreadsheet set to Indonesian reads: every number read back equals the JSON (csv-parse, both dialects; issue 29)", async () => {
    const json = await report(`${WEEK}&groupBy=machine`);
    for (const [dialect, delimiter] of [["standard", ","], ["id", ";"]] as const) {
      const res = await api(`/api/v1/reports/utilization?${WEEK}&groupBy=machine&format=csv&dialect=${dialect}`);
      expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
      const lines: string[][] = parseCsvWith(await res.text(), { delimiter, bom: true, relax_column_count: false });
      const header = lines[0];
      expect(header.length).toBeGreaterThan(10);
      const fields = header.slice(3);
      let numbers = 0;
      for (const r of [...json.rows, { key: "TOTAL", ...json.totals }] as Array<Record<string, unknown>>) {
        const line = lines.find((l) => l[0] === r.key);
        expect(line, `row ${r.key}`).toBeDefined();
        for (const [i, f] of fields.entries()) {
          const cell = (line as string[])[i + 3];
          // The Indonesian dialect writes a decimal comma and never a dot (a dot would be read as thousands).
          if (dialect === "id") expect(cell, `${r.key} ${f}`).not.toMatch(/\./);
          const value = cell === "" ? null : Number(dialect === "id" ? cell.replace(",", ".") : cell);
          expect(value, `${dialect} ${r.key} ${f}`).toBe(r[f] ?? null);
          if (value !== null) numbers++;
        }
      }
      expect(numbers).toBeGreaterThan(20);
    }
    const bad = await api(`/api/v1/reports/utilization?${WEEK}&format=csv&dialect=excel`);
    expect(bad.status).toBe(400);
  });

  it("a period wholly in the future: asOf is now, every to-date figure is zero and its rates empty", async () => {
    const r = await report("from=2027-01-04&to=2027-01-10&groupBy=type");
    expect(r.asOf).toBe("2026-12-28T05:00:00.000Z");
    expect(r.totals).toMatchObject({ availableHoursToDate: 0, usedHours: 0, actualUtilization: null, noShowRate: null, unmetDemandHours: 0, fees: 0 });
    expect(r.totals.availableHours).toBeGreaterThan(0);
    expect(r.totals.bookedAheadHours).toBe(r.totals.bookedHours);
  });
});

describe("who may see reports, and bad input", () => {
  it("401 without a token, 403 for an IKM member and a technician", async () => {
    expect((await app.fetch(`/api/v1/reports/utilization?${WEEK}`)).status).toBe(401);
    for (const login of ["ikm1@giliran.test", "teknisi@giliran.test"]) {
      const res = await api(`/api/v1/reports/utilization?${WEEK}`, await app.apiLogin(login));
      expect(res.status, login).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    expect((await api(`/api/v1/reports/utilization?${WEEK}`, await app.apiLogin("admin@giliran.test"))).status).toBe(200);
  });

  it("400 naming the field: to before from, a period over two years, a bad date, a bad groupBy", async () => {
    const bad = async (query: string) => {
      const res = await api(`/api/v1/reports/utilization?${query}`);
      expect(res.status, query).toBe(400);
      return ((await res.json()) as { error: { code: string; details: { fields: { field: string; message: string }[] } } }).error;
    };
    expect((await bad("from=2026-12-27&to=2026-12-21")).details.fields).toEqual([{ field: "to", message: "harus sama dengan atau sesudah tanggal awal" }]);
    expect((await bad("from=2024-01-01&to=2026-01-01")).details.fields).toEqual([{ field: "to", message: "periode paling panjang 2 tahun (731 hari)" }]);
    expect((await bad("from=2026-02-30&to=2026-03-01")).details.fields[0].field).toBe("from");
    expect((await bad(`${WEEK}&groupBy=operator`)).details.fields).toEqual([{ field: "groupBy", message: "harus machine, type atau ikm" }]);
    expect((await bad("to=2026-12-21")).details.fields[0].field).toBe("from");
    expect((await bad(`${WEEK}&format=xls`)).details.fields[0].field).toBe("format");
    expect((await bad(`${WEEK}&sort=asc`)).code).toBe("invalid_input");
    // Exactly two years is allowed.
    expect((await api("/api/v1/reports/utilization?from=2024-12-02&to=2026-12-01")).status).toBe(200);
  });
});

describe("the report page, its CSV files and the drill-down", () => {
  const page = (path: string, cookie = managerCookie) => app.fetch(path, { headers: { Cookie: cookie } });

  it("the page shows the table with definitions; IKM members and technicians get 403", async () => {
    const res = await page(`/laporan?${WEEK}&groupBy=machine&bucket=week`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Laporan pemanfaatan mesin");
    expect(html).toContain("UJI-01 · Mesin UJI-01");
    expect(html).toContain("jam layanan dalam periode − hari libur − perawatan/kerusakan");
    expect(html).toContain("Uji Laporan, mesin mana saja");
    expect(html).toContain("<svg");
    for (const login of ["ikm2@giliran.test", "teknisi@giliran.test"]) {
      expect((await page(`/laporan?${WEEK}`, await app.login(login))).status, login).toBe(403);
      expect((await page(`/laporan/csv?${WEEK}`, await app.login(login))).status, login).toBe(403);
    }
  });

  it("without a period the page shows last month; a wrong period names the field in Indonesian", async () => {
    const res = await page("/laporan");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("1 November 2026 – 30 November 2026"); // GILIRAN_NOW is 28 December
    const bad = await page("/laporan?from=2026-12-27&to=2026-12-21");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Sampai tanggal: harus sama dengan atau sesudah tanggal awal");
  });

  it("the summary CSV has the page's rows and totals, with percentages", async () => {
    const res = await page(`/laporan/csv?${WEEK}&groupBy=type&bucket=none&table=summary`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="laporan-ringkasan-2026-12-21_2026-12-27-jenis-mesin.csv"');
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const header = rows[0];
    expect(header.slice(0, 6)).toEqual(["Jenis mesin", "Kode", "Jam tersedia", "Jam tersedia s.d. batas data", "Jam terpesan", "Jam terpesan ke depan"]);
    expect(header[header.length - 1]).toBe("Batas data");
    const uji = rows.find((r) => r[1] === "UJI_LAPORAN") as string[];
    const at = (name: string) => uji[header.indexOf(name)];
    expect(at("Jam tersedia")).toBe("43");
    expect(at("Jam tersedia s.d. batas data")).toBe("43");
    expect(at("Jam terpesan ke depan")).toBe("0");
    expect(at("Batas data")).toBe("2026-12-28 00:00"); // the week is over: its end, local time
    expect(at("Jam dipakai")).toBe("7.75");
    expect(at("Pemanfaatan aktual (%)")).toBe("18.02"); // 7.75 / 43
    expect(at("Tingkat batal mendadak (%)")).toBe("16.67");
    expect(at("Permintaan tak terlayani (jam)")).toBe("3.5");
    const json = await report(`${WEEK}&groupBy=type`);
    const total = rows[rows.length - 1];
    expect(total[0]).toBe("Total");
    expect(Number(total[header.indexOf("Jam terpesan")])).toBe(json.totals.bookedHours);
    expect(Number(total[header.indexOf("Retribusi (Rp)")])).toBe(json.totals.fees);
  });

  it("the page's CSV in the Indonesian dialect: the same cells with ';', decimal commas and DD/MM/YYYY (issue 29)", async () => {
    const res = await page(`/laporan/csv?${WEEK}&groupBy=type&bucket=none&table=summary&dialect=id`);
    expect(res.status).toBe(200);
    const rows: string[][] = parseCsvWith(await res.text(), { delimiter: ";", bom: true });
    const header = rows[0];
    const uji = rows.find((r) => r[1] === "UJI_LAPORAN") as string[];
    const at = (name: string) => uji[header.indexOf(name)];
    expect(at("Jam dipakai")).toBe("7,75");
    expect(at("Pemanfaatan aktual (%)")).toBe("18,02");
    expect(at("Batas data")).toBe("28/12/2026 00:00");
    // Cell by cell the standard file's, read the Indonesian way.
    const standard: string[][] = parseCsvWith(await (await page(`/laporan/csv?${WEEK}&groupBy=type&bucket=none&table=summary`)).text(), { bom: true });
    expect(rows.length).toBe(standard.length);
    for (const [i, line] of standard.entries())
      for (const [j, cell] of line.entries()) {
        const id = rows[i][j];
        const date = /^(\d{4})-(\d\d)-(\d\d)( \d\d:\d\d)?$/.exec(cell);
        expect(id, `row ${i} column ${j}`).toBe(date ? `${date[3]}/${date[2]}/${date[1]}${date[4] ?? ""}` : /^-?\d+\.\d+$/.test(cell) ? cell.replace(".", ",") : cell);
      }
  });

  it("the page's tables as XLSX: exceljs reads back numbers, percentages and dates that equal the JSON report, under a frozen header (issue 29)", async () => {
    const res = await page(`/laporan/xlsx?${WEEK}&groupBy=type&bucket=none&table=summary`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="laporan-ringkasan-2026-12-21_2026-12-27-jenis-mesin.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (name: string) => header.indexOf(name) + 1;
    const json = await report(`${WEEK}&groupBy=type`);
    const fields: Array<[string, keyof typeof json.totals, "hours" | "percent" | "rupiah"]> = [
      ["Jam tersedia", "availableHours", "hours"],
      ["Jam terpesan", "bookedHours", "hours"],
      ["Jam dipakai", "usedHours", "hours"],
      ["Pemanfaatan terpesan (%)", "bookedUtilization", "percent"],
      ["Pemanfaatan aktual (%)", "actualUtilization", "percent"],
      ["Tingkat tidak hadir (%)", "noShowRate", "percent"],
      ["Retribusi (Rp)", "fees", "rupiah"],
    ];
    let compared = 0;
    for (const r of json.rows as Array<Record<string, unknown>>) {
      const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((x) => x.getCell(col("Kode")).value === r.key);
      if (!row) throw new Error(`row ${r.key} is not in the workbook`);
      for (const [name, field, kind] of fields) {
        expect(col(name), name).toBeGreaterThan(0);
        const cell = row.getCell(col(name));
        const want = r[field] as number | null;
        if (want === null) expect(cell.value ?? null, `${r.key} ${name}`).toBeNull();
        else {
          expect(typeof cell.value, `${r.key} ${name}`).toBe("number");
          expect(cell.value as number).toBeCloseTo(want, 9);
          expect(cell.numFmt).toBe(kind === "percent" ? "0.00%" : kind === "hours" ? "0.0" : "#,##0");
          compared++;
        }
      }
      const asOf = row.getCell(col("Batas data"));
      expect(asOf.value).toBeInstanceOf(Date);
      expect((asOf.value as Date).toISOString()).toBe("2026-12-28T00:00:00.000Z"); // 28/12/2026 00:00, the facility's wall clock
    }
    expect(compared).toBeGreaterThan(5);
    // The drill-down as XLSX too; a bad query is a 400 naming the field, never a broken file.
    const detail = await page(`/laporan/xlsx?${WEEK}&table=detail&machineId=${ids.m1}`);
    expect(detail.status).toBe(200);
    expect((await page(`/laporan/xlsx?${WEEK}&table=nope`)).status).toBe(400);
    // Every table of the page opens as a workbook with the CSV's rows.
    for (const table of ["summary", "buckets", "utilization", "heatmap", "ikms", "unmet"]) {
      const q = `${WEEK}&groupBy=machine&bucket=week&table=${table}`;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await (await page(`/laporan/xlsx?${q}`)).arrayBuffer());
      const csvRows: string[][] = parseCsvWith(await (await page(`/laporan/csv?${q}`)).text(), { bom: true });
      expect(book.worksheets[0].rowCount, table).toBe(csvRows.length);
    }
  });

  it("every table of the page downloads; a bad table is a 400 naming the field", async () => {
    for (const table of ["buckets", "utilization", "heatmap", "ikms", "unmet"]) {
      const res = await page(`/laporan/csv?${WEEK}&groupBy=machine&bucket=week&table=${table}`);
      expect(res.status, table).toBe(200);
      expect((await res.text()).split("\r\n").length, table).toBeGreaterThan(2);
    }
    const bad = await page(`/laporan/csv?${WEEK}&table=pivot`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Tabel: tabel tidak dikenal");
  });

  it("the drill-down lists UJI-01's bookings with the hours inside the week, adding up to its row", async () => {
    const res = await page(`/laporan/rincian?${WEEK}&machineId=${ids.m1}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Pemesanan (5)"); // 4 in the week + the Sunday one reaching into Monday
    expect(html).toContain("Tidak hadir");
    expect(html).toContain("batal mendadak");
    const csv = await page(`/laporan/csv?${WEEK}&machineId=${ids.m1}&table=detail`);
    expect(csv.status).toBe(200);
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, ""));
    expect(rows).toHaveLength(1 + 5 + 1);
    const total = rows[rows.length - 1];
    const h = rows[0];
    expect(Number(total[h.indexOf("Jam terpesan")])).toBe(6);
    expect(Number(total[h.indexOf("Jam dipakai")])).toBe(4.92);
    expect(Number(total[h.indexOf("Retribusi dihitung (Rp)")])).toBe(350_000);
    const missing = await page(`/laporan/rincian?${WEEK}`);
    expect(missing.status).toBe(400);
  });

  it("the manager's home is the report's \u201cBulan ini\u201d: the same span, the same actual utilization", async () => {
    const res = await page("/manajer");
    expect(res.status).toBe(200);
    const home = await res.text();
    // The whole month, as the quick choice; its words say how far it has happened.
    expect(home).toContain("/laporan?from=2026-12-01&amp;to=2026-12-31");
    expect(home).toContain("Bulan ini · 1–28 Des s.d. hari ini");
    const homeRate = /data-testid="home-actual-utilization"[^>]*>([^<]+)</.exec(home)?.[1];
    const report = await (await page("/laporan?from=2026-12-01&to=2026-12-31&groupBy=machine&bucket=none")).text();
    expect(report).toContain("1–28 Des s.d. hari ini");
    const total = report.slice(report.indexOf('data-testid="report-table-total"'));
    const reportRate = /data-col="actualUtilization"[^>]*>([^<]+)</.exec(total)?.[1];
    expect(homeRate).toMatch(/^\d+(,\d)?%$/);
    expect(homeRate).toBe(reportRate);
    // …and both are used ÷ available up to now (Monday 28 December 12.00), not the whole month.
    const json = await (await api("/api/v1/reports/utilization?from=2026-12-01&to=2026-12-31&groupBy=type")).json();
    expect(json.totals.availableHoursToDate).toBeLessThan(json.totals.availableHours);
    expect(homeRate).toBe(`${(json.totals.actualUtilization * 100).toLocaleString("id-ID", { maximumFractionDigits: 1 })}%`);
  });

  it("a period reaching past now says where its figures stop, and names each quick choice's span", async () => {
    const html = await (await page("/laporan?from=2026-12-01&to=2026-12-31")).text();
    expect(html).toContain('data-testid="report-asof"');
    expect(html).toContain("Senin, 28 Desember 2026 12.00 WIB");
    expect(html).toContain("Jam terpesan ke depan");
    expect(html).toContain("1–30 Nov"); // last month, wholly past: its whole span
    const past = await (await page("/laporan?from=2026-11-01&to=2026-11-30")).text();
    expect(past).not.toContain('data-testid="report-asof"');
    expect(past).not.toContain("Jam terpesan ke depan"); // nothing is ahead: no column repeating the others
  });
});
