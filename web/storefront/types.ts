/** The v1 shapes the storefront reads (see /openapi.json); only the fields it uses. */
import type { Money } from "../shared/format";

export interface Variant {
  sku: string;
  title: string;
  options: Record<string, string>;
  price: Money | null;
  available: number;
}

export interface Product {
  id: string;
  slug: string;
  title: string;
  description: string;
  categories: { id: string; slug: string; name: string }[];
  variants: Variant[];
}

export interface Category {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  position: number;
}

export interface Address {
  country: string;
  region?: string;
  postalCode: string;
  city: string;
  line1: string;
  name?: string;
}

export interface CartLine {
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
  total: Money;
  discount: Money;
}

export interface ShippingOption {
  id: string;
  name: string;
  amount: Money;
  estimatedDays: number;
}

export interface Cart {
  id: string;
  currency: string;
  email: string | null;
  shippingAddress: Address | null;
  discountCode: string | null;
  shippingOptionId?: string | null;
  shippingOption?: ShippingOption | null;
  lines: CartLine[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money & { inclusive: boolean; status: "calculated" | "pending" };
  total: Money;
  readyForCheckout: boolean;
  blockers: string[];
  notices: string[];
  unavailableSkus: string[];
}

export interface Order {
  id: string;
  status: string;
  email: string;
  lines: { sku: string; title: string; quantity: number; unitPrice: Money; total: Money }[];
  subtotal: Money;
  discount: Money;
  discountCode: string | null;
  shipping: Money;
  tax: Money & { inclusive: boolean };
  total: Money;
  createdAt: string;
}
