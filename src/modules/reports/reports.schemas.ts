import * as z from "zod";

const isRealDate = (value: string) => {
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

export const dailyReportQuerySchema = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD")
    .refine(isRealDate, "not a calendar date")
    .openapi({ example: "2026-11-24", description: "UTC date" }),
});

const amountsSchema = z.array(z.object({ currency: z.string(), amount: z.number().int() }));

export const dailyReportSchema = z
  .object({
    date: z.string(),
    orders: z.number().int(),
    revenue: amountsSchema,
    taxCollected: amountsSchema,
    topSkus: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    computedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("DailySalesReport");
