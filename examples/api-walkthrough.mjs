#!/usr/bin/env node
// A client written only from Giliran's OpenAPI document: it reads /api/v1/openapi.json and calls
// operations by their operationId. It logs in as an IKM member, lists machines, reads
// availability, books, gets a 409 with alternatives, books an alternative, cancels; then, as a
// technician, checks a booking in and out and reads the fee.
//
// Usage: node examples/api-walkthrough.mjs [baseUrl]   (default http://localhost:3000)
// Env: GILIRAN_IKM (ikm2@giliran.test), GILIRAN_TECH (teknisi@giliran.test), GILIRAN_PASSWORD (giliran-demo)

const base = process.argv[2] ?? "http://localhost:3000";
const password = process.env.GILIRAN_PASSWORD ?? "giliran-demo";

const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
// Plan against the server's clock (GET /healthz tells it), not this computer's.
const serverNow = Date.parse((await (await fetch(`${base}/healthz`)).json()).time);
const operations = new Map();
for (const [path, methods] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(methods)) operations.set(op.operationId, { method: method.toUpperCase(), path });
}

/** Call an operation by its operationId; path parameters come from `params`, the rest is the query. */
async function call(operationId, { token, params = {}, query, body } = {}) {
  const op = operations.get(operationId);
  if (!op) throw new Error(`The document has no operation ${operationId}`);
  const path = op.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: op.method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function expectStatus(step, res, status) {
  if (res.status !== status) {
    console.error(`✗ ${step}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    process.exit(1);
  }
  console.log(`✓ ${step} (${status})`);
}

// 1. Log in as an IKM member.
const login = await call("postSession", { body: { login: process.env.GILIRAN_IKM ?? "ikm2@giliran.test", password } });
expectStatus("log in", login, 200);
const token = login.body.token;

// 2. List machines; pick one any IKM can book alone.
const machines = await call("getMachines", { token });
expectStatus("list machines", machines, 200);
const machine = machines.body.machines.find(
  (m) => m.status === "active" && !m.requiresApproval && !m.requiresQualification && m.operatorMode === "self" && m.allocationMode === "first_come",
);

// 3. Read a week of availability, starting a week from now, and take the first free hour.
const from = new Date(serverNow + 7 * 86_400_000);
const to = new Date(from.getTime() + 7 * 86_400_000);
const availability = await call("getMachinesByIdAvailability", { token, params: { id: machine.id }, query: { from: from.toISOString(), to: to.toISOString() } });
expectStatus(`availability of ${machine.code}`, availability, 200);
const free = availability.body.free.find((f) => Date.parse(f.end) - Date.parse(f.start) >= 60 * 60_000);
const slot = { start: free.start, end: new Date(Date.parse(free.start) + 60 * 60_000).toISOString() };

// 4. Book it.
const booked = await call("postBookings", { token, body: { machineId: machine.id, ...slot, purpose: "Contoh integrasi" } });
expectStatus(`book ${machine.code} ${slot.start}`, booked, 201);
console.log(`  status ${booked.body.booking.status}, fee estimate Rp${booked.body.feeEstimate}`);

// 5. The same slot again: a 409 with every violation and alternatives.
const refused = await call("postBookings", { token, body: { machineId: machine.id, ...slot } });
expectStatus("book the same slot again", refused, 409);
console.log(`  violations: ${refused.body.error.details.violations.map((v) => `${v.code} (${v.message})`).join("; ")}`);
const alternative = refused.body.error.details.alternatives[0];
if (!alternative) {
  console.error("✗ no alternative offered");
  process.exit(1);
}

// 6. Book the first alternative.
const alt = await call("postBookings", { token, body: { machineId: alternative.machineId, start: alternative.start, end: alternative.end, purpose: "Alternatif" } });
expectStatus(`book the alternative ${alternative.machineCode} ${alternative.start}`, alt, 201);

// 7. Cancel the first booking.
const cancelled = await call("postBookingsByIdCancel", { token, params: { id: booked.body.booking.id }, body: { reason: "contoh" } });
expectStatus("cancel", cancelled, 200);

// 8. As a technician: record a walk-in that started half an hour ago, check it in and out, read the fee.
const tech = await call("postSession", { body: { login: process.env.GILIRAN_TECH ?? "teknisi@giliran.test", password } });
expectStatus("technician logs in", tech, 200);
const staff = tech.body.token;
const HALF_HOUR = 30 * 60_000;
const walkEnd = Math.floor(serverNow / HALF_HOUR) * HALF_HOUR;
const walkStart = walkEnd - HALF_HOUR;
let walkIn = null;
for (const m of machines.body.machines.filter((x) => x.status === "active" && !x.requiresQualification && x.allocationMode === "first_come")) {
  const res = await call("postBookings", {
    token: staff,
    body: { machineId: m.id, ikmId: login.body.user.ikmId, start: new Date(walkStart).toISOString(), end: new Date(walkEnd).toISOString(), source: "walk_in", purpose: "Datang langsung" },
  });
  if (res.status === 201) {
    walkIn = res.body.booking;
    console.log(`✓ walk-in on ${m.code} (201)`);
    break;
  }
}
if (!walkIn) {
  console.error("✗ no machine was free for a walk-in in the last half hour (is the unit open now?)");
  process.exit(1);
}
const checkIn = await call("postBookingsByIdCheckIn", { token: staff, params: { id: walkIn.id }, body: { at: new Date(walkStart).toISOString(), operatorName: "Operator IKM" } });
expectStatus("check in", checkIn, 200);
const checkOut = await call("postBookingsByIdCheckOut", { token: staff, params: { id: walkIn.id }, body: { at: new Date(walkEnd).toISOString(), outputQuantity: 40, outputUnit: "pcs", notes: "lancar" } });
expectStatus("check out", checkOut, 200);
const usage = checkOut.body.booking.usage;
console.log(`  billable ${usage.billableMinutes} min, fee Rp${usage.fee}`);
if (checkOut.body.booking.status !== "completed" || !(usage.fee > 0)) {
  console.error("✗ the booking is not completed with a fee");
  process.exit(1);
}
console.log("All steps passed.");
