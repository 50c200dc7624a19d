/**
 * Turns user text into a safe FTS5 MATCH expression. Nothing the user types is ever FTS syntax:
 * the text is split on anything that is not a letter or digit (so quotes, `*`, `^`, `:`, `(`,
 * `)`, `-`, `%`, `_` never reach FTS5), each token is double-quoted (so AND/OR/NOT/NEAR are plain
 * words), tokens are ANDed, the last one is a prefix match (search-as-you-type), and the count
 * and length are capped so no input builds an expensive query. The expression is still bound as
 * a parameter, never spliced into SQL.
 */
const MAX_TOKENS = 8;
const MAX_TOKEN_LENGTH = 40;

/** Returns null when the text has no searchable token (the search then matches nothing). */
export function buildFtsQuery(text: string): string | null {
  const tokens = text
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_TOKENS)
    .map((token) => token.slice(0, MAX_TOKEN_LENGTH));
  if (tokens.length === 0) return null;
  return tokens.map((token, index) => `"${token}"${index === tokens.length - 1 ? "*" : ""}`).join(" ");
}
