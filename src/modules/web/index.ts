/**
 * Browser pages served by the same Worker: the storefront at `/` (with its client-side paths and the
 * password-reset page the reset email links to), the operations console at `/admin`, and the API
 * reference at `/docs`, whose Scalar bundle is one of our own static assets (it works offline).
 */
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppBindings } from "../../platform/context";
import { newSecret } from "../../platform/ids";
import { docsCsp } from "./web.csp";
import { servePage } from "./web.pages";

/** Copied from @scalar/api-reference by scripts/build-web.mjs. */
export const SCALAR_BUNDLE_PATH = "/assets/vendor/scalar-api-reference.js";

/** Client-side paths of the storefront: each answers with the same shell, the app routes in the browser. */
const STORE_PATHS = [
  "/",
  "/products/:slug",
  "/cart",
  "/checkout",
  "/orders",
  "/orders/:id",
  "/account",
  "/reset-password",
];

const storePage = servePage("store");
const consolePage = servePage("console");

export const webRouter = new Hono<AppBindings>();
for (const path of STORE_PATHS) webRouter.get(path, storePage);
webRouter.get("/admin", consolePage);
webRouter.get("/admin/*", consolePage);
webRouter.get(
  "/docs",
  Scalar((c) => {
    const nonce = newSecret(16); // 128 random bits, fresh per answer
    c.header("Content-Security-Policy", docsCsp(nonce));
    c.header("Cache-Control", "no-cache");
    // Nothing from another origin: the default fonts come from Scalar's CDN, and its AI agent
    // calls Scalar's proxy — both off, so the page works offline and under connect-src 'self'.
    return {
      url: "/openapi.json",
      pageTitle: "Motor API reference",
      cdn: SCALAR_BUNDLE_PATH,
      nonce,
      withDefaultFonts: false,
      agent: { disabled: true },
    };
  }),
);
