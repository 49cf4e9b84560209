/**
 * A new facility from an EMPTY database, through the pages alone: the built server (node
 * server.js) is started on a fresh file without the demo seed and driven with fetch — create the
 * first admin on /setup, set the facility's hours, add a machine type and a machine with a
 * tariff, register an IKM and a member, and the member books the machine on /pesan.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_DIR, TEST_NOW_ISO } from "../support/constants";

let child: ChildProcess;
let base: string;
let log = "";
// Its own folder: the generated session secret is kept beside the database.
const dir = path.resolve(`tmp/admin-setup-${process.pid}-${Math.random().toString(36).slice(2)}`);
const dbFile = path.join(dir, "giliran.db");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${log}`);
}

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ["server.js"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      SEED_DEMO: "0",
      DATABASE_URL: dbFile,
      PORT: String(port),
      HOST: "127.0.0.1",
      BUILD_DIR,
      GILIRAN_NOW: TEST_NOW_ISO,
      LOG_REQUESTS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  await waitUntilUp(`${base}/healthz`, 20_000);
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A browser without JavaScript: form posts, cookies kept, redirects not followed. */
class Browser {
  cookie = "";
  async get(p: string) {
    return fetch(base + p, { headers: this.cookie ? { Cookie: this.cookie } : {}, redirect: "manual" });
  }
  async post(p: string, form: Record<string, string>) {
    const res = await fetch(base + p, {
      method: "POST",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", ...(this.cookie ? { Cookie: this.cookie } : {}) },
      body: new URLSearchParams(form),
      redirect: "manual",
    });
    const set = res.headers.get("Set-Cookie");
    if (set) this.cookie = set.split(";")[0];
    return res;
  }
}

async function text(res: Response) {
  return (await res.text()).replaceAll(String.fromCharCode(0), "").replace(/<!-- -->/g, "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

function weekHours(days: string[], periods: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of ["1", "2", "3", "4", "5", "6", "7"]) {
    if (!days.includes(d)) out[`hours.${d}.closed`] = "on";
    else
      for (const [i, [s, e]] of periods.entries()) {
        out[`hours.${d}.${i}.start`] = s;
        out[`hours.${d}.${i}.end`] = e;
      }
  }
  return out;
}

describe("setting up a new facility from an empty database, through the pages alone", () => {
  it("leads every page to /setup, creates the first admin, then /setup is gone", async () => {
    const visitor = new Browser();
    // Every page leads there (some through the login page first).
    for (const p of ["/", "/login", "/admin", "/admin/mesin", "/jadwal", "/pesan"]) {
      let at = p;
      for (let hop = 0; hop < 3 && at !== "/setup"; hop++) {
        const res = await visitor.get(at);
        expect(res.status, at).toBe(302);
        at = res.headers.get("Location") ?? "";
      }
      expect(at, p).toBe("/setup");
    }
    const page = await visitor.get("/setup");
    expect(page.status).toBe(200);
    expect(await text(page)).toContain("Persiapan awal Giliran");

    const bad = await visitor.post("/setup", { name: "", email: "bukan-email", password: "pendek", passwordConfirm: "lain" });
    expect(bad.status).toBe(400);
    const badText = await text(bad);
    expect(badText).toContain("Isi nama.");
    expect(badText).toContain("Email tidak valid");
    expect(badText).toContain("Kata sandi paling sedikit 10 karakter.");
    expect(badText).not.toContain("pendek"); // passwords are never sent back
    const mismatch = await visitor.post("/setup", { name: "Wahyu Setiadi", email: "wahyu@uptd-logam.id", password: "besi-baja-2026", passwordConfirm: "besi-baja-2027" });
    expect(await text(mismatch)).toContain("Kedua kata sandi tidak sama.");
  });

  it("walks through the whole set-up and a member books the new machine", async () => {
    const admin = new Browser();
    const created = await admin.post("/setup", { name: "Wahyu Setiadi", email: "Wahyu@UPTD-Logam.id", password: "besi-baja-2026", passwordConfirm: "besi-baja-2026" });
    expect(created.status).toBe(302);
    expect(created.headers.get("Location")).toBe("/admin/fasilitas?setup=1");
    expect(admin.cookie).toMatch(/^giliran_session=/);
    const next = await text(await admin.get("/admin/fasilitas?setup=1"));
    expect(next).toContain("Akun admin dibuat. Langkah berikutnya:");
    // The facility row was created with defaults at start.
    expect(next).toContain('value="UPTD Logam Purbalingga"');

    // /setup no longer exists, for anyone.
    expect((await admin.get("/setup")).status).toBe(404);
    expect((await new Browser().get("/setup")).status).toBe(404);
    expect((await new Browser().post("/setup", { name: "X", email: "x@x.id", password: "0123456789", passwordConfirm: "0123456789" })).status).toBe(404);
    // The admin logs in again with the chosen password.
    const again = new Browser();
    expect((await again.post("/login", { login: "wahyu@uptd-logam.id", password: "besi-baja-2026" })).headers.get("Location")).toBe("/admin");

    // Facility: name, zone and hours (Mon–Fri with a break, Saturday morning).
    const hours: Record<string, string> = { ...weekHours(["1", "2", "3", "4", "5"], [["08:00", "12:00"], ["13:00", "16:00"]]), "hours.6.0.start": "08:00", "hours.6.0.end": "12:00" };
    delete hours["hours.6.closed"];
    const facility = await admin.post("/admin/fasilitas", {
      name: "UPTD Logam Tegal",
      timeZone: "Asia/Jakarta",
      operatorsOnDuty: "1",
      hourlyRate: "80000",
      slotMinutes: "30",
      minMinutes: "60",
      maxMinutes: "240",
      bufferMinutes: "0",
      noticeMinutes: "60",
      horizonDays: "21",
      weeklyQuotaHours: "10",
      maxActiveBookings: "5",
      billingIncrementMinutes: "30",
      graceMinutes: "20",
      noshowCount: "3",
      noshowWindowDays: "60",
      restrictDays: "30",
      waitlistOfferMinutes: "120",
      allocationCutoffWeekday: "4",
      allocationCutoffTime: "12:00",
      ...hours,
    });
    expect(facility.status).toBe(302);
    expect(await text(await admin.get("/admin/fasilitas?disimpan=1"))).toContain('value="UPTD Logam Tegal"');

    // A machine type, then a machine of that type with its tariff.
    const type = await admin.post("/admin/mesin", { intent: "addType", code: "PRESS", name: "Mesin Press Hidrolik", description: "Pembentukan plat" });
    expect(type.status).toBe(200);
    const newMachinePage = await text(await admin.get("/admin/mesin/baru"));
    const typeId = /<option value="(\d+)">Mesin Press Hidrolik \(PRESS\)<\/option>/.exec(newMachinePage)?.[1];
    expect(typeId).toBeTruthy();
    expect(newMachinePage).toContain("Kosongkan untuk memakai default: 1 jam"); // the new facility minimum
    const machine = await admin.post("/admin/mesin/baru", {
      code: "PRS-01",
      name: "Press Hidrolik 80 Ton",
      typeId: typeId as string,
      status: "active",
      location: "Bengkel utama",
      description: "",
      operatorMode: "self",
      allocationMode: "first_come",
      hourlyRate: "75.000",
      tariffFrom: "2026-12-01",
    });
    expect(machine.status).toBe(302);
    const machinePath = (machine.headers.get("Location") ?? "").replace(/\?.*$/, "");
    expect(machinePath).toMatch(/^\/admin\/mesin\/\d+$/);
    const machineId = machinePath.split("/").pop() as string;

    // An IKM and its member (temporary password shown once).
    const ikm = await admin.post("/admin/ikm/baru", { intent: "save", name: "Knalpot Slawi Jaya", ownerName: "Tarjo", nib: "8120000000017", phone: "081390001234", address: "Slawi", sector: "Knalpot" });
    expect(ikm.status).toBe(302);
    const ikmId = (ikm.headers.get("Location") ?? "").match(/\/admin\/ikm\/(\d+)/)?.[1] as string;
    const member = await admin.post("/admin/pengguna/baru", { intent: "save", name: "Tarjo", email: "", phone: "0813 9000 1234", role: "ikm", ikmId, language: "id" });
    expect(member.status).toBe(200);
    const password = /class="admin-secret">([a-z0-9-]+)</.exec(await text(member))?.[1] as string;
    expect(password).toBeTruthy();

    // The member logs in with the phone number and books on /pesan: check, then confirm.
    const tarjo = new Browser();
    const login = await tarjo.post("/login", { login: "081390001234", password });
    expect(login.headers.get("Location")).toBe("/ikm");
    const request = { machineId, date: "2026-12-02", start: "09:00", end: "11:00", purpose: "Press tutup knalpot 200 pcs", weeks: "1" };
    const check = await tarjo.post("/pesan", request);
    expect(check.status).toBe(200);
    const signature = /name="checked" value="([^"]+)"/.exec(await text(check))?.[1];
    expect(signature).toBeTruthy();
    const booked = await tarjo.post("/pesan", { ...request, confirm: "1", checked: signature as string });
    expect(booked.status).toBe(302);
    expect(booked.headers.get("Location")).toMatch(/^\/pemesanan\/\d+\?baru=1$/);

    // The admin sees it: the machine page counts it, and the API lists it as confirmed.
    expect(await text(await admin.get(machinePath))).toContain("Pemesanan mendatang: 1");
    const session = await fetch(`${base}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "wahyu@uptd-logam.id", password: "besi-baja-2026" }) });
    const { token } = (await session.json()) as { token: string };
    const list = await fetch(`${base}/api/v1/bookings?machineId=${machineId}`, { headers: { Authorization: `Bearer ${token}` } });
    const { bookings } = (await list.json()) as { bookings: Array<{ ikmName: string; status: string; start: string; end: string }> };
    expect(bookings).toEqual([expect.objectContaining({ ikmName: "Knalpot Slawi Jaya", status: "confirmed", start: "2026-12-02T02:00:00.000Z", end: "2026-12-02T04:00:00.000Z" })]);
    // The new facility's rules apply: 30 minutes is below the new facility minimum of 60.
    const short = await tarjo.post("/pesan", { ...request, date: "2026-12-03", start: "09:00", end: "09:30" });
    expect(await text(short)).toContain("Durasi terlalu pendek: minimal 1 jam untuk mesin ini.");
  });
});
