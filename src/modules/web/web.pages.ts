/**
 * The HTML pages: the storefront and the console are single-page apps whose shells are built into
 * the static assets (`npm run build:web`, see scripts/build-web.mjs). Their hashed bundles are
 * served by the asset server directly; the shells come through here so each carries its CSP.
 */
import type { Context } from "hono";
import { builtAsset } from "../../platform/assets";
import type { AppBindings } from "../../platform/context";
import { PAGE_CSP } from "./web.csp";

export type Shell = "store" | "console";

/** The shells live outside /assets/*, so only the Worker (this file) can answer with them. */
const SHELL_PATHS: Record<Shell, string> = { store: "/pages/store", console: "/pages/console" };

export function htmlHeaders(csp: string): Record<string, string> {
  // no-cache: the shell names the current bundle hashes, so it is revalidated on every visit
  return { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp, "Cache-Control": "no-cache" };
}

export function servePage(shell: Shell) {
  return async function page(c: Context<AppBindings>) {
    return c.body(
      await builtAsset(c.env, SHELL_PATHS[shell], c.req.url, `the ${shell} page shell`),
      200,
      htmlHeaders(PAGE_CSP),
    );
  };
}
