/** Fixed facts of the benchmark data set, shared by the generator and the benchmarks. */

/** The data set's "now": history ends here and the future bookings start after it. */
export const BENCH_NOW_ISO = "2026-12-01T09:00:00+07:00";
export const BENCH_NOW = Date.parse(BENCH_NOW_ISO);
/** First day of the two years of history (facility time). */
export const HISTORY_FIRST_DAY = "2024-12-01";
/** Where `npm run bench:data` writes the data set by default. */
export const DEFAULT_LARGE_DB = "bench/data/large.db";
/** Password of every user of the data set (as in the demo). */
export const BENCH_PASSWORD = "giliran-demo";
