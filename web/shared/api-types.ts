/**
 * The API's answers under the names the pages use: aliases of the types generated from the v1
 * contract (api-types.gen.ts, refreshed by `npm run contract:update`), so a change to what the
 * server answers shows up as a type error here instead of drifting from a hand-kept copy.
 */
import type { components } from "./api-types.gen";

type Schemas = components["schemas"];

export type User = Schemas["User"];
/** What sign-in, registration and refresh answer. */
export type SessionAnswer = Schemas["Session"];

export type Category = Schemas["Category"];
export type Product = Schemas["Product"];
export type Variant = Schemas["Variant"];
export type Cart = Schemas["Cart"];
export type CartLine = Schemas["CartLine"];
export type ShippingOption = Schemas["ShippingOptionQuote"];
export type Order = Schemas["Order"];
export type CheckoutRequiresAction = Schemas["CheckoutRequiresAction"];
export type CheckoutStatus = Schemas["CheckoutStatus"];

export type AdminOrder = Schemas["AdminOrder"];
export type OrderPayment = Schemas["OrderPayment"];
export type OrderRefund = Schemas["OrderRefund"];
export type AdminProduct = Schemas["AdminProduct"];
export type StockLevel = Schemas["StockLevel"];
export type Discount = Schemas["Discount"];
export type SentEmail = Schemas["SentEmail"];
export type FailedJob = Schemas["FailedJob"];
export type LatencyReport = Schemas["LatencyReport"];
