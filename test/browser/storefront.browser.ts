/**
 * Storefront journeys 1–5 in headless Chromium: every step through the page as a
 * shopper uses it, each journey with its own data, a screenshot and an axe-core check.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureStock, ordersOf, register, waitForEmail } from "./api";
import { assertClean, expectAccessible, launchChromium, openPage, screenshot } from "./browser";
import { addVariant, fillAddress, guestAtCheckout, payWith, total, uniqueEmail } from "./shop";

let browser: Browser;
beforeAll(async () => {
  await ensureStock("CLASSIC-TEE-S", "CLASSIC-TEE-M", "CANVAS-TOTE", "BEANIE-RUST", "NOTEBOOK-BLACK", "HEADLAMP");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("storefront journeys", () => {
  it("1: a guest searches, adds two variants, applies a code, picks Express, pays with pm_card_visa; order total = cart's", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await page.goto("/");
    await page.getByLabel("Search products").fill("cotton tee");
    await page.getByLabel("Search products").press("Enter");
    await page.getByRole("link", { name: "Classic Cotton Tee" }).click();
    await page.getByRole("heading", { name: "Classic Cotton Tee" }).waitFor();
    await expectAccessible(page);
    await addVariant(page, "classic-tee", /^S ·/);
    await addVariant(page, "classic-tee", /^M ·/);
    await page.getByTestId("cart-link").click();
    await expect.poll(() => page.getByTestId("cart-link").innerText()).toBe("Cart (2)");
    await page.getByLabel("Discount code").fill("WELCOME10");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Discount code WELCOME10 applied").waitFor();
    const email = uniqueEmail("journey1");
    await fillAddress(page, email);
    await page.getByRole("radio", { name: /Express/ }).check();
    await page.getByText("Updating totals…").waitFor({ state: "detached" });
    await expectAccessible(page);
    const cartTotal = await total(page);
    await payWith(page, /Visa/);
    expect(await total(page)).toBe(cartTotal);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(await total(page)).toBe(cartTotal);
    const orders = await ordersOf(email);
    expect(orders).toHaveLength(1);
    expect(await page.getByTestId("order-id").innerText()).toBe(orders[0]?.id);
    await expectAccessible(page);
    await screenshot(page, "journey-1-guest-order");
    assertClean(watched);
    await watched.context.close();
  });

  it("2: a declined card (pm_card_chargeDeclined) shows a clear message and leaves the cart intact", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await addVariant(page, "canvas-tote", /Standard/);
    const email = uniqueEmail("journey2");
    await fillAddress(page, email);
    const cartTotal = await total(page);
    await payWith(page, /declined/i);
    await page.getByRole("button", { name: "Pay now" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/card was declined.*nothing was charged/i);
    await expectAccessible(page);
    await screenshot(page, "journey-2-declined");
    await page.getByRole("link", { name: "Change cart" }).click();
    await page.getByRole("heading", { name: "Your cart" }).waitFor();
    expect(await page.getByTestId("cart-link").innerText()).toBe("Cart (1)");
    expect(await total(page)).toBe(cartTotal);
    expect(await ordersOf(email)).toEqual([]);
    assertClean(watched);
    await watched.context.close();
  });

  it("3: a double click on Pay makes one order", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const email = await guestAtCheckout(page, "beanie", /Rust/, /Visa/);
    await page.getByRole("button", { name: "Pay now" }).dblclick();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    await screenshot(page, "journey-3-double-click");
    expect(await ordersOf(email)).toHaveLength(1);
    assertClean(watched);
    await watched.context.close();
  });

  it("3b: an answer lost on the way back is retried with the same Idempotency-Key and still makes one order", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const email = await guestAtCheckout(page, "notebook", /Black/, /Visa/);
    const keys: string[] = [];
    await page.route("**/v1/checkout", async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      if (keys.length === 1) {
        await route.fetch(); // the server takes the order and charges …
        return route.abort("connectionreset"); // … but the answer never reaches the page
      }
      return route.continue();
    });
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(await ordersOf(email)).toHaveLength(1);
    await watched.context.close();
  });

  it("4: a customer registers, orders, and sees the order in their history", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const email = uniqueEmail("journey4");
    await page.goto("/account");
    await expectAccessible(page);
    const registration = page.getByRole("form", { name: "Create an account" });
    await registration.getByLabel("Name").fill("Journey Four");
    await registration.getByLabel("Email").fill(email);
    await registration.getByLabel("Password").fill("a-long-enough-passphrase");
    await registration.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Signed in as").waitFor();
    await addVariant(page, "headlamp", /Standard/);
    await fillAddress(page, email);
    await payWith(page, /Visa/);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    const orderId = await page.getByTestId("order-id").innerText();
    await page.getByRole("link", { name: "All my orders" }).click();
    await page.getByRole("link", { name: orderId }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "journey-4-history");
    await page.getByRole("link", { name: orderId }).click();
    await expect.poll(() => page.getByTestId("order-id").innerText()).toBe(orderId);
    assertClean(watched);
    await watched.context.close();
  });

  it("5: the password reset runs from the emailed link to a login with the new password", async () => {
    const user = await register("journey5");
    const watched = await openPage(browser);
    const { page } = watched;
    await page.goto("/account");
    const forgot = page.getByRole("form", { name: "Forgot your password?" });
    await forgot.getByLabel("Email").fill(user.email);
    await forgot.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByText("a reset link is on its way").waitFor();
    const email = await waitForEmail(user.email, /password/i);
    const link = /https?:\/\/\S+\/reset-password\?token=\S+/.exec(email.text)?.[0];
    expect(link).toBeDefined();
    expect(new URL(link!).origin).toBe(new URL(page.url()).origin);
    await page.goto(link!);
    await expectAccessible(page);
    const password = "a-brand-new-passphrase";
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByLabel("Repeat the new password").fill(password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).click();
    const signIn = page.getByRole("form", { name: "Sign in" });
    await signIn.getByLabel("Email").fill(user.email);
    await signIn.getByLabel("Password").fill(password);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as").waitFor();
    await screenshot(page, "journey-5-password-reset");
    assertClean(watched);
    await watched.context.close();
  });
});
