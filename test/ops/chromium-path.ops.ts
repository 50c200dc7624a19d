import { describe, expect, it } from "vitest";
import { chromiumPath } from "../../scripts/lib/chromium.mjs";

/** A file system that has exactly these paths. */
const having =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const CANDIDATES = ["/usr/bin/chromium", "/home/dev/.cache/ms-playwright/chromium-1/chrome-linux/chrome"];

describe("the browser tests' Chromium", () => {
  it("is CHROMIUM_PATH when set, then Debian's, then Playwright's cache", () => {
    expect(chromiumPath({ CHROMIUM_PATH: "/opt/chrome" }, having("/opt/chrome", ...CANDIDATES), CANDIDATES)).toBe(
      "/opt/chrome",
    );
    expect(chromiumPath({}, having(...CANDIDATES), CANDIDATES)).toBe("/usr/bin/chromium");
    expect(chromiumPath({}, having(CANDIDATES[1] as string), CANDIDATES)).toBe(CANDIDATES[1]);
  });

  it("says what is wrong with a CHROMIUM_PATH that does not exist, rather than looking elsewhere", () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: "/nope" }, having(...CANDIDATES), CANDIDATES)).toThrow(
      /CHROMIUM_PATH=\/nope does not exist/,
    );
  });

  it("fails with the one command that installs one: apt where there is apt, else Playwright's", () => {
    expect(() => chromiumPath({}, having("/usr/bin/apt-get"), CANDIDATES)).toThrow(
      /Install one: sudo apt-get install -y chromium$/,
    );
    expect(() => chromiumPath({}, having(), CANDIDATES)).toThrow(/Install one: npx playwright install chromium$/);
  });
});
