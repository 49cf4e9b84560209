/**
 * The closure days of the demo: national holidays and collective leave of 2026, from
 * data/id-closures-2026.csv (`date,kind,name`). Later years are added by the admin.
 */
import { CLOSURES_2026_CSV } from "./data/id-closures-2026";
import type { Row } from "./model";

const YEAR = "2026";

/** The CSV text (embedded, so it also works inside the bundled server). */
export function readClosureCsv(): string {
  return CLOSURES_2026_CSV;
}

/** The rows of a closure-day CSV for 2026 (a header line, then `YYYY-MM-DD,kind,name`). */
export function parseClosureCsv(text: string, createdAt: number): Row<"closure_days">[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [date, kind, ...name] = line.split(",");
      return { date: date.trim(), kind: kind.trim(), name: name.join(",").trim(), created_at: createdAt };
    })
    .filter((row) => row.date.startsWith(`${YEAR}-`));
}
