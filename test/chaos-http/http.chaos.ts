/**
 * The chaos run over real HTTP: concurrent actors (buyers, racers, the merchant, the payment
 * provider's late and repeated events, a hostile client) against one `wrangler dev` for
 * loadSeconds(), then quiescence and the verdict (verdict.ts). Every choice comes from CHAOS_SEED,
 * printed first and in any failure: set it to replay a run. The actors and each invariant:
 * docs/checkout.md, "The HTTP chaos run".
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
  "survives chaos over HTTP: no unexpected 5xx, answers as documented, money, stock, consent, late events and cart lock hold",
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
