/**
 * Content Security Policies of the HTML answers. The storefront and the console are built bundles
 * served from our own origin, so their policy allows our origin and nothing else: no inline script,
 * no eval, no framing. /docs renders Scalar's page, whose one inline script (the init call the
 * integration writes) is allowed by a per-request nonce; its bundle comes from our own assets.
 */
const COMMON = [
  "default-src 'none'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

export const PAGE_CSP = [...COMMON, "script-src 'self'", "style-src 'self'"].join("; ");

/** Scalar injects its stylesheet at run time, so /docs allows inline styles — never inline scripts. */
export function docsCsp(nonce: string): string {
  return [...COMMON, `script-src 'self' 'nonce-${nonce}'`, "style-src 'self' 'unsafe-inline'"].join("; ");
}
