// `npm run restore -- <backup.sql> [--persist-to DIR | --remote --env staging]`: applies the
// migrations to the target (an EMPTY database: a fresh local state, or a new D1 created for the
// restore), checks the backup was taken at migrations the repository has, then loads its data.
// The FTS5 search index is rebuilt by its triggers as products come back.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations, executeFile } from "./backup/d1.mjs";
import { ROOT } from "./lib/wrangler.mjs";

/** The migrations a backup was taken at, from its header. */
export function backupMigrations(file) {
  const line = /^-- migrations: (.*)$/m.exec(readFileSync(file, "utf8").slice(0, 64 * 1024));
  if (!line) throw new Error(`${file} has no "-- migrations:" header: not a motor backup`);
  return line[1].split(" ").filter(Boolean);
}

export function restore(file, target) {
  const known = new Set(readdirSync(join(ROOT, "migrations")).filter((name) => name.endsWith(".sql")));
  const unknown = backupMigrations(file).filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new Error(
      `the backup was taken at migrations this checkout lacks (${unknown.join(", ")}): restore from the commit that has them`,
    );
  applyMigrations(target);
  executeFile(target, file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { "persist-to": { type: "string" }, remote: { type: "boolean", default: false }, env: { type: "string" } },
  });
  if (!positionals[0]) {
    console.error("usage: npm run restore -- <backup.sql> [--persist-to DIR | --remote --env <env>]");
    process.exit(2);
  }
  restore(positionals[0], { persistTo: values["persist-to"], remote: values.remote, env: values.env });
  console.log(`restored ${positionals[0]}`);
}
