/** Steps of the storefront journeys, as a shopper does them: through labels, roles and visible text. */
import type { Page } from "playwright-core";

export const uniqueEmail = (name: string) => `${name}-${crypto.randomUUID()}@example.test`;

/** Opens a product page and adds one unit of the variant whose option reads `option`. */
export async function addVariant(page: Page, slug: string, option: RegExp) {
  await page.goto(`/products/${slug}`);
  await page.getByRole("radio", { name: option }).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart").waitFor();
}

export async function fillAddress(page: Page, email: string) {
  if (!page.url().endsWith("/cart")) await page.goto("/cart");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Country").selectOption("ES");
  await page.getByLabel("Address").fill("Calle Mayor 1");
  await page.getByLabel("Postal code").fill("28013");
  await page.getByLabel("City").fill("Madrid");
  await page.getByRole("button", { name: "Save address" }).click();
  await page.getByText("Address saved").waitFor();
}

export async function payWith(page: Page, card: RegExp) {
  await page.getByRole("link", { name: "Go to checkout" }).click();
  await page.getByRole("heading", { name: "Checkout" }).waitFor();
  await page.getByRole("radio", { name: card }).check();
}

export const total = (page: Page) => page.getByTestId("total").innerText();

/** A guest with one item, a delivery address and the card chosen on the checkout page; returns the email. */
export async function guestAtCheckout(page: Page, slug: string, option: RegExp, card: RegExp): Promise<string> {
  await addVariant(page, slug, option);
  const email = uniqueEmail(slug);
  await fillAddress(page, email);
  await payWith(page, card);
  return email;
}

/** Presses Pay now with a 3-D Secure card and answers on the test bank's page (the provider's, not ours). */
export async function payAtBank(page: Page, choice: "Complete" | "Fail") {
  await page.getByRole("button", { name: "Pay now" }).click();
  await page.getByRole("heading", { name: "Test bank" }).waitFor();
  await page.getByRole("button", { name: choice }).click();
}
