/**
 * A named schema or null, for a field of an answer: `orNull(moneySchema)` is `Money | null` at that field
 * only, where `moneySchema.nullable()` would make the shared `Money` component nullable everywhere.
 * Why, and its 3.0 rendering: docs/operations.md, "API contract (v1)".
 */
import * as z from "zod";

export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}
