/**
 * Storefront behaviour beyond the numbered journeys: catalog navigation (category tree, price
 * sort, keyset "load more"), cart quantities re-priced by the server, an out-of-stock answer at
 * checkout in plain words, a total that changed at checkout shown and confirmed again, and the
 * silent refresh of the access token.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../e2e/http";
import { ADMIN, ensureStock, login, ordersOf, register } from "./api";
import { assertClean, launchChromium, openPage } from "./browser";
import { addVariant, fillAddress, guestAtCheckout, payWith, total, uniqueEmail } from "./shop";

let browser: Browser;
beforeAll(async () => {
  await ensureStock("CLASSIC-TEE-L", "CHEF-KNIFE");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const cardTitles = (page: Page) => page.locator(".product-card a").allInnerTexts();
const euros = (text: string) => Number(text.replace(/[^0-9.]/g, ""));

describe("storefront details", () => {
  it("filters by category, sorts by price and loads the next page of products", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await page.goto("/");
    await page.getByRole("link", { name: "Footwear" }).click();
    await page.getByRole("heading", { name: "Footwear" }).waitFor();
    // the grid shows the previous list until the category's page arrives
    await expect
      .poll(() => cardTitles(page))
      .toEqual(["Trail Runner Shoe", "Leather Chelsea Boot", "Canvas Sneaker", "Wool Hiking Socks (2-pack)"]);

    await page.getByRole("link", { name: "All products" }).click();
    await page.getByLabel("Sort by").selectOption("price_asc");
    await expect.poll(() => page.url()).toContain("sort=price_asc");
    const prices = async () => (await page.locator(".product-card .price").allInnerTexts()).map(euros);
    // the whole catalog's first page, cheapest first (the grid shows the previous list until it loads)
    const ascending = (list: number[]) => list.every((price, index) => index === 0 || (list[index - 1] ?? 0) <= price);
    await expect
      .poll(async () => {
        const shown = await prices();
        return shown.length === 12 && ascending(shown);
      })
      .toBe(true);

    const firstPage = (await cardTitles(page)).length;
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(async () => (await cardTitles(page)).length).toBeGreaterThan(firstPage);
    const all = await cardTitles(page);
    expect(new Set(all).size).toBe(all.length); // the next page repeats nothing
    assertClean(watched);
    await watched.context.close();
  });

  it("changes a line's quantity and shows the total the server re-priced", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await addVariant(page, "classic-tee", /^L ·/);
    await page.goto("/cart");
    const subtotal = () => page.locator("dl.totals dt:text-is('Subtotal') + dd").innerText();
    const before = await subtotal();
    await page.getByLabel("Quantity of Classic Cotton Tee — L").fill("3");
    await page.getByLabel("Quantity of Classic Cotton Tee — L").press("Tab");
    await expect.poll(() => page.getByTestId("cart-link").innerText()).toBe("Cart (3)");
    expect(euros(await subtotal())).toBeCloseTo(euros(before) * 3, 2);
    await page.getByRole("button", { name: "Remove Classic Cotton Tee — L" }).click();
    await page.getByText("Your cart is empty").waitFor();
    assertClean(watched);
    await watched.context.close();
  });

  it("says in plain words which items ran out when stock goes while the shopper is at checkout", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await guestAtCheckout(page, "chef-knife", /Standard/, /Visa/);
    const admin = await login(ADMIN.email, ADMIN.password);
    await request("/v1/admin/inventory/CHEF-KNIFE", { method: "PUT", json: { onHand: 0 }, token: admin });
    await page.getByRole("button", { name: "Pay now" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/ran out of stock: CHEF-KNIFE/);
    await ensureStock("CHEF-KNIFE");
    await watched.context.close();
  });

  it("shows the new total and asks again when it changed during checkout; nothing is charged until the shopper confirms", async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const admin = await login(ADMIN.email, ADMIN.password);
    const code = `BROWSER${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    expect(
      (
        await request("/v1/admin/discounts", {
          method: "POST",
          json: { code, type: "percentage", value: 10 },
          token: admin,
        })
      ).status,
    ).toBe(201);
    await addVariant(page, "chef-knife", /Standard/);
    await page.goto("/cart");
    await page.getByLabel("Discount code").fill(code);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText(`Discount code ${code} applied`).waitFor();
    const email = uniqueEmail("price-changed");
    await fillAddress(page, email);
    await payWith(page, /Visa/);
    const shown = await total(page);
    // the merchant ends the promotion while the shopper looks at the total
    expect(
      (await request(`/v1/admin/discounts/${code}`, { method: "PATCH", json: { active: false }, token: admin })).status,
    ).toBe(200);
    await page.getByRole("button", { name: "Pay now" }).click();
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toMatch(/The total has changed to .+ Nothing was charged/);
    await expect.poll(() => total(page)).not.toBe(shown);
    const confirmed = await total(page);
    expect(await ordersOf(email)).toHaveLength(0);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { name: "Thank you for your order" }).waitFor();
    expect(await total(page)).toBe(confirmed);
    expect(await ordersOf(email)).toHaveLength(1);
    assertClean(watched);
    await watched.context.close();
  });

  it("refreshes the access token silently a minute before it expires", async () => {
    const user = await register("refresh");
    const watched = await openPage(browser);
    const { page } = watched;
    await page.goto("/account");
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(user.email);
    await form.getByLabel("Password").fill(user.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as").waitFor();
    const stored = () =>
      page.evaluate(
        () => JSON.parse(localStorage.getItem("motor.session") ?? "null") as { accessToken: string; expiresAt: number },
      );
    const first = await stored();
    // pretend the token was issued long ago: it now expires in 61 s, so the refresh is due in ~1 s
    await page.evaluate((at) => {
      const session = JSON.parse(localStorage.getItem("motor.session") ?? "{}");
      localStorage.setItem("motor.session", JSON.stringify({ ...session, expiresAt: at }));
    }, Date.now() + 61_000);
    const refreshed = page.waitForResponse(
      (response) => response.url().endsWith("/v1/auth/refresh") && response.status() === 200,
    );
    await page.reload();
    await refreshed;
    await expect.poll(async () => (await stored()).accessToken).not.toBe(first.accessToken);
    await page.goto("/orders");
    await page.getByRole("heading", { name: "My orders" }).waitFor(); // the new token works
    assertClean(watched);
    await watched.context.close();
  });
});
