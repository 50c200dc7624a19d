/**
 * Console journeys in headless Chromium: staff change stock and the storefront follows
 * (journey 6), the metrics page draws its charts (journey 7), orders move through their states,
 * and the page shows each role only what it may use.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../e2e/http";
import { ADMIN, ensureStock, placeOrder, register, staffUser } from "./api";
import { assertClean, expectAccessible, launchChromium, openPage, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
  await ensureStock("CANVAS-TOTE");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A staff member signed in to the console on the page of a fresh paid order. */
async function staffOnNewOrder() {
  const staff = await staffUser();
  const order = await placeOrder("CANVAS-TOTE");
  const watched = await openPage(browser);
  await signInToConsole(watched.page, staff.email, staff.password, `/admin/orders/${order.id}`);
  await watched.page.getByRole("heading", { name: `Order ${order.id}` }).waitFor();
  return watched;
}

async function signInToConsole(page: Page, email: string, password: string, path = "/admin") {
  await page.goto(path);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console" }).waitFor();
}

describe("console journeys", () => {
  it("6: staff lower a SKU's stock in the console and the open product page shows it within 15 s", async () => {
    const staff = await staffUser();
    const shopper = await openPage(browser);
    await shopper.page.goto("/products/leather-belt");
    await shopper.page.getByRole("radio", { name: /^95 ·/ }).check();
    await shopper.page.getByTestId("availability").waitFor();

    const staffPage = await openPage(browser);
    await signInToConsole(staffPage.page, staff.email, staff.password);
    await staffPage.page.getByRole("link", { name: "Inventory" }).click();
    await staffPage.page.getByLabel("Find a product").fill("leather belt");
    await staffPage.page.getByRole("button", { name: "Find" }).click();
    const onHand = staffPage.page.getByLabel("On hand of LEATHER-BELT-95", { exact: true });
    await onHand.fill("2");
    await staffPage.page.getByRole("button", { name: "Save on hand of LEATHER-BELT-95" }).click();
    await staffPage.page.getByText("Saved.").waitFor();
    await expect.poll(() => staffPage.page.getByTestId("available-LEATHER-BELT-95").innerText()).toBe("2");
    await expectAccessible(staffPage.page);
    await screenshot(staffPage.page, "journey-6-console-inventory");

    await expect
      .poll(() => shopper.page.getByTestId("availability").innerText(), { timeout: 15_000, interval: 500 })
      .toMatch(/Only 2 left/);
    await screenshot(shopper.page, "journey-6-storefront-availability");
    assertClean(staffPage);
    assertClean(shopper);
    await staffPage.context.close();
    await shopper.context.close();
  });

  it("7: the metrics page draws p50/p95/p99 per route over time with data", async () => {
    for (let index = 0; index < 5; index++) await request("/v1/products?limit=5");
    const watched = await openPage(browser);
    await signInToConsole(watched.page, ADMIN.email, ADMIN.password, "/admin/metrics");
    const charts = watched.page.getByTestId("latency-charts");
    await charts.locator("svg[data-chart=line]").first().waitFor();
    // two samples or more: a line over time, not a single dot
    await expect
      .poll(() => charts.locator("svg[data-chart=line]").first().locator("circle").count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(6);
    expect(await charts.locator("svg[data-chart=line]").count()).toBeGreaterThan(0);
    await expectAccessible(watched.page);
    await screenshot(watched.page, "journey-7-metrics");
    assertClean(watched);
    await watched.context.close();
  });

  it("7b: the metrics page charts dependency shares and SLO burn", async () => {
    await request("/v1/products?limit=5");
    const watched = await openPage(browser);
    await signInToConsole(watched.page, ADMIN.email, ADMIN.password, "/admin/metrics");
    await watched.page.getByTestId("latency-charts").waitFor();
    await expect.poll(() => watched.page.locator("svg[data-chart=bar]").count(), { timeout: 20_000 }).toBe(2);
    await screenshot(watched.page, "journey-7b-dependencies-slo");
    await watched.context.close();
  });

  it("staff move an order through its states from the order page", async () => {
    const watched = await staffOnNewOrder();
    await expect.poll(() => watched.page.getByTestId("order-status").innerText()).toBe("Paid");
    await watched.page.getByRole("button", { name: "Mark fulfilled" }).click();
    await expect.poll(() => watched.page.getByTestId("order-status").innerText()).toBe("Fulfilled");
    await expectAccessible(watched.page);
    assertClean(watched);
    await watched.context.close();
  });

  it("staff fulfill an order with tracking and refund part of it", async () => {
    const watched = await staffOnNewOrder();
    const fulfill = watched.page.getByRole("form", { name: "Fulfill with tracking" });
    await fulfill.getByLabel("Carrier").fill("DHL");
    await fulfill.getByLabel("Tracking number").fill("TRACK-123456");
    await fulfill.getByRole("button", { name: "Add fulfillment" }).click();
    await watched.page
      .getByText(/TRACK-123456/)
      .first()
      .waitFor();
    await expect.poll(() => watched.page.getByTestId("order-status").innerText()).toBe("Shipped");
    const refund = watched.page.getByRole("form", { name: "Refund" });
    await refund.getByLabel(/Amount/).fill("1.00");
    await refund.getByLabel("Reason").fill("damaged box");
    await refund.getByRole("button", { name: "Refund" }).click();
    await watched.page
      .getByText(/damaged box/)
      .first()
      .waitFor();
    await expectAccessible(watched.page);
    await screenshot(watched.page, "console-fulfill-refund");
    await watched.context.close();
  });

  it("hides what a role cannot use: staff see no jobs or emails, admins do, customers get no console", async () => {
    const staff = await staffUser();
    const customer = await register("customer");
    const watched = await openPage(browser);
    await signInToConsole(watched.page, staff.email, staff.password);
    const nav = watched.page.getByRole("navigation", { name: "Console" });
    expect(await nav.getByRole("link").allInnerTexts()).toEqual([
      "Orders",
      "Inventory",
      "Products",
      "Discounts",
      "Metrics",
    ]);
    await watched.page.goto("/admin/jobs");
    await watched.page.getByText("Your role (staff) cannot use failed jobs.").waitFor();
    await watched.page.getByRole("button", { name: "Sign out" }).click();
    await signInToConsole(watched.page, ADMIN.email, ADMIN.password);
    expect(await nav.getByRole("link").allInnerTexts()).toContain("Failed jobs");
    await watched.page.getByRole("button", { name: "Sign out" }).click();
    const form = watched.page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(customer.email);
    await form.getByLabel("Password").fill(customer.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await watched.page.getByText("the console is for staff and admins").waitFor();
    assertClean(watched);
    await watched.context.close();
  });
});
