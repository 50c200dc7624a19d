/**
 * The reset token exists in plain text only in the email. After a reset request, a
 * failed delivery (recorded as a failed job), a dead letter and the successful email, neither any
 * D1 table except the sent-email outbox (which IS the email, for local development) nor any log
 * line holds the token or the link.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { batchOf, queueMessage } from "../../../test/helpers/queue";
import { captureConsole, dumpD1, placesHolding } from "../../../test/helpers/secrets-scan";
import { handleQueueBatch } from "../../queues";
import type { JobMessage } from "../../queues/messages";
import { registerUser, send } from "./identity.fixtures";

afterEach(() => vi.restoreAllMocks());

async function resetEvent(email: string): Promise<JobMessage> {
  const row = await env.DB.prepare(
    "SELECT id, type, version, data, occurred_at FROM outbox_events WHERE type = " +
      "'user.password_reset_requested' AND json_extract(data, '$.email') = ?",
  )
    .bind(email)
    .first<{ id: string; type: string; version: number; data: string; occurred_at: number }>();
  return {
    id: row!.id,
    type: row!.type,
    version: row!.version,
    occurredAt: row!.occurred_at,
    data: JSON.parse(row!.data) as Record<string, unknown>,
  };
}

describe("reset tokens at rest", () => {
  it("after a reset request, a failed send, a dead letter and the email, only the email holds the token", async () => {
    const logs = captureConsole();
    const { email } = await registerUser();
    expect((await send("/v1/auth/password/forgot", { email })).status).toBe(202);
    const event = await resetEvent(email);
    // the email provider is down once: the job fails (recorded), then dead-letters, then is sent
    const brokenEmail = { ...env, EMAIL_PROVIDER: "http" };
    await handleQueueBatch(batchOf("motor-jobs", queueMessage(event, 1).message), brokenEmail);
    await handleQueueBatch(batchOf("motor-jobs-dlq", queueMessage(event, 6).message), env);
    await handleQueueBatch(batchOf("motor-jobs", queueMessage(event, 2).message), env);

    const admin = await createUser("admin");
    const inbox = await callJson<{ data: { text: string }[] }>(`/v1/admin/emails?to=${encodeURIComponent(email)}`, {
      token: admin.token,
    });
    const link = /(http\S+\/reset-password\?token=\S+)/.exec(inbox.body.data[0]?.text ?? "")?.[1];
    expect(link).toBeDefined();
    const token = decodeURIComponent(new URL(link!).searchParams.get("token")!);

    const failures = await env.DB.prepare("SELECT count(*) AS n FROM job_failures WHERE id = ?")
      .bind(event.id)
      .first<{ n: number }>();
    expect(failures?.n).toBe(1); // the failed-job record exists, and is searched below
    expect(placesHolding(await dumpD1(["emails"]), [token, link!])).toEqual([]);
    expect(placesHolding({ logs: logs.text() }, [token, link!])).toEqual([]);
    expect((await send("/v1/auth/password/reset", { token, password: "the new long passphrase" })).status).toBe(204);
  });
});
