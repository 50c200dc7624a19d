/**
 * `X-Request-Id`: an inbound one is kept when it is well-formed (word characters, `-` and `=`, at
 * most REQUEST_ID_MAX_LENGTH), else a new one is made. The app applies the rule through Hono's
 * requestId middleware (same pattern); the Worker entry's last resort through `requestIdOf`.
 */
export const REQUEST_ID_HEADER = "X-Request-Id";
export const REQUEST_ID_MAX_LENGTH = 128;

export function requestIdOf(inbound: string | null | undefined): string {
  return inbound && inbound.length <= REQUEST_ID_MAX_LENGTH && !/[^\w\-=]/.test(inbound)
    ? inbound
    : crypto.randomUUID();
}
