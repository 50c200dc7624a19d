// No request fails because of another (docs/isolate-state.md). This needs the real runtime over
// HTTP: the workerd test pool drives the Worker from its own runner, where every request shares
// one I/O context, so a request that awaited another's in-flight lease call never failed there —
// over `wrangler dev`, before the fix, 308 of 720 such answers were the runtime's raw-text 500.
import { describe, expect, it } from "vitest";
import { request } from "./http";

/** A new address per client, as a visitor behind a carrier NAT or an office appears. */
const addressOf = (burst: number, client: number) => `198.18.${burst}.${client + 1}`;

describe("requests that overlap on an isolate's shared state", () => {
  it("bursts from new addresses (4 clients × 30 at once: new carts with keys, product reads) all answer 2xx", async () => {
    const statuses: number[] = [];
    for (let burst = 0; burst < 3; burst++) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, (_, client) => addressOf(burst, client)).flatMap((ip) =>
          Array.from({ length: 30 }, (_, index) =>
            index % 2 === 0
              ? request("/v1/carts", {
                  method: "POST",
                  json: { currency: "EUR" },
                  headers: { "CF-Connecting-IP": ip, "Idempotency-Key": crypto.randomUUID() },
                })
              : request("/v1/products/classic-tee", { headers: { "CF-Connecting-IP": ip } }),
          ),
        ),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses.filter((status) => status < 200 || status >= 300)).toEqual([]);
    expect(statuses).toHaveLength(360);
  });
});
