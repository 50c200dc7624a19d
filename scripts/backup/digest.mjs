// Row count and checksum per table, to prove a restored database holds exactly the source's rows.
// Rows are compared as sets (canonical JSON, sorted), so physical order and rowids do not matter.
import { createHash } from "node:crypto";
import { query } from "./d1.mjs";

/** @returns {Record<string, { rows: number, sha256: string }>} */
export function tableDigests(target, tables) {
  const results = query(target, tables.map((table) => `SELECT * FROM "${table}"`).join(";\n"));
  return Object.fromEntries(
    tables.map((table, at) => {
      const rows = results[at]
        .map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))))
        .sort();
      return [table, { rows: rows.length, sha256: createHash("sha256").update(rows.join("\n")).digest("hex") }];
    }),
  );
}

/** @returns {string[]} one line per table whose count or checksum differs */
export function compareDigests(source, restored) {
  return Object.entries(source).flatMap(([table, digest]) => {
    const other = restored[table];
    if (!other) return [`${table}: missing from the restored database`];
    if (other.rows !== digest.rows) return [`${table}: ${other.rows} rows restored, ${digest.rows} in the source`];
    return other.sha256 === digest.sha256 ? [] : [`${table}: same row count, different content`];
  });
}
