/**
 * Scans everything written to the console during a full checkout (register, login, refresh, cart,
 * checkout, confirmation email job) and a password reset (request, reset email job, reset) for
 * secrets: passwords, access/refresh/reset tokens, the reset link, full emails, card numbers.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { callJson } from "../../../test/helpers/http";
import { captureLogs } from "../../../test/helpers/logs";
import { createDatabase } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import { buyerIp, readyCartOverHttp } from "../../modules/checkout/checkout.fixtures";
import { PASSWORD, registerUser, send } from "../../modules/identity/identity.fixtures";
import type { Session } from "../../modules/identity/identity.schemas";
import { newId } from "../ids";
import { handleQueueBatch } from "../../queues";
import type { JobMessage } from "../../queues/messages";
import { log } from "./log";

beforeAll(ensurePricingRules);
let logs = captureLogs();
afterEach(() => logs.restore());

const NEW_PASSWORD = "an entirely new passphrase";

/** Runs the queue consumers on this flow's events of one type, as the relay would. */
async function runJobs(type: string, email: string) {
  const rows = await createDatabase(env.DB)
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, type), eq(sql`json_extract(${outboxEvents.data}, '$.email')`, email)))
    .all();
  const bodies: JobMessage[] = rows.map(({ id, type: kind, version, occurredAt, data, traceparent }) => ({
    id,
    type: kind,
    version,
    occurredAt,
    data,
    ...(traceparent ? { traceparent } : {}),
  }));
  expect(bodies).toHaveLength(1);
  await handleQueueBatch(
    createMessageBatch<JobMessage>(
      "motor-jobs",
      bodies.map((body) => ({ id: body.id, timestamp: new Date(), attempts: 1, body })),
    ),
    env,
  );
}

describe("log redaction over real flows", () => {
  it("a full checkout and a password reset write no secret to the logs", async () => {
    logs = captureLogs();
    const { email, session } = await registerUser({ email: `shopper-${newId("usr").toLowerCase()}@example.test` });
    const login = await send<Session>("/v1/auth/login", { email, password: PASSWORD });
    expect(login.status).toBe(200);
    const refreshed = await send<Session>("/v1/auth/refresh", { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await callJson("/v1/me", { token: refreshed.body.accessToken })).status).toBe(200);

    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }], { token: refreshed.body.accessToken, email });
    const checkout = await callJson("/v1/checkout", {
      method: "POST",
      token: refreshed.body.accessToken,
      body: { cartId, paymentMethod: "pm_card_visa" },
      headers: { "Idempotency-Key": newId("idem"), "CF-Connecting-IP": buyerIp() },
    });
    expect(checkout.status).toBe(201);
    await runJobs("order.created", email);

    expect((await send("/v1/auth/password/forgot", { email })).status).toBe(202);
    await runJobs("user.password_reset_requested", email);
    // the link exists in plain text only in the email itself (the event carries a reference)
    const resetEmail = await env.DB.prepare(`SELECT text FROM emails WHERE "to" = ? AND text LIKE '%token=%'`)
      .bind(email)
      .first<{ text: string }>();
    const resetUrl = /https?:\/\/\S+token=[^\s]+/.exec(resetEmail?.text ?? "")?.[0] ?? "";
    const resetToken = new URL(resetUrl).searchParams.get("token")!;
    expect((await send("/v1/auth/password/reset", { token: resetToken, password: NEW_PASSWORD })).status).toBe(204);
    // a careless caller: secrets handed straight to the logger are caught too
    log.error("debugging a failed login", {
      email,
      password: PASSWORD,
      detail: `token ${resetToken} for ${email} via ${resetUrl}`,
      card: "4242424242424242",
    });

    const output = logs.lines.join("\n");
    const secrets = [
      PASSWORD,
      NEW_PASSWORD,
      session.accessToken,
      session.refreshToken,
      login.body.accessToken,
      login.body.refreshToken,
      refreshed.body.accessToken,
      refreshed.body.refreshToken,
      resetToken,
      resetUrl,
      encodeURIComponent(resetToken),
      email,
      "4242424242424242",
    ];
    for (const secret of secrets) expect(output).not.toContain(secret);
    // the lines were there, masked: this test saw the flows' log output
    expect(
      logs
        .json()
        .filter((line) => line.msg === "email sent")
        .map((line) => line.type),
    ).toEqual(expect.arrayContaining(["order.created", "user.password_reset_requested"]));
    expect(output).toContain("s***@example.test");
  });
});
