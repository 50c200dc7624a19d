/**
 * Strong ETags: the answer bytes of a catalog read are a pure function of the data, so equal
 * bodies mean byte-equal representations (RFC 9110 §8.8.3). Compared weakly for If-None-Match,
 * as §13.1.2 requires (a `W/` prefix sent back by an intermediary still matches).
 */
import { sha256Hex } from "../crypto";

export async function etagOf(body: string): Promise<string> {
  return `"${(await sha256Hex(body)).slice(0, 32)}"`;
}

export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  for (const candidate of header.split(",")) {
    const tag = candidate.trim();
    if (tag === "*" || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}
