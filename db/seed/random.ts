/**
 * A small seeded pseudo-random generator (mulberry32) so the demo data is reproducible:
 * the same seed always yields the same sequence. Not for anything security-related.
 */

/** 32-bit FNV-1a hash of a string, used to turn a seed text (e.g. a date) into a number. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A whole minute in [from, to) of epoch milliseconds, or null when the range is empty. */
  minuteBetween(from: number, to: number): number | null {
    if (to <= from) return null;
    return from + Math.floor((this.next() * (to - from)) / 60_000) * 60_000;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: empty list");
    return items[Math.floor(this.next() * items.length)];
  }

  /** One item, chosen with probability proportional to its weight; null when all weights are 0. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T | null {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    if (total <= 0) return null;
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1];
  }
}
