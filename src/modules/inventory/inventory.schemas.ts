/** Admin inventory contract: the SKU path parameter, the on-hand body and the stock answer. */
import { z } from "@hono/zod-openapi";

/** Upper bound of on-hand: far above any real stock, far below integer trouble. */
export const MAX_ON_HAND = 1_000_000_000;

export const skuParamSchema = z.object({
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-'")
    .openapi({ param: { name: "sku", in: "path" }, example: "CLASSIC-TEE-M" }),
});

export const setOnHandSchema = z
  .object({ onHand: z.number().int().min(0).max(MAX_ON_HAND).openapi({ example: 25 }) })
  .strict()
  .openapi("SetOnHand");
export type SetOnHand = z.infer<typeof setOnHandSchema>;

export const stockLevelSchema = z
  .object({
    sku: z.string(),
    onHand: z.number().int().openapi({ description: "Units in the warehouse (D1, the truth)" }),
    reserved: z.number().int().openapi({ description: "Units held by checkouts in progress" }),
    available: z.number().int().openapi({ description: "onHand − reserved, never below zero" }),
  })
  .openapi("StockLevel");
export type StockLevel = z.infer<typeof stockLevelSchema>;
