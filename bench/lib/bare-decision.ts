/**
 * The ceiling: a booking decision with nothing but its database work — one BEGIN IMMEDIATE
 * transaction with the overlap check bounded on both sides (machine, start after start − 48 h,
 * start before the new hold's end: a closed range of the (machine_id, start_at) index; a booking
 * spans at most 48 h by the schema's check) and the insert. No rules beyond overlap and buffer,
 * no audit, no alternatives: what Giliran's decision costs at the least on this machine.
 */
import SqliteDatabase from "better-sqlite3";
import type { LoadRequest } from "./requests";

const HOLDING = "('pending','confirmed','checked_in')";

export interface BareDecider {
  decide(r: LoadRequest): boolean;
  close(): void;
}

export function bareDecider(file: string, now: number, bookedBy: number): BareDecider {
  const db = new SqliteDatabase(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const buffers = new Map((db.prepare("select id, buffer_minutes from machines").all() as Array<{ id: number; buffer_minutes: number }>).map((m) => [m.id, m.buffer_minutes * 60_000]));
  const clash = db.prepare(
    `select 1 from bookings where machine_id = ? and start_at > ? and start_at < ? and hold_end_at > ? and status in ${HOLDING} limit 1`,
  );
  const insert = db.prepare(
    `insert into bookings (machine_id, ikm_id, booked_by, start_at, end_at, hold_end_at, status, source, purpose, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'confirmed', 'api', 'beban', ?, ?)`,
  );
  const decide = db.transaction((r: LoadRequest): boolean => {
    const buffer = buffers.get(r.machineId) ?? 0;
    // Another booking's hold must end before our start − buffer; ours (end + buffer) before its start.
    if (clash.get(r.machineId, r.start - 172_800_000, r.end + buffer, r.start - buffer)) return false;
    insert.run(r.machineId, r.ikmId, bookedBy, r.start, r.end, r.end + buffer, now, now);
    return true;
  });
  return { decide: (r) => decide.immediate(r), close: () => db.close() };
}
