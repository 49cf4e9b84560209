/**
 * The server's clock. Outside production, GILIRAN_NOW (an ISO instant with offset, or epoch ms)
 * fixes it, so tests and demos never depend on today's date. It is read on every call so a
 * test can move it.
 */
export function now(): number {
  const fixed = process.env.GILIRAN_NOW;
  if (fixed && process.env.NODE_ENV !== "production") {
    const n = /^\d+$/.test(fixed) ? Number(fixed) : Date.parse(fixed);
    if (Number.isFinite(n)) return n;
  }
  return Date.now();
}
