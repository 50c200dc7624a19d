// `npm run bench:chaos`: runs only the chaos block and writes it into the last full report
// (bench/results/latest.json and BENCHMARKS.md), leaving every other number as it was.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { runChaos } from "./chaos.mjs";
import { markdown } from "./report.mjs";

const path = join(ROOT, "bench", "results", "latest.json");
const report = JSON.parse(readFileSync(path, "utf8"));
report.chaos = { ...runChaos(), measuredAt: new Date().toISOString() };
writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
writeFileSync(join(ROOT, "BENCHMARKS.md"), markdown(report));
console.log(JSON.stringify(report.chaos));
