/**
 * A one-line progress bar on stderr, rewritten in place with \r: percentage, a count of rows and
 * the elapsed time. Redraws at most every 100 ms; prints nothing special when stderr is not a TTY
 * beyond the same lines (a log then shows a few snapshots).
 */
import { nowMs } from "./stats";

export class Progress {
  private readonly started = nowMs();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  /** `done` of `total` steps, with a count of rows written so far. */
  update(done: number, rows: number): void {
    const t = nowMs();
    if (t - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = t;
    this.draw(done, rows);
  }

  finish(rows: number): void {
    this.draw(this.total, rows);
    process.stderr.write("\n");
  }

  elapsedMs(): number {
    return nowMs() - this.started;
  }

  private draw(done: number, rows: number): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(fraction * this.width);
    const bar = "#".repeat(filled) + "-".repeat(this.width - filled);
    const pct = (fraction * 100).toFixed(1).padStart(5);
    const secs = (this.elapsedMs() / 1000).toFixed(1);
    process.stderr.write(`\r${this.label} [${bar}] ${pct}%  ${rows.toLocaleString("en-US")} rows  ${secs} s `);
  }
}
