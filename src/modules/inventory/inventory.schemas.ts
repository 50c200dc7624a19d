/** Admin inventory contract: the SKU path parameter, the on-hand body and the stock answer. */
import * as z from "zod";
import { MAX_SHARDS } from "./inventory.shards";

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

export const setShardsSchema = z
  .object({
    shards: z
      .number()
      .int()
      .min(1)
      .max(MAX_SHARDS)
      .openapi({
        example: 4,
        description: `How many StockLock objects sell this SKU (1 = not sharded, at most ${MAX_SHARDS})`,
      }),
  })
  .strict()
  .openapi("SetShards");
export type SetShards = z.infer<typeof setShardsSchema>;

export const shardLevelSchema = z.object({
  shard: z.number().int(),
  stock: z.number().int().openapi({ description: "Units this shard may sell (its slice of on hand)" }),
  reserved: z.number().int(),
  available: z.number().int(),
});

export const shardPlanSchema = z
  .object({
    sku: z.string(),
    shards: z.number().int(),
    span: z.number().int().openapi({
      description: "The largest shard count this SKU has had (shards past `shards` only finish their reservations)",
    }),
    stock: z.array(shardLevelSchema),
  })
  .openapi("StockShards");
export type ShardPlanView = z.infer<typeof shardPlanSchema>;
