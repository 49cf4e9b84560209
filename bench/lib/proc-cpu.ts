/**
 * CPU time of a process and all its descendants (threads included), read from /proc — for the
 * share of the two cores the server and the load client each take in a run (issue 31's remainder).
 * Linux only; elsewhere it answers null.
 */
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime in ms of `pid` and every process below it, or null where /proc is missing. */
export function treeCpuMs(pid: number): number | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  const parentOf = new Map<number, number>();
  const ticksOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // The command name (field 2) may hold spaces: the fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    parentOf.set(Number(entry), Number(fields[1]));
    ticksOf.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  const inTree = (p: number): boolean => {
    for (let q: number | undefined = p; q !== undefined && q > 1; q = parentOf.get(q)) if (q === pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [p, t] of ticksOf) if (inTree(p)) ticks += t;
  return (ticks * 1000) / TICKS_PER_SECOND;
}
