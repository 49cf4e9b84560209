/**
 * The ceiling over HTTP: a bare node:http server (no framework, no session, no validation beyond
 * JSON) answering POST /bookings {machineId, ikmId, start, end} with the bare decision.
 *   tsx bench/lib/ceiling-server.ts <database> <port> <now> <bookedBy>
 */
import http from "node:http";
import { bareDecider } from "./bare-decision";

const [file, port, now, bookedBy] = process.argv.slice(2);
const decider = bareDecider(file, Number(now), Number(bookedBy));
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const r = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { machineId: number; ikmId: number; start: number; end: number };
    const ok = decider.decide(r);
    const body = JSON.stringify(ok ? { status: "confirmed" } : { error: { code: "booking_rejected" } });
    res.writeHead(ok ? 201 : 409, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => server.close(() => {
  decider.close();
  process.exit(0);
}));
