/**
 * The merchant editing the shop while it sells: prices, texts, discount codes (a fresh one-use code
 * every ONE_USE_CODE_EVERY_MS), tax rates and the stock of some SKUs. Each stock set is journalled
 * with its window and repeated until it gets a clear answer, since the stock invariant stands on the
 * last set. docs/checkout.md, "The HTTP chaos run", the actors.
 */
import { sleep, type Client } from "../client";
import { HOSTILE_STRINGS, ONE_USE_CODE_EVERY_MS, STAFF_IP, storable } from "../plan";
import type { Prng } from "../prng";
import type { TaxRule } from "../shapes";
import type { ChaosSku, World } from "../world";

const PATCHED_DESTINATIONS = [
  ["ES", null],
  ["DE", null],
  ["FR", null],
  ["PT", null],
  ["US", "CA"],
  ["US", "NY"],
] as const;

export async function runMerchant(world: World, prng: Prng): Promise<void> {
  const staff = world.client("merchant", STAFF_IP);
  const rules = world.taxRules.filter((rule) =>
    PATCHED_DESTINATIONS.some(([country, region]) => rule.country === country && rule.region === region),
  );
  const codes: string[] = [];
  let japan: string | undefined;
  let round = 0;
  const started = Date.now();
  let nextOneUse = started;
  while (Date.now() < world.deadline) {
    if (Date.now() >= nextOneUse) {
      nextOneUse += ONE_USE_CODE_EVERY_MS;
      await oneUseCode(world, staff, prng, round);
    }
    const action = prng.weighted([
      ["stock", 3],
      ["price", 2],
      ["product", 1],
      ["discount", 2],
      ["tax", 2],
      ["read", 1],
    ] as const);
    const token = world.staffToken;
    // stock sets stop before the last quarter of the load, so every SKU ends with a stretch of sales
    // and restocks that the stock invariant counts exactly (invariants/stock.ts)
    const setsAllowed = Date.now() < world.deadline - (world.deadline - started) / 4;
    if (action === "stock" && setsAllowed)
      await setStock(world, staff, prng, prng.pick(world.skus.filter((sku) => sku.settable)));
    else if (action === "price") await setPrice(staff, prng, prng.pick(world.skus), token);
    else if (action === "product") {
      const text = prng.chance(0.5)
        ? { title: `Chaos ${storable(prng.pick(HOSTILE_STRINGS))}` }
        : { description: prng.pick(HOSTILE_STRINGS).repeat(prng.int(1, 200)).slice(0, 5000) };
      await staff.send(`/v1/admin/products/${prng.pick(world.skus).productId}`, { method: "PATCH", json: text, token });
    } else if (action === "discount") {
      if (codes.length === 0 || prng.chance(0.3)) {
        const code = `CHAOS${world.seed % 100_000}X${round}`;
        const body = prng.chance(0.6)
          ? {
              code,
              type: "percentage",
              value: prng.int(5, 40),
              ...(prng.chance(0.4) ? { usageLimit: prng.int(1, 3) } : {}),
            }
          : { code, type: "fixed", value: prng.int(100, 1500), currency: "EUR", minSubtotal: prng.int(0, 5000) };
        const created = await staff.send("/v1/admin/discounts", {
          method: "POST",
          json: body,
          token,
          key: `chaos-${world.seed}-merchant-${round}`,
        });
        if (created.status === 201) {
          codes.push(code);
          world.discountCodes.push(code);
        }
      } else {
        const code = prng.pick([...codes, "WELCOME10"]);
        const patch = prng.pick([
          { value: prng.int(5, 45) },
          { active: prng.chance(0.5) },
          { usageLimit: prng.int(1, 5) },
          { minSubtotal: prng.int(0, 20000) },
        ]);
        await staff.send(`/v1/admin/discounts/${code}`, { method: "PATCH", json: patch, token });
      }
    } else if (action === "tax") {
      if (prng.chance(0.2)) japan = await toggleJapan(staff, world, prng, japan);
      else if (rules.length > 0)
        await staff.send(`/v1/admin/tax-rules/${prng.pick(rules).id}`, {
          method: "PATCH",
          json: { rateBasisPoints: prng.int(0, 2500) },
          token,
        });
    } else {
      await staff.send(
        prng.pick([
          "/v1/admin/orders?status=paid&limit=20",
          "/v1/admin/payments/mismatches",
          "/v1/admin/metrics",
          "/v1/admin/discounts",
        ]),
        { token },
      );
    }
    round += 1;
    await sleep(prng.int(100, 500));
  }
}

/** A fresh code with a single use, in any currency: the buyers who apply it race for that use. */
async function oneUseCode(world: World, staff: Client, prng: Prng, round: number): Promise<void> {
  const code = `CHAOS${world.seed % 100_000}ONE${round}`;
  const body = { code, type: "percentage", value: prng.int(20, 50), usageLimit: 1 };
  const created = await staff.send("/v1/admin/discounts", {
    method: "POST",
    json: body,
    token: world.staffToken,
    key: `chaos-${world.seed}-merchant-one-${round}`,
  });
  if (created.status === 201) world.oneUseCode = code;
}

async function setStock(world: World, staff: Client, prng: Prng, sku: ChaosSku): Promise<void> {
  // now and then empty (out-of-stock answers), mostly enough to keep selling
  const onHand = prng.weighted([
    [prng.int(0, 3), 1],
    [prng.int(4, 15), 2],
    [prng.int(16, 40), 3],
  ] as const);
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const answer = await staff.send(`/v1/admin/inventory/${encodeURIComponent(sku.sku)}`, {
      method: "PUT",
      json: { onHand },
      token: world.staffToken,
    });
    const outcome =
      answer.status === 200 ? "applied" : answer.status === 0 || answer.status >= 500 ? "unknown" : "refused";
    world.journal.set(sku.sku, { value: onHand, window: { start: answer.startedAt, end: answer.endedAt }, outcome });
    if (outcome !== "unknown" && answer.status !== 429) return;
    await sleep(500);
  }
}

async function setPrice(staff: Client, prng: Prng, sku: ChaosSku, token: string): Promise<void> {
  const { variant } = sku;
  // ±30 % around the seeded price, never under the 50-cent minimum charge
  const prices = variant.prices.map((price) => ({
    currency: price.currency,
    amount: Math.max(100, Math.round(price.amount * (0.7 + prng.next() * 0.6))),
  }));
  await staff.send(`/v1/admin/products/${sku.productId}/variants/${encodeURIComponent(sku.sku)}`, {
    method: "PUT",
    token,
    json: {
      title: variant.title,
      options: variant.options,
      weightGrams: variant.weightGrams,
      position: variant.position,
      status: "active",
      prices,
    },
  });
}

/** Adds a tax rule for Japan (buyers shipping there become taxable) or removes it again. */
async function toggleJapan(
  staff: Client,
  world: World,
  prng: Prng,
  id: string | undefined,
): Promise<string | undefined> {
  if (id) {
    const removed = await staff.send(`/v1/admin/tax-rules/${id}`, { method: "DELETE", token: world.staffToken });
    return removed.status === 204 || removed.status === 404 ? undefined : id;
  }
  const created = await staff.send("/v1/admin/tax-rules", {
    method: "POST",
    json: { country: "JP", name: "Consumption tax", rateBasisPoints: prng.pick([800, 1000]), inclusive: true },
    token: world.staffToken,
  });
  return created.status === 201 ? (created.body as TaxRule).id : undefined;
}
