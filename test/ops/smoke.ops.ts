// The post-deploy smoke script against a real local `wrangler dev`, and against a server that
// answers without the version header (it must fail there).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDevVars } from "../../scripts/dev-secrets.mjs";
import { startWorker, type RunningWorker } from "../../scripts/lib/worker-process.mjs";
import { smoke } from "../../scripts/smoke.mjs";

let worker: RunningWorker;
let versionless: Server;
let versionlessUrl: string;

beforeAll(async () => {
  await ensureDevVars(new URL("../../.dev.vars", import.meta.url).pathname);
  worker = await startWorker();
  versionless = createServer((request, response) => {
    response.setHeader("Content-Type", "application/json");
    response.end(
      JSON.stringify(
        request.url === "/ready" ? { status: "ready" } : request.url === "/health" ? { status: "ok" } : { data: [] },
      ),
    );
  });
  await new Promise<void>((resolve) => versionless.listen(0, "127.0.0.1", resolve));
  const address = versionless.address();
  versionlessUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await worker?.stop();
  versionless?.close();
});

describe("npm run smoke", () => {
  it("passes on a local wrangler dev and returns the version that answered", async () => {
    expect(await smoke(worker.url)).toMatch(/\S/);
  });

  it("fails when the answers do not come from the expected version", async () => {
    await expect(
      smoke(worker.url, { version: "00000000-0000-4000-8000-000000000000", worker: "motor" }),
    ).rejects.toThrow(/expected 00000000-0000-4000-8000-000000000000/);
  });

  it("fails when answers carry no Motor-Version header", async () => {
    await expect(smoke(versionlessUrl)).rejects.toThrow(/no Motor-Version header/);
  });

  it("fails when a check does not answer 200", async () => {
    await expect(smoke(`${worker.url}/nowhere/`)).rejects.toThrow(/GET \/health: 404/);
  });
});
