/**
 * The booking requests of the load benchmarks (bench:load, bench:ceiling): what an IKM would ask —
 * a working day, 1–3 h inside one open period. The data set's next four weeks are nearly full
 * (most such requests are refused); the year after is empty (staff override TOO_FAR) and wide
 * enough that the flood itself rarely collides, so the mix is about a quarter refused.
 */
import { BENCH_NOW } from "./dataset";

const DAY = 86_400_000;

/** Open periods in minutes after local midnight (WIB), Monday–Thursday and Friday. */
const PERIODS: Record<string, [number, number][]> = { monThu: [[450, 720], [780, 960]], fri: [[450, 690], [780, 990]] };

export interface LoadRequest {
  machineId: number;
  ikmId: number;
  /** Epoch ms. */
  start: number;
  end: number;
}

/** One request drawn with `rand` (uniform in [0, 1)) over the given machines and IKMs. */
export function bookingRequest(rand: () => number, machines: readonly number[], ikms: readonly number[]): LoadRequest {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  let day: number;
  let weekday: number;
  do {
    const offset = rand() < 0.25 ? 1 + Math.floor(rand() * 28) : 29 + Math.floor(rand() * 400);
    day = Math.floor((BENCH_NOW + 7 * 3_600_000) / DAY) * DAY + offset * DAY; // a local date, as UTC midnight
    weekday = new Date(day).getUTCDay();
  } while (weekday === 0 || weekday === 6 || /^2026-12-2[45]/.test(new Date(day).toISOString()));
  // (Closure days of 2027 are not in the data set; 24–25 December 2026 are skipped.)
  const [from, to] = pick(weekday === 5 ? PERIODS.fri : PERIODS.monThu);
  const minutes = Math.min(60 + 60 * Math.floor(rand() * 3), to - from);
  const startMinutes = from + 30 * Math.floor(rand() * ((to - from - minutes) / 30 + 1));
  const start = day + (startMinutes - 7 * 60) * 60_000; // WIB = UTC+7
  return { machineId: pick(machines), ikmId: pick(ikms), start, end: start + minutes * 60_000 };
}

/** Slot-holding bookings of one machine that overlap (buffers included): must be 0 after a run. */
export const OVERLAPS_SQL = `select count(*) n from bookings a join bookings b on a.machine_id = b.machine_id and a.id < b.id
  where a.status in ('pending','confirmed','checked_in') and b.status in ('pending','confirmed','checked_in')
    and a.start_at < b.hold_end_at and b.start_at < a.hold_end_at and b.start_at > a.start_at - 172800000`;
