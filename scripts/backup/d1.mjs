// Reading a D1 through wrangler for backups and the restore drill: local (a state directory, or
// the repository's .wrangler/state) or remote (`--env`). `wrangler d1 export` has no --persist-to,
// so a local export runs in a throwaway project whose .wrangler/state points at the directory.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, wranglerSync } from "../lib/wrangler.mjs";

/** @typedef {{ persistTo?: string, remote?: boolean, env?: string }} Target */

const where = ({ persistTo, remote, env }) => [
  ...(remote ? ["--remote"] : ["--local"]),
  ...(env ? ["--env", env] : []),
  ...(persistTo && !remote ? ["--persist-to", persistTo] : []),
];

/** Results of each statement of `sql` (several statements → several result sets). */
export function query(target, sql) {
  return JSON.parse(wranglerSync(["d1", "execute", "DB", ...where(target), "--json", "--command", sql])).map(
    (set) => set.results,
  );
}

export function executeFile(target, file) {
  wranglerSync(["d1", "execute", "DB", ...where(target), "--file", file, ...(target.remote ? ["--yes"] : [])]);
}

export function applyMigrations(target) {
  wranglerSync(["d1", "migrations", "apply", "DB", ...where(target)]);
}

/**
 * The tables a backup holds: every ordinary table, not D1's own (`_cf_*`, `sqlite_*`), not the
 * migrations ledger (the restore re-applies migrations), not virtual tables — D1 export refuses
 * them — nor their shadow tables: FTS5 indexes are rebuilt by their triggers as rows come back.
 */
export function backupTables(target) {
  const [tables] = query(target, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const virtual = tables.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql ?? "")).map((table) => table.name);
  const shadow = (name) => virtual.some((vt) => name.startsWith(`${vt}_`));
  return {
    data: tables
      .map((table) => table.name)
      .filter(
        (name) => !/^(_cf_|sqlite_)/.test(name) && name !== "d1_migrations" && !virtual.includes(name) && !shadow(name),
      ),
    virtual,
  };
}

export function appliedMigrations(target) {
  return query(target, "SELECT name FROM d1_migrations ORDER BY id")[0].map((row) => row.name);
}

/** Data-only export of `tables` into `output` (SQL: PRAGMA defer_foreign_keys, then INSERTs). */
export function exportData(target, tables, output) {
  const args = [
    "d1",
    "export",
    "DB",
    "--no-schema",
    "--output",
    output,
    ...tables.flatMap((table) => ["--table", table]),
  ];
  if (target.remote || !target.persistTo) {
    wranglerSync([
      ...args,
      ...(target.remote ? ["--remote"] : ["--local"]),
      ...(target.env ? ["--env", target.env] : []),
    ]);
    return;
  }
  const project = mkdtempSync(join(tmpdir(), "motor-export-"));
  try {
    mkdirSync(join(project, ".wrangler"));
    symlinkSync(target.persistTo, join(project, ".wrangler", "state"));
    writeFileSync(
      join(project, "wrangler.toml"),
      'name = "motor-export"\ncompatibility_date = "2026-10-01"\n[[d1_databases]]\nbinding = ' +
        '"DB"\ndatabase_name = "motor"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n',
    );
    wranglerSync([...args, "--local", "--config", join(project, "wrangler.toml")]);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

export const BACKUP_DIR = join(ROOT, "backups");
