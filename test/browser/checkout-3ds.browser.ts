/**
 * 3-D Secure in the storefront: the checkout answers 202, the tab goes to the test
 * bank's page, and the bank sends it back to /checkout, which settles the checkout — or the
 * bank's queued webhook alone completes it when the tab is gone.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../e2e/http";
import { ensureStock, ordersOf, register } from "./api";
import { assertClean, expectAccessible, launchChromium, openPage, screenshot } from "./browser";
import { addVariant, fillAddress, guestAtCheckout, payAtBank, payWith, total } from "./shop";

let browser: Browser;
beforeAll(async () => {
  await ensureStock("WATER-BOTTLE-STEEL", "POUR-OVER", "LINEN-TOWELS-SAGE", "FIELD-GUIDE");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const THREE_DS = /asks your bank to confirm/;

/** The checkout id of every 202 the page's checkouts get (read on the way, before the tab leaves for the bank). */
async function waitingCheckouts(page: Page): Promise<string[]> {
  const ids: string[] = [];
  await page.route(
    (url) => url.pathname === "/v1/checkout",
    async (route) => {
      const answer = await route.fetch();
      if (answer.status() === 202) ids.push(((await answer.json()) as { checkoutId: string }).checkoutId);
      await route.fulfill({ response: answer });
    },
  );
  return ids;
}

/** The path of every other card the page sends to a checkout (`POST /v1/checkouts/{id}/payment-method`). */
function otherCards(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (sent) => {
    const { pathname } = new URL(sent.url());
    if (sent.method() === "POST" && pathname.endsWith("/payment-method")) paths.push(pathname);
  });
  return paths;
}

/** The Idempotency-Key of every checkout the page starts. */
function checkoutKeys(page: Page): string[] {
  const keys: string[] = [];
  page.on("request", (sent) => {
    if (sent.method() === "POST" && new URL(sent.url()).pathname === "/v1/checkout")
      keys.push(sent.headers()["idempotency-key"] ?? "");
  });
  return keys;
}

describe("3-D Secure in the storefront", () => {
  it("a: the bank confirms, the shopper lands back on the storefront with the confirmed order", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const email = await guestAtCheckout(page, "water-bottle", /Steel/, THREE_DS);
    const cartTotal = await total(page);
    await payAtBank(page, "Complete");
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/orders\/ord_/);
    expect(await total(page)).toBe(cartTotal);
    const orders = await ordersOf(email);
    expect(orders).toHaveLength(1);
    expect(await page.getByTestId("order-id").innerText()).toBe(orders[0]?.id);
    expect(await page.getByTestId("cart-link").innerText()).toBe("Cart (0)");
    await expectAccessible(page);
    await screenshot(page, "3ds-a-confirmed");
    assertClean(watched);
    await watched.context.close();
  });

  it("b: the bank's confirmation fails, the page says so in plain words, and another card on the same checkout succeeds", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const keys = checkoutKeys(page);
    const waiting = await waitingCheckouts(page);
    const cards = otherCards(page);
    const email = await guestAtCheckout(page, "pour-over", /Standard/, /confirmation fails/);
    const cartTotal = await total(page);
    await payAtBank(page, "Complete");
    await page
      .getByRole("alert")
      .filter({ hasText: /bank did not confirm the payment, so nothing was charged/ })
      .waitFor();
    expect(await page.getByTestId("cart-link").innerText()).toBe("Cart (1)");
    expect(await total(page)).toBe(cartTotal);
    expect(await ordersOf(email)).toEqual([]);
    // the checkout keeps its stock and waits for another card until its window ends
    expect(waiting).toHaveLength(1);
    const checkoutId = waiting[0] as string;
    const failed = await request(`/v1/checkouts/${checkoutId}`);
    expect(failed.body).toMatchObject({ status: "failed", retryUntil: expect.any(String) });
    await expectAccessible(page);
    await screenshot(page, "3ds-b-failed");
    await page.getByRole("radio", { name: /Visa/ }).check();
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(await total(page)).toBe(cartTotal);
    const orders = await ordersOf(email);
    expect(orders).toHaveLength(1);
    expect(await page.getByTestId("order-id").innerText()).toBe(orders[0]?.id);
    // the second card went to the same checkout, not to a new one
    expect(keys).toHaveLength(1);
    expect(cards).toEqual([`/v1/checkouts/${checkoutId}/payment-method`]);
    expect((await request(`/v1/checkouts/${checkoutId}`)).body).toMatchObject({
      status: "completed",
      orderId: orders[0]?.id,
    });
    assertClean(watched);
    await watched.context.close();
  });

  it("c: the tab closes after authenticating; the bank's webhook alone completes the order, seen by the buyer in a new tab", async () => {
    const user = await register("threeds");
    const watched = await openPage(browser);
    const { page, context } = watched;
    const completes: string[] = [];
    context.on("request", (sent) => {
      if (sent.method() === "POST" && sent.url().endsWith("/complete") && sent.url().includes("/v1/checkouts/"))
        completes.push(sent.url());
    });
    await page.goto("/account");
    const signIn = page.getByRole("form", { name: "Sign in" });
    await signIn.getByLabel("Email").fill(user.email);
    await signIn.getByLabel("Password").fill(user.password);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as").waitFor();
    await addVariant(page, "linen-towels", /Sage/);
    await fillAddress(page, user.email);
    await payWith(page, THREE_DS);
    // the bank decides and answers with its redirect, but the tab is gone before it reaches the shop
    let redirect: string | undefined;
    await page.route(
      (url) => /^\/test-provider\/authenticate\/[^/]+\/complete$/.test(url.pathname),
      async (route) => {
        const answer = await route.fetch({ maxRedirects: 0 });
        redirect = answer.headers()["location"];
        await route.abort();
      },
    );
    await payAtBank(page, "Complete");
    await expect.poll(() => redirect, { timeout: 15_000 }).toMatch(/\/checkout\?returned=1&payment_intent=pay_/);
    await page.close();

    const later = await context.newPage();
    await expect
      .poll(
        async () => {
          await later.goto("/orders");
          await later.getByRole("heading", { name: "My orders" }).waitFor();
          await later.getByText("Loading your orders…").waitFor({ state: "detached" });
          return later.getByRole("link", { name: /^ord_/ }).allInnerTexts();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toHaveLength(1);
    const orders = await ordersOf(user.email);
    expect(orders).toHaveLength(1);
    await later.getByRole("link", { name: orders[0]?.id }).waitFor();
    expect(await later.getByRole("cell", { name: "Paid" }).count()).toBe(1);
    expect(completes).toEqual([]);
    await screenshot(later, "3ds-c-webhook-order");
    assertClean(watched);
    await context.close();
  });

  it("d: back before the bank decided, Pay again returns to the same bank page, and the page says nothing is charged yet", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const keys = checkoutKeys(page);
    const email = await guestAtCheckout(page, "field-guide", /Standard/, THREE_DS);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Test bank" }).waitFor();
    const bank = page.url();
    // the browser's Back button, and Pay again with the same card: the same attempt, so the same waiting checkout
    await page.goBack();
    await page.getByRole("radio", { name: THREE_DS }).check();
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Test bank" }).waitFor();
    expect(page.url()).toBe(bank);
    // as a provider that redirects while it still processes would: the return comes before any decision
    await page.goto("/checkout?returned=1");
    await page.getByText("Confirming your payment with your bank").waitFor();
    await page.getByText("Your bank has not confirmed the payment yet").waitFor({ timeout: 30_000 });
    expect(await ordersOf(email)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, "3ds-d-not-confirmed");
    await page.getByRole("button", { name: "Continue at your bank" }).click();
    await page.getByRole("heading", { name: "Test bank" }).waitFor();
    expect(page.url()).toBe(bank);
    await page.getByRole("button", { name: "Complete" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(await ordersOf(email)).toHaveLength(1);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1); // the second Pay replayed the first checkout's 202
    assertClean(watched);
    await watched.context.close();
  });
});
