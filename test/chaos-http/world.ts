/**
 * Everything the actors share: the server, the judge (Recorder), the facts (Journal), the staff
 * session, the SKUs of the run with their starting stock, and the clock of the run. Built by
 * `prepareWorld` from the live server: the catalog is read first, so the run trades in whatever the
 * seed put there rather than in names hard-coded here.
 */
import { readFileSync } from "node:fs";
import { Client, retryAfterMs, sleep, type Answer, type Call } from "./client";
import { Journal } from "./journal";
import { COMMON_SKUS, DRAIN_MS, SCARCE_SKUS, STAFF_IP } from "./plan";
import type { Prng } from "./prng";
import { allPages, readLedger, readOrders, readStock } from "./readback";
import { Recorder } from "./recorder";
import type { AdminProduct, AdminVariant, CatalogProduct, TaxRule } from "./shapes";

export interface ChaosSku {
  sku: string;
  productId: string;
  slug: string;
  scarce: boolean;
  /** Whether the merchant actor may set its stock; the others keep an exact stock invariant. */
  settable: boolean;
  variant: AdminVariant;
}

export interface World {
  baseUrl: string;
  seed: number;
  recorder: Recorder;
  journal: Journal;
  staffToken: string;
  skus: ChaosSku[];
  startOnHand: Map<string, number>;
  /** SKUs outside the run's set, for hostile requests that must never touch counted stock. */
  otherSku: string;
  taxRules: TaxRule[];
  /** Codes buyers try; the merchant actor adds its own. */
  discountCodes: string[];
  /** The merchant's latest code with a single use, which buyers race for (plan.ts ONE_USE_CODE_EVERY_MS). */
  oneUseCode?: string;
  /** TEST_PAYMENT_WEBHOOK_SECRET of the served Worker: the webhook actor signs with it. */
  webhookSecret: string;
  existingOrders: Set<string>;
  /** Ledger entries made before the run (none on a fresh server), left out of the money invariants. */
  existingLedger: Set<string>;
  /** End of the load phase: no new flows after it. */
  deadline: number;
  /** After it, flows under way stop retrying. */
  hardStop: number;
  client(actor: string, ip: string): Client;
}

/**
 * The test provider's webhook secret from the .dev.vars that `wrangler dev` serves (global-setup.ts
 * ensures it); values are single- or double-quoted (scripts/dev-secrets.mjs), as the
 * docs/payments.md recipe reads them.
 */
function webhookSecret(): string {
  const line = readFileSync(new URL("../../.dev.vars", import.meta.url), "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("TEST_PAYMENT_WEBHOOK_SECRET="));
  const secret = line?.slice(line.indexOf("=") + 1).replace(/^(['"])(.*)\1$/, "$2");
  if (!secret) throw new Error(".dev.vars has no TEST_PAYMENT_WEBHOOK_SECRET: the webhook actor cannot sign");
  return secret;
}

const ADMIN = { email: "admin@motor.local", password: "motor-admin-local" };

/** The served document, fetched until it is there (dist/web may be rebuilt by another run meanwhile). */
async function servedDocument(baseUrl: string): Promise<unknown> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/openapi.json`);
      if (response.ok) return await response.json();
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl}/openapi.json did not answer 200 within 60 s`);
    await sleep(1_000);
  }
}

/** A staff or setup request, repeated while it answers "later" (429, 503 + Retry-After) or nothing. */
export async function persist(client: Client, path: string, call: Call, attempts = 6): Promise<Answer> {
  let answer = await client.send(path, call);
  for (
    let attempt = 1;
    attempt < attempts && (answer.status === 0 || answer.status === 429 || answer.status >= 500);
    attempt += 1
  ) {
    await sleep(retryAfterMs(answer, 500, 3_000));
    answer = await client.send(path, call);
  }
  return answer;
}

export async function staffLogin(client: Client): Promise<string> {
  const login = await persist(client, "/v1/auth/login", { method: "POST", json: ADMIN });
  if (login.status !== 200)
    throw new Error(`the local admin cannot log in: ${login.status} ${login.text.slice(0, 200)}`);
  return (login.body as { accessToken: string }).accessToken;
}

export async function prepareWorld(baseUrl: string, seed: number, prng: Prng, seconds: number): Promise<World> {
  const recorder = new Recorder(await servedDocument(baseUrl));
  const journal = new Journal();
  const client = (actor: string, ip: string) => new Client(baseUrl, recorder, actor, ip);
  const setup = client("setup", STAFF_IP);
  const staffToken = await staffLogin(setup);

  const catalog = await allPages<CatalogProduct>(setup, "/v1/products");
  const adminProducts = await allPages<AdminProduct>(setup, "/v1/admin/products", staffToken);
  const variants = new Map(
    adminProducts.flatMap((product) =>
      product.variants.map((variant) => [variant.sku, { productId: product.id, variant }] as const),
    ),
  );
  const sellable = catalog.flatMap((product) =>
    product.variants
      .filter((variant) => variant.available > 0 && variants.has(variant.sku))
      .map((variant) => ({
        sku: variant.sku,
        productId: product.id,
        slug: product.slug,
        available: variant.available,
      })),
  );
  const scarce = prng.sample(
    sellable.filter((entry) => entry.available <= 5),
    SCARCE_SKUS,
  );
  const common = prng.sample(
    sellable.filter((entry) => entry.available >= 20),
    COMMON_SKUS,
  );
  if (scarce.length + common.length < 4)
    throw new Error(`the seeded catalog offers too few SKUs to trade in (${sellable.length} sellable)`);
  // the scarce SKUs need restocking to keep selling; half of the common ones are never set
  const skus = [...scarce, ...common].map((entry, n) => ({
    sku: entry.sku,
    productId: entry.productId,
    slug: entry.slug,
    scarce: entry.available <= 5,
    settable: n < scarce.length + common.length / 2,
    variant: variants.get(entry.sku)!.variant,
  }));
  const chosen = new Set(skus.map((entry) => entry.sku));
  const otherSku = sellable.find((entry) => !chosen.has(entry.sku))?.sku ?? "NO-SUCH-SKU";

  const startOnHand = new Map<string, number>();
  for (const { sku } of skus) {
    const level = await readStock(setup, staffToken, sku);
    if (level.reserved !== 0) throw new Error(`${sku} starts with ${level.reserved} reserved: the server is not fresh`);
    startOnHand.set(sku, level.onHand);
  }
  const taxRules = await allPages<TaxRule>(setup, "/v1/admin/tax-rules", staffToken);
  const existingOrders = new Set((await readOrders(setup, staffToken)).map((order) => order.id));
  const existingLedger = new Set((await readLedger(setup, staffToken)).map((entry) => entry.id));

  const deadline = Date.now() + seconds * 1000;
  return {
    baseUrl,
    seed,
    recorder,
    journal,
    staffToken,
    skus,
    startOnHand,
    otherSku,
    taxRules,
    existingOrders,
    existingLedger,
    discountCodes: ["WELCOME10", "SAVE5", "SAVE5USD", "FIRST100", "NOSUCHCODE"],
    webhookSecret: webhookSecret(),
    deadline,
    hardStop: deadline + DRAIN_MS,
    client,
  };
}
