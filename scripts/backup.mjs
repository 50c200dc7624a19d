// `npm run backup -- [--persist-to DIR | --remote --env production] [--out DIR]`: exports the D1
// (the local one of `npm start` by default) to backups/motor-<where>-<UTC timestamp>.sql: a
// header naming the migrations it was taken at, then the data. Restore: npm run restore -- <file>.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { appliedMigrations, BACKUP_DIR, backupTables, exportData } from "./backup/d1.mjs";

/** @returns {string} the backup file written */
export function backup(target, outDir = BACKUP_DIR) {
  const { data } = backupTables(target);
  const migrations = appliedMigrations(target);
  const work = mkdtempSync(join(tmpdir(), "motor-backup-"));
  try {
    exportData(target, data, join(work, "data.sql"));
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const file = join(outDir, `motor-${target.remote ? (target.env ?? "remote") : "local"}-${stamp}.sql`);
    mkdirSync(outDir, { recursive: true });
    const header = [
      `-- motor-backup taken ${new Date().toISOString()}`,
      `-- migrations: ${migrations.join(" ")}`,
      `-- tables: ${data.join(" ")}`,
    ];
    writeFileSync(file, `${header.join("\n")}\n${readFileSync(join(work, "data.sql"), "utf8")}`);
    return file;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      "persist-to": { type: "string" },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      out: { type: "string" },
    },
  });
  const file = backup({ persistTo: values["persist-to"], remote: values.remote, env: values.env }, values.out);
  console.log(`backup written: ${file}`);
}
