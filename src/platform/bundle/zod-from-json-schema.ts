/**
 * Bundle stub for zod's `fromJSONSchema` (wired by `[alias]` in wrangler.toml): Motor builds JSON
 * Schema from zod, never zod from JSON Schema, so the converter is left out of the deployed bundle.
 */
export function fromJSONSchema(): never {
  throw new Error("zod's fromJSONSchema is not part of the Motor bundle");
}
