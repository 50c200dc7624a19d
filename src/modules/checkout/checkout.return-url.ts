/**
 * Where the provider may send a buyer back after authenticating. Only to the shop's own
 * pages: an origin in CORS_ORIGINS or PUBLIC_BASE_URL's, over https (or http on localhost), with
 * no credentials in it — anything else would make Motor an open redirect for a link it hands out.
 */
import type { Config } from "../../env";
import { UnprocessableError } from "../../platform/errors";

function allowedOrigins(config: Pick<Config, "CORS_ORIGINS" | "PUBLIC_BASE_URL">): Set<string> {
  return new Set(
    [...config.CORS_ORIGINS, config.PUBLIC_BASE_URL].flatMap((value) => {
      try {
        return [new URL(value).origin];
      } catch {
        return [];
      }
    }),
  );
}

const isLocal = (url: URL) => url.hostname === "localhost" || url.hostname === "127.0.0.1";

/** The URL as sent when it is allowed; a 422 naming `returnUrl` otherwise. */
export function allowedReturnUrl(value: string, config: Pick<Config, "CORS_ORIGINS" | "PUBLIC_BASE_URL">): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const safe =
    url &&
    (url.protocol === "https:" || (url.protocol === "http:" && isLocal(url))) &&
    !url.username &&
    !url.password &&
    allowedOrigins(config).has(url.origin);
  if (!safe) {
    throw new UnprocessableError({
      detail: "returnUrl must be a page of this shop: an origin in CORS_ORIGINS or PUBLIC_BASE_URL's, over https",
      errors: [{ path: "body.returnUrl", message: "not an allowed origin" }],
    });
  }
  return value;
}
