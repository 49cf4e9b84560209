/** Printing benchmark figures beside their targets, and saving them under bench/results/. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Target {
  /** "min": the figure must be at least `value`; "max": at most. */
  kind: "min" | "max";
  value: number;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  target?: Target;
  /** Whether the target is met (absent without a target). */
  met?: boolean;
}

function fmt(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "n/a";
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A figure with its target check. */
export function figure(label: string, value: number, unit: string, target?: Target): Figure {
  const met = target ? (target.kind === "min" ? value >= target.value : value <= target.value) : undefined;
  return { label, value, unit, target, met };
}

/** One aligned line: label, value and unit, the target and whether it is met. */
export function figureLine(f: Figure): string {
  const value = `${fmt(f.value)} ${f.unit}`.padStart(16);
  const target = f.target ? `target ${f.target.kind === "min" ? "≥" : "≤"} ${fmt(f.target.value)} ${f.unit}` : "";
  const verdict = f.met === undefined ? "" : f.met ? "  ok" : "  MISSED";
  return `  ${f.label.padEnd(52)} ${value}   ${target}${verdict}`;
}

export function printFigures(title: string, figures: readonly Figure[]): void {
  console.log(`\n${title}`);
  for (const f of figures) console.log(figureLine(f));
}

/** The machine the figures were measured on. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes bench/results/<name>.json (git-ignored) and returns its path. */
export function writeResults(name: string, data: unknown): string {
  const file = path.resolve("bench/results", `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
