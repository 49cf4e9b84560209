/**
 * The technician's console on a phone: check a booking in and out with its output and see the
 * fee; plan maintenance over a booking, see its alternative, confirm, and the IKM sees the move.
 */
import { type APIRequestContext, expect, test } from "@playwright/test";
import { login, logout, shot, visit } from "./helpers";

const PASSWORD = "giliran-demo";

async function apiLogin(request: APIRequestContext, login: string) {
  const res = await request.post("/api/v1/session", { data: { login, password: PASSWORD } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  return { token: body.token as string, user: body.user as { id: number; ikmId: number | null } };
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

interface ApiMachine {
  id: number;
  code: string;
  status: string;
  requiresQualification: boolean;
  requiresApproval: boolean;
  operatorMode: string;
  allocationMode: string;
  hourlyRate: number;
  type: { id: number };
}

async function simpleMachines(request: APIRequestContext, token: string): Promise<ApiMachine[]> {
  const res = await request.get("/api/v1/machines", { headers: auth(token) });
  const { machines } = (await res.json()) as { machines: ApiMachine[] };
  return machines.filter((m) => m.status === "active" && !m.requiresQualification && !m.requiresApproval && m.operatorMode !== "assisted" && m.allocationMode === "first_come");
}

/** Whether the machine is free for the whole span (ISO instants). */
async function freeFor(request: APIRequestContext, token: string, machineId: number, start: string, end: string) {
  const q = `from=${encodeURIComponent(start)}&to=${encodeURIComponent(end)}`;
  const res = await request.get(`/api/v1/machines/${machineId}/availability?${q}`, { headers: auth(token) });
  const { free } = (await res.json()) as { free: Array<{ start: string; end: string }> };
  return free.some((f) => Date.parse(f.start) <= Date.parse(start) && Date.parse(f.end) >= Date.parse(end));
}

const rupiah = (n: number) => `Rp${n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".")}`;

/** The first simple machine free for the whole span (ISO instants). */
async function freeMachine(request: APIRequestContext, token: string, start: string, end: string): Promise<ApiMachine> {
  for (const m of await simpleMachines(request, token)) if (await freeFor(request, token, m.id, start, end)) return m;
  throw new Error(`no simple machine free ${start}–${end}`);
}

test("a technician checks a booking in and out with its output and sees the fee", async ({ page, request }) => {
  const tech = await apiLogin(request, "teknisi@giliran.test");
  const ikm1 = await apiLogin(request, "ikm1@giliran.test");
  // On a machine free from 08.00 to 10.00: a walk-in of ikm1's IKM from 08.00 that nobody checked
  // in yet (the welder has been in use since 08.05), and ikm1's next booking from 09.00 (now).
  const machine = await freeMachine(request, tech.token, "2026-12-01T08:00:00+07:00", "2026-12-01T10:00:00+07:00");
  const created = [];
  for (const [s, e, purpose, source] of [
    ["08:00", "09:00", "Las dudukan knalpot", "walk_in"],
    ["09:00", "10:00", "Las bracket", undefined],
  ] as const) {
    const res = await request.post("/api/v1/bookings", {
      headers: auth(tech.token),
      data: { machineId: machine.id, ikmId: ikm1.user.ikmId, start: `2026-12-01T${s}:00+07:00`, end: `2026-12-01T${e}:00+07:00`, purpose, source, overrideReason: "uji e2e" },
    });
    expect(res.status()).toBe(201);
    created.push((await res.json()).booking as { id: number; ikmName: string });
  }
  const [a, b] = created;

  await login(page, "teknisi@giliran.test");
  await expect(page).toHaveURL(/\/teknisi$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lantai bengkel hari ini");
  const cardB = page.locator(`#b-${b.id}`);
  await cardB.scrollIntoViewIfNeeded();
  await shot(page, "floor-today");

  // One tap checks B in.
  await cardB.getByRole("button", { name: "Mulai pakai" }).click();
  await expect(page.getByRole("status")).toContainText("Mulai pakai dicatat");
  await expect(page.locator(`#b-${b.id}`)).toContainText("Sedang dipakai");
  await expect(page.locator(`#b-${b.id}`).getByRole("link", { name: "Selesai pakai" })).toBeVisible();
  await shot(page, "floor-today-checked-in");

  // A: its floor screen; the work actually began at 08.05.
  await page.locator(`#b-${a.id}`).getByRole("link", { name: a.ikmName }).click();
  await expect(page).toHaveURL(new RegExp(`/teknisi/pemesanan/${a.id}$`));
  await shot(page, "floor-checkin");
  await page.getByLabel("Jam mulai").fill("08:05");
  await page.getByRole("button", { name: "Mulai pakai" }).click();
  await expect(page.getByRole("status")).toHaveText("Mulai pakai dicatat.");

  // Check-out on one screen: 08.05–09.00 is 55 minutes, billed one hour.
  const checkout = page.locator("#selesai");
  await expect(checkout.getByRole("heading", { name: "Selesai pakai" })).toBeVisible();
  // A refused check-out: what to fix comes into view, with the focus; the fee stays that of the end entered.
  await checkout.getByLabel("Hasil produksi").fill("dua belas");
  await checkout.getByRole("button", { name: "Simpan selesai pakai" }).click();
  const summary = page.locator(".floor-error-summary");
  await expect(summary).toContainText("Hasil produksi: isi angka 0 atau lebih");
  await expect(summary).toBeInViewport();
  await expect(summary).toBeFocused();
  await expect(checkout.locator(".floor-fee-how")).toContainText("Dipakai 55 menit, ditagih 1 jam");
  await shot(page, "floor-checkout-refused", { inView: true });
  await checkout.getByLabel("Hasil produksi").fill("120");
  await checkout.getByText("pcs", { exact: true }).click();
  await checkout.getByLabel("Bahan habis pakai").fill("Plat 2 mm, 3 lembar");
  const fee = rupiah(machine.hourlyRate);
  await expect(checkout.locator(".floor-fee-amount")).toHaveText(fee);
  await expect(checkout.locator(".floor-fee-how")).toContainText("Dipakai 55 menit, ditagih 1 jam");
  await shot(page, "floor-checkout");
  await checkout.getByRole("button", { name: "Simpan selesai pakai" }).click();
  await expect(page.getByRole("status")).toHaveText("Selesai pakai dan retribusi disimpan.");
  await expect(page.getByText(`Retribusi: ${fee}`)).toBeVisible();
  await expect(page.getByText("120 pcs")).toBeVisible();
  await shot(page, "floor-completed");

  const json = await (await request.get(`/api/v1/bookings/${a.id}`, { headers: auth(tech.token) })).json();
  expect(json.booking.usage).toMatchObject({ billableMinutes: 60, fee: machine.hourlyRate, outputQuantity: 120, outputUnit: "pcs" });
});

test("maintenance over a booking moves it to its alternative and the IKM sees the move", async ({ page, request }) => {
  const tech = await apiLogin(request, "teknisi@giliran.test");
  const ikm1 = await apiLogin(request, "ikm1@giliran.test");
  // ikm1 books a press for one hour on a coming weekday (as the IKM itself).
  let booking: { id: number; machineId: number; start: string; end: string } | undefined;
  let day = "";
  const presses = (await simpleMachines(request, tech.token)).filter((m) => m.code.startsWith("PRS") || m.code.startsWith("BND"));
  for (const d of ["2026-12-03", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10"]) {
    for (const m of presses) {
      for (const t of ["08:00", "09:00", "10:00", "13:00", "14:00"]) {
        const s = `${d}T${t}:00+07:00`;
        const e = new Date(Date.parse(s) + 3_600_000).toISOString();
        if (!(await freeFor(request, ikm1.token, m.id, s, e))) continue;
        const res = await request.post("/api/v1/bookings", { headers: auth(ikm1.token), data: { machineId: m.id, start: s, end: e, purpose: "Press bodi knalpot" } });
        if (res.status() !== 201) continue;
        booking = (await res.json()).booking;
        day = d;
        break;
      }
      if (booking) break;
    }
    if (booking) break;
  }
  expect(booking).toBeDefined();
  const machine = presses.find((m) => m.id === booking!.machineId)!;

  await login(page, "teknisi@giliran.test");
  await expect(page).toHaveURL(/\/teknisi$/);
  await visit(page, "/teknisi/perawatan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Perawatan & kerusakan");
  const form = page.locator("#rencana");
  await form.getByLabel("Mesin").selectOption(String(machine.id));
  await form.getByLabel("Mulai").fill(`${day}T07:30`);
  await form.getByLabel("Selesai").fill(`${day}T16:30`);
  await form.getByLabel("Alasan (dikirim ke IKM yang terdampak)").fill("Ganti oli hidrolik dan seal silinder");
  await shot(page, "floor-maintenance-form");
  await form.getByRole("button", { name: "Periksa pemesanan terdampak" }).click();

  const preview = page.locator(".floor-preview");
  await expect(preview.getByRole("heading", { name: "Pemesanan terdampak" })).toBeVisible();
  const move = preview.locator(`input[name="choice-${booking!.id}"][value^="move|"]`);
  await expect(move).toBeChecked();
  const proposal = ((await move.locator("xpath=..").textContent()) ?? "").trim().replace(/^Pindah ke /, "");
  expect(proposal).toMatch(/^(PRS|BND)-\d\d · \d\d\/12\/2026 \d\d\.\d\d–\d\d\.\d\d WIB$/);
  await move.scrollIntoViewIfNeeded();
  await shot(page, "floor-maintenance-preview");
  await preview.getByRole("button", { name: /Simpan/ }).click();

  await expect(page).toHaveURL(/\/teknisi\/perawatan\/\d+\?ok=created$/);
  await expect(page.getByRole("status")).toHaveText("Perawatan disimpan.");
  const done = page.locator(".floor-affected li", { hasText: "Dipindah" }).filter({ hasText: proposal.split(" · ")[1] });
  await expect(done.first()).toBeVisible();
  await shot(page, "floor-maintenance-done");

  // The IKM sees the move.
  await logout(page);
  await login(page, "ikm1@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  await visit(page, "/notifikasi");
  const [code, when] = proposal.split(" · ");
  const note = page.getByText(/Pemesanan dipindah/).first();
  await expect(note).toBeVisible();
  await expect(note).toContainText(code);
  await expect(note).toContainText(when.slice(11, 16));
  await shot(page, "floor-ikm-notified");
  const moved = await (await request.get(`/api/v1/bookings/${booking!.id}`, { headers: auth(ikm1.token) })).json();
  expect(moved.booking.status).toBe("confirmed");
  // Moved out of the window: another machine at the same time, or the same machine at another time.
  expect(`${moved.booking.machineCode} · ${moved.booking.start}`).not.toBe(`${machine.code} · ${new Date(Date.parse(booking!.start)).toISOString()}`);
  expect(moved.booking.machineCode).toBe(code);
});

test("the approvals queue, the logbook page and an IKM member kept out", async ({ page }) => {
  await login(page, "teknisi@giliran.test");
  await expect(page).toHaveURL(/\/teknisi$/);
  await visit(page, "/teknisi/persetujuan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Persetujuan");
  await expect(page.locator(".floor-why").first()).toBeVisible();
  await shot(page, "floor-approvals");
  await page.locator(".floor-queue-item").nth(6).scrollIntoViewIfNeeded();
  await shot(page, "floor-approvals-middle", { inView: true });
  // Each request's actions are buttons of tap size.
  const first = page.locator(".floor-queue-item").first();
  for (const name of ["✓ Setujui", "Rincian", "Tolak…"]) {
    const box = await first.getByText(name, { exact: true }).boundingBox();
    expect(box?.height, name).toBeGreaterThanOrEqual(44);
  }
  const screens = async () => (await page.evaluate(() => document.documentElement.scrollHeight)) / 740;
  console.log(`approvals page: ${(await screens()).toFixed(1)} screens for ${await page.locator(".floor-queue-item").count()} requests`);
  // One day with several requests: a short page; the day's requests approved in one action.
  const days = await page.getByLabel("Tanggal").locator("option").evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, n: Number(/\((\d+)\)$/.exec(o.textContent ?? "")?.[1] ?? 0) })));
  const busyDay = days.find((d) => d.value && d.n >= 2);
  expect(busyDay, "a day with two or more requests in the demo").toBeDefined();
  await page.getByLabel("Tanggal").selectOption(busyDay?.value ?? "");
  await page.getByRole("button", { name: "Tampilkan" }).click();
  await expect(page).toHaveURL(/tanggal=/);
  console.log(`one day: ${(await screens()).toFixed(1)} screens for ${await page.locator(".floor-queue-item").count()} requests`);
  await shot(page, "floor-approvals-day");
  await page.getByRole("button", { name: /^✓ Setujui semua/ }).first().click();
  await expect(page.getByRole("status").filter({ hasText: /permintaan disetujui/ })).toBeVisible();
  await shot(page, "floor-approvals-approved", { inView: true });
  await visit(page, "/teknisi/catat");
  await expect(page.getByRole("heading", { name: "Salin dari logbook kertas" })).toBeVisible();
  await shot(page, "floor-logbook");
  await page.getByRole("link", { name: "IKM datang langsung" }).click();
  await expect(page.getByRole("heading", { name: "IKM datang langsung", level: 2 })).toBeVisible();
  await shot(page, "floor-walkin");
  await logout(page);
  await login(page, "ikm2@giliran.test");
  await expect(page).toHaveURL(/\/ikm$/);
  const res = await page.goto("/teknisi");
  expect(res?.status()).toBe(403);
});

test("from the machine board a technician lands on the booking's floor card, not the IKM's page", async ({ page }) => {
  await login(page, "teknisi@giliran.test");
  await expect(page).not.toHaveURL(/\/login/);
  await visit(page, "/jadwal?date=2026-12-02");
  await page.locator("a.seg-booked").first().click();
  await expect(page).toHaveURL(/\/teknisi\/pemesanan\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Tomorrow's booking: no "Mulai pakai" before its day.
  await expect(page.getByText("Mulai pakai bisa dicatat pada hari pemesanan, Rabu, 2 Desember 2026.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Mulai pakai/ })).toHaveCount(0);
  await shot(page, "floor-from-board");
});

test("a check-in hours before the booking's start is asked about, and the confirmation comes into view", async ({ page, request }) => {
  const tech = await apiLogin(request, "teknisi@giliran.test");
  const ikm1 = await apiLogin(request, "ikm1@giliran.test");
  // A machine free 13.00–14.00 today; now is 09.00.
  const machine = await freeMachine(request, tech.token, "2026-12-01T13:00:00+07:00", "2026-12-01T14:00:00+07:00");
  const res = await request.post("/api/v1/bookings", {
    headers: auth(tech.token),
    data: { machineId: machine.id, ikmId: ikm1.user.ikmId, start: "2026-12-01T13:00:00+07:00", end: "2026-12-01T14:00:00+07:00", purpose: "Las pagi", overrideReason: "uji e2e" },
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()).booking as { id: number };

  await login(page, "teknisi@giliran.test");
  await expect(page).toHaveURL(/\/teknisi$/);
  const card = page.locator(`#b-${id}`);
  await card.getByRole("button", { name: /Mulai pakai/ }).click();
  const question = card.getByRole("alert");
  await expect(question).toContainText(/Mulai \d+ jam( \d+ menit)? lebih awal\?/);
  await expect(question).toBeInViewport();
  await shot(page, "floor-early-checkin-question", { inView: true });
  await question.getByRole("button", { name: "Ya, catat mulai pakai" }).click();
  const done = page.getByRole("status").filter({ hasText: "Mulai pakai dicatat" });
  await expect(done).toBeInViewport();
  await expect(card).toContainText("Sedang dipakai");
  await shot(page, "floor-early-checkin-done", { inView: true });
});
