// Runs the recipe for signing a local test-provider webhook AS WRITTEN in docs/payments.md (its
// shell block, unchanged but for a `curl` stand-in that records its arguments) against a .dev.vars
// generated the way `npm start` generates it (quotes around the secret included), and checks the
// signature with the Worker's own verifier, so the doc, the file format and the code cannot drift
// apart.
import { spawnSync } from "node:child_process";
import { timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDevVars, generateDevSecrets } from "../../scripts/dev-secrets.mjs";
import { verifyWebhookSignature } from "../../src/modules/payments/webhook-signature";

// the verifier compares with workerd's WebCrypto extension, which Node lacks: lend it Node's own
// (the src type-checks under this project too, so @types/node's webcrypto namespace is augmented)
declare module "crypto" {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting @types/node's own namespace
  namespace webcrypto {
    interface SubtleCrypto {
      timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
    }
  }
}
const subtle = crypto.subtle as Omit<typeof crypto.subtle, "timingSafeEqual"> & {
  timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean;
};
subtle.timingSafeEqual ??= (a, b) => timingSafeEqual(a, b);

const DOC = new URL("../../docs/payments.md", import.meta.url);
const ANCHOR = "Sign a local test event:";

/** The first ```sh block after the anchor sentence of docs/payments.md. */
function documentedRecipe(): string {
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(ANCHOR);
  expect(from, `docs/payments.md no longer says "${ANCHOR}"`).toBeGreaterThan(-1);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(from));
  expect(block, "no ```sh block after the anchor").not.toBeNull();
  return (block as RegExpExecArray)[1] as string;
}

/** Runs the recipe in `dir` (where .dev.vars is); answers the arguments it handed to curl. */
function runRecipe(dir: string): string[] {
  const recorded = join(dir, "curl-args");
  // a function named curl shadows the binary: the request is recorded, nothing is sent
  const script = `curl() { printf '%s\\0' "$@" > ${JSON.stringify(recorded)}; }\nset -e\n${documentedRecipe()}`;
  const run = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return readFileSync(recorded, "utf8").split("\0").slice(0, -1);
}

function requestOf(args: string[]) {
  const after = (flag: string) => args.filter((_, index) => args[index - 1] === flag);
  const header = after("-H").find((value) => value.startsWith("Motor-Test-Signature:"));
  return {
    signature: header?.slice(header.indexOf(":") + 1).trim() ?? null,
    body: after("-d")[0] ?? "",
    url: args.find((value) => value.includes("/v1/webhooks/payments/")),
  };
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "motor-recipe-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("docs/payments.md: signing a local test webhook", () => {
  it("signs with the secret of a .dev.vars written by npm start, and the Worker's verifier accepts it", async () => {
    const dir = tempDir();
    await ensureDevVars(join(dir, ".dev.vars"));
    const secret = /^TEST_PAYMENT_WEBHOOK_SECRET='(.*)'$/m.exec(readFileSync(join(dir, ".dev.vars"), "utf8"))?.[1];
    expect(secret, "dev-secrets.mjs writes the secret single-quoted").toMatch(/^whsec_dev_/);
    const { signature, body, url } = requestOf(runRecipe(dir));
    expect(url).toContain("/v1/webhooks/payments/test");
    expect(JSON.parse(body)).toMatchObject({ type: "payment_intent.succeeded" });
    await expect(verifyWebhookSignature(secret as string, signature, body)).resolves.toBeUndefined();
  });

  it("also works with an older .dev.vars whose values are double-quoted", async () => {
    const dir = tempDir();
    const secret = (await generateDevSecrets()).TEST_PAYMENT_WEBHOOK_SECRET as string;
    writeFileSync(join(dir, ".dev.vars"), `TOKEN_SECRET="x"\nTEST_PAYMENT_WEBHOOK_SECRET=${JSON.stringify(secret)}\n`);
    const { signature, body } = requestOf(runRecipe(dir));
    await expect(verifyWebhookSignature(secret, signature, body)).resolves.toBeUndefined();
  });
});
