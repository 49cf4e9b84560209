/**
 * Where a V8 CPU profile's time went (node --cpu-prof), by category. Each sample is given to
 * the first category whose rule matches its stack (leaf first, then callers), so the categories
 * add up to the profile's total.
 */
import fs from "node:fs";

export interface Frame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: Frame & { lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  /** µs on the monotonic clock, as process.hrtime (see hrtimeUs). */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Category {
  name: string;
  /** True when this sample (its stack, leaf first) belongs here. */
  match(stack: readonly Frame[]): boolean;
}

/** Now in µs on the clock of a CPU profile's timestamps (both are CLOCK_MONOTONIC on Linux). */
export function hrtimeUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Milliseconds per category (and "other" for samples no rule takes), of the samples taken
 * between `window.from` and `window.to` (hrtimeUs()), or of all samples.
 */
export function profileByCategory(file: string, categories: readonly Category[], window?: { from: number; to: number }): Record<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<number, Frame[]>();
  const stackOf = (id: number): Frame[] => {
    let stack = stacks.get(id);
    if (!stack) {
      stack = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push((byId.get(at) as ProfileNode).callFrame);
      stacks.set(id, stack);
    }
    return stack;
  };
  const out: Record<string, number> = Object.fromEntries([...categories.map((c) => [c.name, 0]), ["other", 0]]);
  const chosen = new Map<number, string>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    if (window && (at < window.from || at > window.to)) return;
    let name = chosen.get(id);
    if (name === undefined) {
      const stack = stackOf(id);
      name = categories.find((c) => c.match(stack))?.name ?? "other";
      chosen.set(id, name);
    }
    out[name] += profile.timeDeltas[i] / 1000;
  });
  return out;
}

/** Rules for stacks. */
export const leaf = (test: (f: Frame) => boolean) => (stack: readonly Frame[]) => stack.length > 0 && test(stack[0]);
export const within = (test: (f: Frame) => boolean) => (stack: readonly Frame[]) => stack.some(test);
export const named = (...names: string[]) => {
  const set = new Set(names);
  return (f: Frame) => set.has(f.functionName);
};
export const inFile = (...parts: string[]) => (f: Frame) => parts.some((p) => f.url.includes(p));
