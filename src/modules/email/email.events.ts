/**
 * The event payloads the email consumers read (version 1), validated before use: the queue may
 * hold an event written by an older or newer producer, and a bad payload must fail loudly (retry,
 * then dead letter) rather than send a broken email. Extra fields are allowed (producers may add).
 */
import { z } from "zod";

const minorUnits = z.number().int();
/** Producers send integer minor units; a Money object is accepted too and reduced to its amount. */
const amount = z.union([minorUnits, z.object({ amount: minorUnits }).transform((money) => money.amount)]);

/** An order's address snapshot: every field but the country is optional (v1 orders had fewer). */
const addressData = z.object({
  name: z.string().nullish(),
  company: z.string().nullish(),
  line1: z.string().nullish(),
  line2: z.string().nullish(),
  postalCode: z.string().nullish(),
  city: z.string().nullish(),
  region: z.string().nullish(),
  country: z.string(),
  phone: z.string().nullish(),
});
export type AddressData = z.infer<typeof addressData>;

export const orderCreatedData = z.object({
  orderId: z.string().min(1),
  email: z.email(),
  currency: z.string().length(3),
  total: amount,
  lines: z.array(z.object({ sku: z.string(), title: z.string(), quantity: z.number().int().positive(), unitPrice: amount, total: amount })).min(1),
  shippingAddress: addressData.nullish(),
  billingAddress: addressData.nullish(),
});
export type OrderCreatedData = z.infer<typeof orderCreatedData>;

export const orderCancelledData = z.object({ orderId: z.string().min(1), email: z.email(), reason: z.string().nullish(), currency: z.string().length(3).nullish(), total: amount.nullish() });
export type OrderCancelledData = z.infer<typeof orderCancelledData>;

export const orderShippedData = z.object({
  orderId: z.string().min(1),
  email: z.email(),
  carrier: z.string().nullish(),
  trackingNumber: z.string().nullish(),
});
export type OrderShippedData = z.infer<typeof orderShippedData>;

export const passwordResetData = z.object({
  email: z.email(),
  resetUrl: z.url({ protocol: /^https?$/ }).refine((url) => new URL(url).searchParams.has("token"), "resetUrl must carry token="),
});
export type PasswordResetData = z.infer<typeof passwordResetData>;

export class UnsupportedEventVersionError extends Error {}

/** Parses a version-1 payload; other versions are refused (a consumer must be taught them). */
export function parseV1<T>(schema: z.ZodType<T>, message: { type: string; version: number; data: unknown }): T {
  if (message.version !== 1) throw new UnsupportedEventVersionError(`${message.type} v${message.version} is not supported`);
  return schema.parse(message.data);
}
