/**
 * The decision load of bench:ceiling and bench:breakdown: who the requests are for, the clients
 * that post bench/lib/requests.ts's mix (as bench:load's decision phase does), Giliran's API as
 * the target, and the overlap check afterwards.
 */
import SqliteDatabase from "better-sqlite3";
import { Rng } from "../../db/seed/random";
import { treeCpuMs } from "./proc-cpu";
import { type LoadRequest, OVERLAPS_SQL, bookingRequest } from "./requests";
import type { BenchServer } from "./server";
import { percentile } from "./stats";

/** The machines and IKMs bench:load draws from, and the technician who books. */
export function population(file: string) {
  const db = new SqliteDatabase(file, { readonly: true });
  const machines = (db.prepare("select id from machines where status = 'active' and requires_qualification = 0 and allocation_mode = 'first_come'").all() as { id: number }[]).map((r) => r.id);
  const ikms = (db.prepare("select id from ikms where active = 1 and restricted_until is null limit 400").all() as { id: number }[]).map((r) => r.id);
  const staff = (db.prepare("select id from users where email = 'teknisi@giliran.test'").get() as { id: number }).id;
  db.close();
  return { machines, ikms, staff };
}

/** Pairs of slot-holding bookings of one machine that overlap (buffers included). */
export function overlapsIn(file: string): number {
  const db = new SqliteDatabase(file, { readonly: true });
  const n = (db.prepare(OVERLAPS_SQL).get() as { n: number }).n;
  db.close();
  return n;
}

export interface Run {
  rate: number;
  p50: number;
  p99: number;
  accepted: number;
  refused: number;
  overlaps: number;
  /** CPU µs per request of the load client and of the server's process tree (HTTP runs only). */
  clientCpuUs?: number;
  serverCpuUs?: number;
}

/**
 * `clients` clients posting the request mix (seed 42) for `seconds`; `send` makes one request.
 * With `serverPid`, the CPU the server's process tree and this client spent per request.
 */
export async function load(send: (r: LoadRequest) => Promise<Response>, machines: number[], ikms: number[], seconds: number, clients: number, serverPid?: number): Promise<Omit<Run, "overlaps">> {
  const rng = new Rng(42);
  const rand = () => rng.next();
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const client0 = process.cpuUsage();
  const server0 = serverPid ? treeCpuMs(serverPid) : null;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const res = await send(bookingRequest(rand, machines, ikms));
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status === 201) accepted++;
        else refused++;
      }
    }),
  );
  const took = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const server1 = serverPid ? treeCpuMs(serverPid) : null;
  const n = latencies.length;
  return {
    rate: n / took,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    accepted,
    refused,
    clientCpuUs: (client.user + client.system) / n,
    serverCpuUs: server0 !== null && server1 !== null ? ((server1 - server0) * 1000) / n : undefined,
  };
}

/** One request to Giliran's API as bench:load sends it: a technician booking for the IKM. */
export function giliranSend(server: BenchServer, token: string) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return (r: LoadRequest) =>
    fetch(`${server.base}/api/v1/bookings`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ machineId: r.machineId, ikmId: r.ikmId, start: iso(r.start), end: iso(r.end), purpose: "beban", overrideReason: "uji beban" }),
    });
}
