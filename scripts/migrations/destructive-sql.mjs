// Finds destructive SQL in a migration: DROP, RENAME, or a NOT NULL column added to an existing
// table without a DEFAULT (it fails on a table with rows, and breaks the code still running that
// does not write it). Comments and string literals are blanked first, so a comment or a stored
// text that says "drop" is not a finding — and a marker hidden in a string is not a marker.

const TOKENS = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`/g;
const isComment = (token) => token.startsWith("--") || token.startsWith("/*");
const blank = (token, fill) => token.replace(/[^\n]/g, fill);

/** The SQL with comments and '…' / "…" / `…` literals blanked, line numbers kept. */
export function codeOnly(sql) {
  return sql.replace(TOKENS, (token) => blank(token, isComment(token) ? " " : "x"));
}

/** The SQL with only its literals blanked: where markers are looked for. */
function withoutLiterals(sql) {
  return sql.replace(TOKENS, (token) => (isComment(token) ? token : blank(token, "x")));
}

const RULES = [
  { rule: "drop", pattern: /\bDROP\b/gi, why: "DROP removes what running code may still read" },
  { rule: "rename", pattern: /\bRENAME\b/gi, why: "RENAME breaks the code still running with the old name" },
  {
    rule: "not-null-without-default",
    pattern: /\bALTER\s+TABLE\s+\S+\s+ADD\b[^;]*/gi,
    why: "a NOT NULL column without a DEFAULT fails on existing rows and on old code's inserts",
  },
];

/** @returns {{ rule: string, line: number, statement: string, why: string }[]} */
export function findDestructive(sql) {
  const code = codeOnly(sql);
  const findings = [];
  for (const { rule, pattern, why } of RULES) {
    for (const match of code.matchAll(pattern)) {
      if (rule === "not-null-without-default" && (!/\bNOT\s+NULL\b/i.test(match[0]) || /\bDEFAULT\b/i.test(match[0]))) continue;
      const line = code.slice(0, match.index).split("\n").length;
      findings.push({ rule, line, statement: sql.split("\n")[line - 1].trim(), why });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/**
 * The marker that lets a destructive migration through: `-- @destructive` plus a written
 * expand/contract plan with non-empty `-- expand:` and `-- contract:` lines (see docs/operations.md).
 * @returns {string[]} what is missing (empty when the migration is properly marked)
 */
export function missingMarker(migration) {
  const sql = withoutLiterals(migration);
  const missing = [];
  if (!/^--\s*@destructive\b/m.test(sql)) missing.push("the `-- @destructive` marker");
  if (!/^--\s*expand:\s*\S/im.test(sql)) missing.push("an `-- expand: …` line (what was added first, and in which release)");
  if (!/^--\s*contract:\s*\S/im.test(sql)) missing.push("a `-- contract: …` line (what this removes, and why no running code needs it)");
  return missing;
}
