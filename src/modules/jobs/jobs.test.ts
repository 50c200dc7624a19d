import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { declaredOperations } from "../../../test/helpers/declared-routes";
import { callJson } from "../../../test/helpers/http";
import { batchOf, jobMessage, queueMessage } from "../../../test/helpers/queue";
import { createRouter } from "../../platform/openapi";
import { handleQueueBatch } from "../../queues";
import { emailRouter } from "../email";
import { reportsRouter } from "../reports";
import { webhooksRouter } from "../webhooks";
import { jobsRouter } from ".";

async function deadLetter() {
  const body = jobMessage("test.dead", { n: 1 });
  const { message } = queueMessage(body, 1);
  await handleQueueBatch(batchOf("motor-jobs-dlq", message), env);
  return body;
}

describe("admin dead letters", () => {
  it("requires a token (401) and the jobs:manage permission (403)", async () => {
    expect((await callJson("/v1/admin/jobs/failed")).status).toBe(401);
    const staff = await createUser("staff");
    expect((await callJson("/v1/admin/jobs/failed", { token: staff.token })).status).toBe(403);
    expect((await callJson("/v1/admin/jobs/failed/x/replay", { method: "POST", token: staff.token })).status).toBe(403);
  });

  it("pages dead letters newest first with a cursor; a tampered cursor is a 400", async () => {
    const admin = await createUser("admin");
    await deadLetter();
    await deadLetter();
    const first = await callJson<{ data: unknown[]; nextCursor: string | null }>("/v1/admin/jobs/failed?limit=1", {
      token: admin.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await callJson<{ data: unknown[] }>(`/v1/admin/jobs/failed?limit=1&cursor=${first.body.nextCursor}`, {
      token: admin.token,
    });
    expect(next.body.data).toHaveLength(1);
    expect(next.body.data[0]).not.toEqual(first.body.data[0]);
    expect((await callJson("/v1/admin/jobs/failed?cursor=garbage!", { token: admin.token })).status).toBe(400);
    expect((await callJson("/v1/admin/jobs/failed?limit=0", { token: admin.token })).status).toBe(400);
  });

  it("replays a dead letter once: its original message goes back to the queue", async () => {
    const admin = await createUser("admin");
    const body = await deadLetter();
    const replay = await callJson<{ id: string; status: string }>(`/v1/admin/jobs/failed/${body.id}/replay`, {
      method: "POST",
      token: admin.token,
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: body.id, status: "replayed" });
    const again = await callJson(`/v1/admin/jobs/failed/${body.id}/replay`, { method: "POST", token: admin.token });
    expect(again.status).toBe(409);
    const list = await callJson<{ data: { id: string }[] }>("/v1/admin/jobs/failed?limit=100", { token: admin.token });
    expect(list.body.data.map((job) => job.id)).not.toContain(body.id);
  });

  it("answers 404 for an unknown dead letter", async () => {
    const admin = await createUser("admin");
    const { status, body } = await callJson<{ status: number }>("/v1/admin/jobs/failed/evt_nope/replay", {
      method: "POST",
      token: admin.token,
    });
    expect(status).toBe(404);
    expect(body.status).toBe(404);
  });

  it("documents every async admin route in the OpenAPI document", async () => {
    // built from the async routers alone, so another module's contract cannot mask ours
    const app = createRouter()
      .route("/", jobsRouter)
      .route("/", emailRouter)
      .route("/", webhooksRouter)
      .route("/", reportsRouter);
    const paths = declaredOperations(app).map((operation) => operation.split(" ")[1]);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/v1/admin/jobs/failed",
        "/v1/admin/jobs/failed/{id}/replay",
        "/v1/admin/emails",
        "/v1/admin/webhooks",
        "/v1/admin/webhooks/{id}",
        "/v1/admin/webhooks/{id}/deliveries",
        "/v1/admin/webhooks/deliveries/{id}/replay",
        "/v1/admin/reports/daily",
      ]),
    );
  });

  it("answers 400 for an over-long dead letter id", async () => {
    const admin = await createUser("admin");
    expect(
      (await callJson(`/v1/admin/jobs/failed/${"x".repeat(200)}/replay`, { method: "POST", token: admin.token }))
        .status,
    ).toBe(400);
  });
});
