// The hostile request set: malformed, mistyped, oversized, injected, forged and misrouted requests.
// The e2e suite sends it to `wrangler dev` (hostile.e2e.ts, each answer also checked against the
// OpenAPI document), and the DAST smoke (`npm run dast`) sends it to the built Worker bundle.
// Every answer must be a 4xx problem+json (or, where marked, a plain success), never a 5xx, never
// echo a stack trace or SQL, and always carry the security headers.

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const unsignedToken = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "usr_local_admin", role: "admin", exp: 4102444800 })}.`;
const forgedClaims = {
  sub: "usr_local_admin",
  role: "admin",
  iss: "https://motor.local",
  aud: "motor-api",
  exp: 4102444800,
};
const forgedToken = `${b64url({ alg: "ES256", kid: "motor-1", typ: "JWT" })}.${b64url(forgedClaims)}.${"A".repeat(86)}`;
const json = { "Content-Type": "application/json" };

/**
 * @type {{ name: string, method?: string, path: string, headers?: Record<string,string>, body?: string,
 *   status?: number, below500?: boolean }[]}
 */
export const HOSTILE_REQUESTS = [
  { name: "unknown route", path: "/v1/nope", status: 404 },
  { name: "method on a read-only route", method: "DELETE", path: "/v1/products", status: 404 },
  {
    name: "text body",
    method: "POST",
    path: "/health",
    headers: { "Content-Type": "text/plain" },
    body: "hello",
    status: 415,
  },
  {
    name: "2 MiB body",
    method: "POST",
    path: "/health",
    headers: json,
    body: "x".repeat(2 * 1024 * 1024),
    status: 413,
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: "/v1/auth/login",
    headers: json,
    body: '{"email": "a@b.c", ',
    status: 400,
  },
  {
    name: "binary garbage as JSON",
    method: "POST",
    path: "/v1/auth/login",
    headers: json,
    body: "\u0000\u00ff\u0001\u00fe",
    status: 400,
  },
  {
    name: "wrong types",
    method: "POST",
    path: "/v1/auth/login",
    headers: json,
    body: JSON.stringify({ email: 123, password: ["x"] }),
    status: 400,
  },
  {
    name: "mass assignment of a role",
    method: "POST",
    path: "/v1/auth/register",
    headers: json,
    body: JSON.stringify({ email: "dast@example.test", password: "a long dast passphrase", name: "D", role: "admin" }),
    status: 400,
  },
  {
    name: "prototype pollution",
    method: "POST",
    path: "/v1/carts",
    headers: json,
    body: '{"country":"ES","__proto__":{"isAdmin":true}}',
    status: 400,
  },
  {
    name: "100 kB string field",
    method: "POST",
    path: "/v1/auth/register",
    headers: json,
    body: JSON.stringify({ email: "dast@example.test", password: "a long dast passphrase", name: "x".repeat(100_000) }),
    status: 400,
  },
  { name: "alg:none token", path: "/v1/me", headers: { Authorization: `Bearer ${unsignedToken}` }, status: 401 },
  { name: "forged ES256 token", path: "/v1/me", headers: { Authorization: `Bearer ${forgedToken}` }, status: 401 },
  { name: "garbage bearer", path: "/v1/me", headers: { Authorization: "Bearer abc.def.ghi" }, status: 401 },
  { name: "admin route without a token", path: "/v1/admin/orders", status: 401 },
  {
    name: "admin route with a forged admin token",
    path: "/v1/admin/orders",
    headers: { Authorization: `Bearer ${forgedToken}` },
    status: 401,
  },
  { name: "SQL injection in a path", path: "/v1/products/'%20OR%201=1%20--", status: 404 },
  { name: "path traversal", path: "/v1/products/..%2F..%2Fetc%2Fpasswd", status: 404 },
  { name: "NUL byte in a path", path: "/v1/products/tee%00.json", status: 404 },
  { name: "FTS5 syntax injection", path: "/v1/products?q=%22%20OR%20*%20NEAR(", below500: true },
  { name: "LIKE wildcards", path: "/v1/products?q=%25_%25", below500: true },
  { name: "3000-character search", path: `/v1/products?q=${"a".repeat(3000)}`, status: 400 },
  {
    name: "script tag and emoji in a search",
    path: `/v1/products?q=${encodeURIComponent("💥'\"<script>alert(1)</script>")}`,
    below500: true,
  },
  { name: "limit zero", path: "/v1/products?limit=0", status: 400 },
  { name: "limit not a number", path: "/v1/products?limit=abc", status: 400 },
  { name: "tampered cursor", path: "/v1/products?cursor=eyJ4Ijox", status: 400 },
  { name: "unguessable cart id guessed", path: "/v1/carts/cart_000000000000000000000", status: 404 },
  {
    name: "checkout without Idempotency-Key",
    method: "POST",
    path: "/v1/checkout",
    headers: json,
    body: JSON.stringify({ cartId: "cart_x", paymentMethod: "pm_card_visa" }),
    status: 400,
  },
  {
    name: "oversized Idempotency-Key",
    method: "POST",
    path: "/v1/checkout",
    headers: { ...json, "Idempotency-Key": "k".repeat(5000) },
    body: JSON.stringify({ cartId: "cart_x", paymentMethod: "pm_card_visa" }),
    status: 400,
  },
  {
    name: "unsigned payment webhook",
    method: "POST",
    path: "/v1/webhooks/payments/test",
    headers: json,
    body: JSON.stringify({ type: "payment.succeeded" }),
    status: 400,
  },
  {
    name: "forged payment webhook signature",
    method: "POST",
    path: "/v1/webhooks/payments/test",
    headers: { ...json, "Motor-Test-Signature": "t=1,v1=deadbeef" },
    body: JSON.stringify({ type: "payment.succeeded" }),
    status: 400,
  },
  {
    name: "unknown payment provider",
    method: "POST",
    path: "/v1/webhooks/payments/evil",
    headers: json,
    body: "{}",
    status: 404,
  },
  {
    name: "hostile X-Request-Id is replaced",
    path: "/health",
    headers: { "X-Request-Id": "<script>".padEnd(300, "x") },
    status: 200,
  },
];

const LEAKS = /\bat [\w$.<>]+ \(|D1_ERROR|SQLITE_|\bselect\b.+\bfrom\b|node_modules|\.ts:\d+/i;

/**
 * Checks one answer of the set. @returns {string[]} what is wrong (empty: fine)
 */
export function hostileAnswerProblems(hostile, { status, headers, text }) {
  const problems = [];
  const label = `${hostile.method ?? "GET"} ${hostile.path.slice(0, 60)} (${hostile.name})`;
  if (status >= 500) problems.push(`${label}: answered ${status}`);
  else if (hostile.status !== undefined && status !== hostile.status)
    problems.push(`${label}: answered ${status}, expected ${hostile.status}`);
  if (status >= 400 && status < 500 && headers.get("content-type") !== "application/problem+json")
    problems.push(`${label}: ${status} is not problem+json`);
  if (LEAKS.test(text)) problems.push(`${label}: the answer leaks internals: ${text.slice(0, 200)}`);
  if (headers.get("x-content-type-options") !== "nosniff")
    problems.push(`${label}: no X-Content-Type-Options: nosniff`);
  if (headers.get("x-powered-by")) problems.push(`${label}: X-Powered-By is set`);
  const sentId = hostile.headers?.["X-Request-Id"];
  if (sentId && headers.get("x-request-id") === sentId) problems.push(`${label}: echoed the hostile X-Request-Id`);
  return problems;
}

// wrangler dev's local proxy (miniflare's entry worker, not Motor) sometimes loses the connection
// when the Worker answers 413 before the client has sent all of an oversized body. That 500 is
// recognisable by its stack in miniflare and is retried; a 500 from Motor itself never is.
const DEV_PROXY_DROP = /Network connection lost[\s\S]*miniflare\/dist\/src\/workers\/core\/entry\.worker\.js/;

// The same proxy may instead close the socket while the oversized body is still being sent (seen
// once in a clean-clone CI run: "other side closed" after 2 MiB written); for a request whose
// expected answer is 413, that is retried too.
const droppedUpload = (hostile, error) => hostile.status === 413 && error?.cause?.code === "UND_ERR_SOCKET";

async function send(baseUrl, hostile, attempts = 3) {
  let response;
  try {
    response = await fetch(baseUrl + hostile.path, {
      method: hostile.method ?? "GET",
      headers: hostile.headers,
      body: hostile.body,
    });
  } catch (error) {
    if (droppedUpload(hostile, error) && attempts > 1) return send(baseUrl, hostile, attempts - 1);
    throw error;
  }
  const text = await response.text();
  if (response.status === 500 && DEV_PROXY_DROP.test(text) && attempts > 1) return send(baseUrl, hostile, attempts - 1);
  return { status: response.status, headers: response.headers, text };
}

/** Sends the whole set to `baseUrl`. @returns {Promise<string[]>} every problem found */
export async function runHostileSet(baseUrl) {
  const problems = [];
  for (const hostile of HOSTILE_REQUESTS)
    problems.push(...hostileAnswerProblems(hostile, await send(baseUrl, hostile)));
  return problems;
}
