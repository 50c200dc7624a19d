// `npm run bench:chaos`: runs only the chaos block and writes it into the last full report
// (bench/results/latest.json) and into BENCHMARKS.md in place: only the chaos section is replaced,
// so every other number and the hand-written sections (soak, overlapping requests) stay as they are.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { runChaos } from "./chaos.mjs";
import { chaosBlock } from "./report.mjs";

const path = join(ROOT, "bench", "results", "latest.json");
const report = JSON.parse(readFileSync(path, "utf8"));
report.chaos = { ...runChaos(), measuredAt: new Date().toISOString() };
writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
const benchmarks = join(ROOT, "BENCHMARKS.md");
const text = readFileSync(benchmarks, "utf8");
const section = /\n## Chaos \(money safety under faults\)\n[\s\S]*?(?=\n## )/;
if (!section.test(text)) throw new Error("BENCHMARKS.md has no chaos section to replace: run `npm run bench`");
writeFileSync(benchmarks, text.replace(section, chaosBlock(report.chaos).replace(/\n+$/, "\n")));
console.log(JSON.stringify(report.chaos));
