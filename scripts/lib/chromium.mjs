// Debian's Chromium (`apt-get install chromium`; Playwright's own browser download is not reachable
// here) for the browser tests and the storefront benchmark: headless, and with every background
// feature that would call home turned off, so a run makes no request outside the machine.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium() {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...(asRoot ? ["--no-sandbox"] : []), // Chromium refuses to sandbox as root (CI runs as root)
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
