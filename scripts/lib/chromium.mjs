// The Chromium of the browser tests and the storefront benchmark, found in this order: CHROMIUM_PATH,
// Debian's (`/usr/bin/chromium`, what CI installs), then Playwright's own cache (a laptop that ran
// `npx playwright install chromium`). Headless, with every background feature that would call home
// turned off, so a run makes no request outside the machine.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Where Playwright installs its Chromium; playwright-core knows the path even when nothing is there. */
function playwrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** The first Chromium that exists, or an error that names the one command installing one here. */
export function chromiumPath(
  env = process.env,
  exists = existsSync,
  candidates = [DEBIAN_CHROMIUM, playwrightChromium()],
) {
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist: point it at a Chromium binary, or unset it`);
  }
  const found = candidates.find((path) => path && exists(path));
  if (found) return found;
  const install = exists("/usr/bin/apt-get") ? "sudo apt-get install -y chromium" : "npx playwright install chromium";
  throw new Error(
    `No Chromium for the browser tests (looked at CHROMIUM_PATH, ${candidates.filter(Boolean).join(", ")}). Install one: ${install}`,
  );
}

export function launchChromium() {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: chromiumPath(),
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
