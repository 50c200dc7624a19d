/**
 * Pages for the browser tests, in the Chromium of scripts/lib/chromium.mjs (Debian's, headless,
 * offline). Each page records what must never happen — a CSP violation, an uncaught error, a
 * request to another origin — and `assertClean` fails the test on any of them.
 */
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { baseUrl } from "../e2e/http";

export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "browser");
export { launchChromium };

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations, uncaught errors and requests to other origins seen so far. */
  problems: string[];
}

export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const origin = new URL(baseUrl()).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`CSP: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return { page, context, problems };
}

export function assertClean(watched: WatchedPage) {
  expect(watched.problems).toEqual([]);
}

/** axe-core: no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  expect(
    bad.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    ),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
