/**
 * Authorise now, capture later, in the console (headless Chromium): a manual-capture order shows
 * its authorisation (nothing captured, an expiry); the first parcel captures it in full; "Capture
 * payment" takes less and releases the rest, and asking more than may be taken shows the server's
 * 422. The local server captures at checkout (PAYMENT_CAPTURE=automatic): these orders ask for
 * manual capture with the test header `Motor-Test-Capture: manual` (local and test only). What the
 * page claims is checked against the test provider's ledger.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../e2e/http";
import { ADMIN, ensureStock, login, placeOrder, staffUser } from "./api";
import { assertClean, expectAccessible, launchChromium, openPage, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
  await ensureStock("CANVAS-TOTE");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A paid order whose payment is only authorised. */
const placeManualOrder = (sku: string, quantity = 1) => placeOrder(sku, { quantity, capture: "manual" });

interface LedgerEntry {
  kind: string;
  paymentId: string;
  amount: number;
}

/** The test provider's ledger for one payment, oldest first (every page). */
async function ledgerOf(paymentId: string): Promise<{ kind: string; amount: number }[]> {
  const admin = await login(ADMIN.email, ADMIN.password);
  const entries: LedgerEntry[] = [];
  for (let cursor: string | null = ""; cursor !== null;) {
    const page = await request(
      `/v1/admin/payments/test-ledger?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token: admin },
    );
    if (page.status !== 200) throw new Error(`the test ledger answered ${page.status}`);
    entries.push(...(page.body.data as LedgerEntry[]));
    cursor = page.body.nextCursor as string | null;
  }
  return entries.filter((entry) => entry.paymentId === paymentId).map(({ kind, amount }) => ({ kind, amount }));
}

async function paymentIdOf(orderId: string): Promise<string> {
  const admin = await login(ADMIN.email, ADMIN.password);
  const { status, body } = await request(`/v1/admin/orders/${orderId}`, { token: admin });
  if (status !== 200) throw new Error(`the admin order answered ${status}`);
  const [payment] = body.payments as { paymentId: string }[];
  if (!payment) throw new Error(`order ${orderId} has no payment`);
  return payment.paymentId;
}

async function signInToConsole(page: Page, email: string, password: string, path: string) {
  await page.goto(path);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console" }).waitFor();
}

/** A staff member signed in on the page of a fresh manual-capture order. */
async function staffOnManualOrder(quantity = 1) {
  const staff = await staffUser();
  const order = await placeManualOrder("CANVAS-TOTE", quantity);
  const watched = await openPage(browser);
  await signInToConsole(watched.page, staff.email, staff.password, `/admin/orders/${order.id}`);
  await watched.page.getByRole("heading", { name: `Order ${order.id}` }).waitFor();
  return { watched, order };
}

/** Money as the console writes it (format.ts: English, the currency's symbol). */
const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).format(amount / 100);
const major = (amount: number) => (amount / 100).toFixed(2);

describe("manual capture in the console", () => {
  it("an authorised order shows nothing captured and its expiry; fulfilling it from the console captures the full amount", async () => {
    const { watched, order } = await staffOnManualOrder();
    const { page } = watched;
    const { amount: total, currency } = order.total;
    const payment = page.getByTestId("payment-section");
    await expect.poll(() => payment.getByTestId("payment-status").innerText()).toMatch(/^Authorised/);
    expect(await payment.getByTestId("payment-method").innerText()).toMatch(/^Manual capture/);
    expect(await payment.getByTestId("payment-authorized").innerText()).toBe(money(total, currency));
    expect(await payment.getByTestId("payment-captured").innerText()).toBe(money(0, currency));
    expect(await payment.getByTestId("payment-released").innerText()).toBe(money(0, currency));
    const expires = payment.getByTestId("payment-expires");
    expect(await expires.innerText()).toMatch(/\d{4}/);
    // about seven days from now (the provider's authorisation window)
    expect(Date.parse((await expires.getAttribute("datetime")) ?? "")).toBeGreaterThan(
      Date.now() + 6 * 24 * 60 * 60 * 1000,
    );
    await payment.getByRole("form", { name: "Capture payment" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "manual-capture-authorised");

    const fulfill = page.getByRole("form", { name: "Fulfill with tracking" });
    await fulfill.getByLabel("Carrier").fill("DHL");
    await fulfill.getByLabel("Tracking number").fill("CAPTURE-0001");
    await fulfill.getByRole("button", { name: "Add fulfillment" }).click();
    await page
      .getByText(/CAPTURE-0001/)
      .first()
      .waitFor();
    await expect.poll(() => page.getByTestId("order-status").innerText()).toBe("Shipped");
    await expect.poll(() => payment.getByTestId("payment-status").innerText()).toMatch(/^Captured/);
    expect(await payment.getByTestId("payment-captured").innerText()).toBe(money(total, currency));
    expect(await payment.getByTestId("payment-released").innerText()).toBe(money(0, currency));
    expect(await payment.getByTestId("payment-expires").count()).toBe(0);
    expect(await payment.getByRole("form", { name: "Capture payment" }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, "manual-capture-fulfilled");

    expect(await ledgerOf(await paymentIdOf(order.id))).toEqual([
      { kind: "authorization", amount: total },
      { kind: "capture", amount: total },
    ]);
    assertClean(watched);
    await watched.context.close();
  });

  it("staff capture less than authorised: the page shows it captured and the rest released; more than allowed shows the 422", async () => {
    const { watched, order } = await staffOnManualOrder(2);
    const { page } = watched;
    const { amount: total, currency } = order.total;
    const payment = page.getByTestId("payment-section");
    const form = payment.getByRole("form", { name: "Capture payment" });
    const amount = form.getByLabel(/Amount to capture/);

    // more than was authorised: the server's refusal in words, and nothing taken
    await amount.fill(major(total + 100));
    await form.getByRole("button", { name: "Capture payment" }).click();
    const refusal = form.getByRole("alert");
    // the server names the most that may be taken, in the order's money
    await expect
      .poll(() => refusal.innerText())
      .toContain(`At most ${(total / 100).toFixed(2)} ${currency} can be captured`);
    expect(await payment.getByTestId("payment-status").innerText()).toMatch(/^Authorised/);
    await expectAccessible(page);
    await screenshot(page, "manual-capture-refused");

    const taken = 500;
    await amount.fill(major(taken));
    await form.getByRole("button", { name: "Capture payment" }).click();
    await expect.poll(() => payment.getByTestId("payment-status").innerText()).toMatch(/^Captured/);
    expect(await payment.getByTestId("payment-captured").innerText()).toBe(money(taken, currency));
    expect(await payment.getByTestId("payment-released").innerText()).toBe(money(total - taken, currency));
    expect(await payment.getByRole("form", { name: "Capture payment" }).count()).toBe(0);
    const release = page.getByTestId("refunds").locator("li[data-kind=release]");
    expect(await release.count()).toBe(1);
    expect(await release.innerText()).toContain(money(total - taken, currency));
    expect(await release.innerText()).toContain("Released before capture");
    expect(await page.getByTestId("order-status").innerText()).toBe("Paid");
    await expectAccessible(page);
    await screenshot(page, "manual-capture-partial");

    // the page was drawn from the capture's answer; a reload from the server agrees
    await page.reload();
    await expect.poll(() => page.getByTestId("payment-captured").innerText()).toBe(money(taken, currency));
    expect(await page.getByTestId("payment-released").innerText()).toBe(money(total - taken, currency));

    expect(await ledgerOf(await paymentIdOf(order.id))).toEqual([
      { kind: "authorization", amount: total },
      { kind: "capture", amount: taken },
    ]);
    assertClean(watched);
    await watched.context.close();
  });
});
