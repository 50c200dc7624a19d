// Ready-to-buy carts for the checkout scenarios and the oversell block, written as SQL into the
// benchmark's private state before Motor starts — as the checkout tests' `readyCartRows` do. The
// cart API itself is measured by `cart.addItem` and `checkout.sequential`; preparing thousands of
// carts through it (three requests each) took minutes of the bench's time budget.
// Each cart is one buyer with its own client IP (the per-IP rate limit is per buyer).
import { randomBytes } from "node:crypto";

const ADDRESS = JSON.stringify({ country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" });

/** One simulated buyer per cart, each with its own client IP. */
export const buyerIp = (index, block = 20) => `10.${block}.${(index >> 8) & 255}.${index & 255}`;

const quote = (value) => `'${String(value).replace(/'/g, "''")}'`;

/**
 * `count` carts, each holding one unit of one of `skus` (round robin), an email and an address;
 * `statements` writes them. Every pool has its own IP block.
 */
export function cartPool(count, skus, ipBlock) {
  const now = Date.now();
  const carts = [];
  const statements = [];
  for (let index = 0; index < count; index += 1) {
    const id = `cart_${randomBytes(16).toString("hex").slice(0, 22)}`;
    carts.push({ id, ip: buyerIp(index, ipBlock) });
    statements.push(
      `INSERT INTO carts (id, status, currency, country, email, shipping_address, created_at, ` +
        `updated_at) VALUES (${quote(id)}, 'open', 'EUR', 'ES', 'bench@example.test', ${quote(ADDRESS)}, ` +
        `${now}, ${now});`,
    );
    statements.push(
      `INSERT INTO cart_items (cart_id, sku, quantity, added_at) VALUES (${quote(id)}, ${quote(skus[index % skus.length])}, 1, ${now});`,
    );
  }
  return { carts, statements };
}
