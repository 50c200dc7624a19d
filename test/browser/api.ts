/** Direct API calls the browser tests use to arrange data and to check what the pages claim. */
import { request } from "../e2e/http";

export const ADMIN = { email: "admin@motor.local", password: "motor-admin-local" };

export async function login(email: string, password: string): Promise<string> {
  const { status, body } = await request("/v1/auth/login", { method: "POST", json: { email, password } });
  if (status !== 200) throw new Error(`login of ${email} answered ${status}`);
  return body.accessToken as string;
}

export async function register(name: string) {
  const user = {
    email: `${name}-${crypto.randomUUID()}@example.test`,
    password: `Pw-${crypto.randomUUID()}`,
    name: "Browser Tester",
  };
  const { status, body } = await request("/v1/auth/register", { method: "POST", json: user });
  if (status !== 201) throw new Error(`register answered ${status}`);
  return { ...user, id: (body.user as { id: string }).id, accessToken: body.accessToken as string };
}

/** A fresh staff account (registered, then promoted by the seeded admin). */
export async function staffUser() {
  const user = await register("staff");
  const admin = await login(ADMIN.email, ADMIN.password);
  const { status } = await request(`/v1/admin/users/${user.id}/role`, {
    method: "PATCH",
    json: { role: "staff" },
    token: admin,
  });
  if (status !== 200) throw new Error(`promoting to staff answered ${status}`);
  return user;
}

interface Email {
  subject: string;
  text: string;
}

/** Waits for the newest email to `to` in the local outbox (the outbox relay and queue are asynchronous). */
export async function waitForEmail(to: string, subject: RegExp): Promise<Email> {
  const admin = await login(ADMIN.email, ADMIN.password);
  for (let tries = 0; tries < 60; tries++) {
    const { body } = await request(`/v1/admin/emails?to=${encodeURIComponent(to)}`, { token: admin });
    const found = ((body.data ?? []) as Email[]).find((email) => subject.test(email.subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no email "${subject}" to ${to}`);
}

export interface OrderSummary {
  id: string;
  email: string;
  total: { amount: number; currency: string };
}

/** Orders placed with this email, from the staff list (newest first). */
export async function ordersOf(email: string): Promise<OrderSummary[]> {
  const admin = await login(ADMIN.email, ADMIN.password);
  const { body } = await request("/v1/admin/orders?limit=100", { token: admin });
  return ((body.data ?? []) as OrderSummary[]).filter((order) => order.email === email);
}

/** Sets plenty of stock on these SKUs, so journeys sharing the seeded catalog never run each other out. */
export async function ensureStock(...skus: string[]) {
  const admin = await login(ADMIN.email, ADMIN.password);
  for (const sku of skus) {
    const { status } = await request(`/v1/admin/inventory/${sku}`, {
      method: "PUT",
      json: { onHand: 1000 },
      token: admin,
    });
    if (status !== 200) throw new Error(`restocking ${sku} answered ${status}`);
  }
}

/** A paid order placed straight through the API (cart → address → checkout with pm_card_visa). */
/** `capture: "manual"` asks this one checkout to only authorise (the test header; the local server captures at checkout). */
export async function placeOrder(
  sku: string,
  options: { quantity?: number; capture?: "manual" } = {},
): Promise<OrderSummary> {
  const cart = await request("/v1/carts", { method: "POST", json: {} });
  const id = cart.body.id as string;
  await request(`/v1/carts/${id}/items`, { method: "POST", json: { sku, quantity: options.quantity ?? 1 } });
  const address = { country: "ES", postalCode: "28013", city: "Madrid", line1: "Calle Mayor 1" };
  await request(`/v1/carts/${id}`, {
    method: "PATCH",
    json: { email: `console-${crypto.randomUUID()}@example.test`, shippingAddress: address },
  });
  const headers = {
    "Idempotency-Key": crypto.randomUUID(),
    ...(options.capture ? { "Motor-Test-Capture": options.capture } : {}),
  };
  const order = await request("/v1/checkout", {
    method: "POST",
    json: { cartId: id, paymentMethod: "pm_card_visa" },
    headers,
  });
  if (order.status !== 201) throw new Error(`checkout answered ${order.status}: ${JSON.stringify(order.body)}`);
  return order.body as unknown as OrderSummary;
}
