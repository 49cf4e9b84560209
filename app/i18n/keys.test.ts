/** Every literal key passed to t("…") or translate(lang, "…") in app/ exists in the messages. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasMessage } from "./index";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("message keys used in the code", () => {
  it("all exist in the Indonesian messages", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of sources("app")) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/\b(?:t|translate\(\s*\w+\s*,)\s*\(?\s*"([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)"/g)) {
        checked++;
        if (!hasMessage(m[1])) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });
});
