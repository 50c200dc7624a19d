// Applies the local D1 migrations and loads the demo data (idempotent). `--persist-to DIR` targets
// another local state directory (the e2e tests and the benchmark use their own); `extraStatements`
// add rows after the demo data (the benchmark's ready carts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSeedStatements } from "../seed/seed-sql.mjs";
import { wranglerSync } from "./lib/wrangler.mjs";

export function migrateAndSeed({ persistTo, extraStatements = [] } = {}) {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  wranglerSync(["d1", "migrations", "apply", "DB", "--local", ...persist]);
  const dir = mkdtempSync(join(tmpdir(), "motor-seed-"));
  try {
    const file = join(dir, "seed.sql");
    writeFileSync(file, [...buildSeedStatements(), ...extraStatements].join("\n"));
    wranglerSync(["d1", "execute", "DB", "--local", "--file", file, ...persist]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--persist-to");
  migrateAndSeed({ persistTo: at > 0 ? process.argv[at + 1] : undefined });
  console.log("migrations applied and demo data seeded");
}
