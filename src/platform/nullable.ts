/**
 * A named schema or null, for a field of an answer: `orNull(moneySchema)` is `Money | null`, and
 * the document says so at the field only (`anyOf: [{ $ref: Money }, { type: "null" }]`).
 *
 * Why not `moneySchema.nullable()`: zod-to-openapi (v9) keeps the component's name on the nullable
 * wrapper, and the first use of a component it meets becomes the component. One nullable field
 * made `Money`, `Address` and `ShippingOptionQuote` nullable in every field of every answer (with
 * that field's description), and the client types said `Money | null` for every total. A union
 * carries no name of its own: the component stays the plain schema. Rendered in 3.0, a union with
 * null needs a rewrite the diff tool and the client types read (`contractDocument`,
 * src/platform/openapi-document.ts).
 *
 * Answers only: zod validates a union as a whole, so a bad value gets one "Invalid input" at the
 * field where `.nullable()` names the inner field at fault. A nullable named schema in a request
 * is a `.nullable()` of an unnamed copy instead (`UpdateCart.billingAddress`, cart.schemas.ts).
 */
import * as z from "zod";

export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}
