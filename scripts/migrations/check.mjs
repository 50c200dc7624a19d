// `npm run migrations:check`: every migration in migrations/ (or the folder given) is additive, or
// carries the destructive marker with its expand/contract plan; file names are NNNN_name.sql and
// no two share a number (wrangler applies them in name order, once each).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findDestructive, missingMarker } from "./destructive-sql.mjs";

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** @returns {string[]} one message per problem; empty means the folder passes */
export function checkMigrations(dir) {
  const problems = [];
  const files = readdirSync(dir).filter((file) => file.endsWith(".sql")).sort();
  const seen = new Map();
  for (const file of files) {
    const number = NAME.exec(file)?.[1];
    if (!number) problems.push(`${file}: name it NNNN_short_name.sql (lower case)`);
    else if (seen.has(number)) problems.push(`${file}: number ${number} is already used by ${seen.get(number)}`);
    else seen.set(number, file);
    const sql = readFileSync(join(dir, file), "utf8");
    const findings = findDestructive(sql);
    const missing = findings.length > 0 ? missingMarker(sql) : [];
    if (missing.length === 0) continue;
    for (const finding of findings) problems.push(`${file}:${finding.line}: ${finding.rule}: ${finding.statement} — ${finding.why}`);
    problems.push(`${file}: destructive SQL needs ${missing.join(", ")}. See docs/operations.md, "Migrations".`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? new URL("../../migrations", import.meta.url).pathname;
  const problems = checkMigrations(dir);
  if (problems.length > 0) {
    console.error(`migrations:check failed:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
    process.exit(1);
  }
  const count = readdirSync(dir).filter((file) => file.endsWith(".sql")).length;
  console.log(`migrations:check: ${count} migration(s), none destructive without a plan`);
}
