/**
 * The event payloads the email consumers read (version 1), validated before use: the queue may
 * hold an event written by an older or newer producer, and a bad payload must fail loudly (retry,
 * then dead letter) rather than send a broken email. Extra fields are allowed (producers may add).
 */
import * as z from "zod";

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
  lines: z
    .array(
      z.object({
        sku: z.string(),
        title: z.string(),
        quantity: z.number().int().positive(),
        unitPrice: amount,
        total: amount,
      }),
    )
    .min(1),
  shippingAddress: addressData.nullish(),
  billingAddress: addressData.nullish(),
});
export type OrderCreatedData = z.infer<typeof orderCreatedData>;

/** `refundAmount` is what this cancel sent back (less than `total` after an earlier partial refund). */
export const orderCancelledData = z.object({
  orderId: z.string().min(1),
  email: z.email(),
  reason: z.string().nullish(),
  currency: z.string().length(3).nullish(),
  total: amount.nullish(),
  refundAmount: amount.nullish(),
});
export type OrderCancelledData = z.infer<typeof orderCancelledData>;

/** Units of a parcel or a refund, with the title the buyer saw. */
const unitLines = z.array(z.object({ sku: z.string(), title: z.string(), quantity: z.number().int().positive() }));

export const orderShippedData = z.object({
  orderId: z.string().min(1),
  email: z.email(),
  carrier: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  trackingUrl: z.url({ protocol: /^https$/ }).nullish(),
  /** Absent on a bare status change (no fulfillment recorded). */
  lines: unitLines.nullish(),
  partial: z.boolean().nullish(),
});
export type OrderShippedData = z.infer<typeof orderShippedData>;

export const orderRefundIssuedData = z.object({
  orderId: z.string().min(1),
  email: z.email(),
  currency: z.string().length(3),
  amount,
  reason: z.string().nullish(),
  lines: unitLines,
});
export type OrderRefundIssuedData = z.infer<typeof orderRefundIssuedData>;

/**
 * Version 2: a reference to the reset token row, never the token; the consumer derives the token
 * and builds the link (identity/derived-secrets.ts). Version 1 carried the link itself — with the
 * token in clear at rest — and is refused (dead-lettered; the user asks for a new link).
 */
export const passwordResetData = z.object({
  email: z.email(),
  resetTokenId: z.string().regex(/^prt_[0-9A-Za-z]{22}$/),
});
export type PasswordResetData = z.infer<typeof passwordResetData>;

export class UnsupportedEventVersionError extends Error {}

type VersionedMessage = { type: string; version: number; data: unknown };

/** Parses a payload of the given version; other versions are refused (a consumer must be taught them). */
export function parseVersion<T>(version: number, schema: z.ZodType<T>, message: VersionedMessage): T {
  if (message.version !== version)
    throw new UnsupportedEventVersionError(`${message.type} v${message.version} is not supported`);
  return schema.parse(message.data);
}

export const parseV1 = <T>(schema: z.ZodType<T>, message: VersionedMessage): T => parseVersion(1, schema, message);
