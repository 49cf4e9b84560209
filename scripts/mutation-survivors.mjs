// Lists the survivors of the last `npm run test:mutation` (reports/mutation/mutation.json) with
// the verdict recorded for them in docs/mutation-survivors.json (file, first and last line,
// verdict, reason). Usage: node scripts/mutation-survivors.mjs [--unjudged]
import fs from "node:fs";

const report = JSON.parse(fs.readFileSync("reports/mutation/mutation.json", "utf8"));
const verdicts = JSON.parse(fs.readFileSync("docs/mutation-survivors.json", "utf8"));
const onlyUnjudged = process.argv.includes("--unjudged");
let total = 0;
let unjudged = 0;
for (const [file, data] of Object.entries(report.files)) {
  const lines = data.source.split("\n");
  for (const m of data.mutants) {
    if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
    total++;
    const line = m.location.start.line;
    const name = file.split("/").pop();
    const v = verdicts.find((x) => x.file === name && line >= x.from && line <= x.to);
    if (!v) unjudged++;
    if (onlyUnjudged && v) continue;
    const code = lines[line - 1].trim().slice(0, 80);
    console.log(`${name}:${line} ${m.mutatorName} → ${String(m.replacement ?? "").slice(0, 50)} | ${code} | ${v ? `${v.verdict}: ${v.reason}` : "NOT JUDGED"}`);
  }
}
console.log(`${total} survivors, ${unjudged} not judged`);
