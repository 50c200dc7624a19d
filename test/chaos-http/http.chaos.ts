/**
 * The chaos run over real HTTP (issues 21 and 22): 15 concurrent actors against one `wrangler dev`
 * for CHAOS_HTTP_SECONDS (default 75) — ten buyers on four shared IPs paying with every test token
 * (several tabs on one cart now and then, a second tab editing the cart while its checkout runs),
 * each naming the total it agreed to (If-Match with the cart's ETag, `expectedTotal`, or, as a v1
 * client, nothing); two racers firing cancels, transitions, refunds and fulfillments at the same
 * orders; a merchant editing prices, codes (a fresh one-use code every few seconds), tax rates and
 * stock; the payment provider sending signed events late, twice and early (actors/webhooks.ts);
 * and a hostile client — then quiescence and the verdict:
 * - no unexpected 5xx (a 503 with Retry-After is a documented answer; a 500 never is);
 * - every answer is a problem or the documented success shape (the served OpenAPI document);
 * - the money invariants against the test provider's ledger (invariants/money.ts);
 * - the stock invariant and no hold left but those of stuck checkouts (invariants/stock.ts);
 * - the buyer's consent: every order and charge at the total its key agreed to, nothing charged
 *   for a 409 price-changed (invariants/consent.ts, finding 6);
 * - late payment events: no paid order cancelled or refunded by one, a failure after a success
 *   flagged as a mismatch, each event applied once (invariants/webhooks.ts, finding 7);
 * - the cart lock: every order holds the lines of its cart's last accepted write, and no write is
 *   accepted once the checkout is live or done (invariants/cart-lock.ts, finding 8).
 * Every choice comes from CHAOS_SEED (printed first, and in any failure): set it to replay a run.
 */
import { inject, it } from "vitest";
import { runBuyer, type Buyer } from "./actors/buyer";
import { runHostile } from "./actors/hostile";
import { runMerchant } from "./actors/merchant";
import { runRacer } from "./actors/racer";
import { runWebhooks } from "./actors/webhooks";
import { BUYER_IPS, loadSeconds, RACERS, registered } from "./plan";
import { chaosSeed, Prng } from "./prng";
import { runCron } from "./quiesce";
import { judge } from "./verdict";
import { persist, prepareWorld, type World } from "./world";

it(
  "survives chaos over HTTP: no unexpected 5xx, every answer documented, money and stock add up, consent, late events and the cart lock hold",
  { timeout: 420_000 },
  async () => {
    const seed = chaosSeed();
    const seconds = loadSeconds();
    console.log(`CHAOS_HTTP seed=${seed} seconds=${seconds} (replay: CHAOS_SEED=${seed} npm run test:chaos)`);
    const root = new Prng(seed);
    const world = await prepareWorld(inject("chaosBaseUrl"), seed, root.fork("setup"), seconds);
    const buyers = await registerBuyers(world, root);
    const started = Date.now();
    const cronFailures: string[] = [];

    // an actor that throws is a finding, not the end of the run: the others finish and the verdict still comes
    const crashes: string[] = [];
    const guard = (name: string, run: Promise<void>) =>
      run.catch(
        (error: unknown) =>
          void crashes.push(`${name} crashed: ${error instanceof Error ? error.stack : String(error)}`),
      );
    await Promise.all([
      ...buyers.map((buyer) => guard(buyer.name, runBuyer(world, buyer))),
      ...Array.from({ length: RACERS }, (_, n) =>
        guard(`racer${n}`, runRacer(world, `racer${n}`, root.fork(`racer${n}`))),
      ),
      guard("merchant", runMerchant(world, root.fork("merchant"))),
      guard("provider", runWebhooks(world, root.fork("provider"))),
      guard(
        "hostile",
        runHostile(world, root.fork("hostile"), buyers.find((buyer) => buyer.owner)?.owner?.token ?? ""),
      ),
      guard("cron", runCron(world, cronFailures)),
    ]);
    const loadMs = Date.now() - started;

    const { summary, findings } = await judge(world, loadMs, cronFailures, crashes);
    console.log(summary);
    if (process.env.CHAOS_HTTP_VERBOSE) console.log(world.recorder.table().join("\n"));
    if (findings.length > 0)
      throw new Error(
        `chaos run failed (seed ${seed}; replay with CHAOS_SEED=${seed}):\n${summary}\n${findings.join("\n")}`,
      );
  },
);

/** Ten buyers; every other one with an account, registered from its own IP (the auth limit is per IP). */
async function registerBuyers(world: World, root: Prng): Promise<Buyer[]> {
  return Promise.all(
    BUYER_IPS.map(async (ip, n) => {
      const name = `buyer${n}`;
      const client = world.client(name, ip);
      const email = `chaos-${world.seed}-${name}@example.test`;
      const buyer: Buyer = { name, client, prng: root.fork(name), email };
      if (registered(n)) {
        const answer = await persist(client, "/v1/auth/register", {
          method: "POST",
          json: { email, password: `chaos passphrase ${world.seed}`, name: `Chaos ${name}` },
        });
        if (answer.status !== 201)
          throw new Error(`${name} could not register: ${answer.status} ${answer.text.slice(0, 200)}`);
        buyer.owner = { token: (answer.body as { accessToken: string }).accessToken, ip };
      }
      return buyer;
    }),
  );
}
