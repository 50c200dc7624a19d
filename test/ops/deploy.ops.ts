// The gradual-deploy scripts cannot reach Cloudflare here: their dry run is tested instead (the
// offline bundle check runs for real), and the parsers of wrangler's answers on recorded samples.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { servingVersionId, uploadedVersionId } from "../../scripts/deploy/plan.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const deploy = (...args: string[]) =>
  spawnSync(process.execPath, ["scripts/deploy.mjs", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567" },
  });
const commands = (output: string) => output.split("\n").filter((line) => line.startsWith("[dry-run] wrangler"));

describe("npm run deploy:* (dry run)", () => {
  it("canary migrates, deploys the storefront's files, uploads a version tagged with the commit, then splits traffic by --percent", () => {
    const result = deploy("canary", "--dry-run", "--env", "staging", "--percent", "20");
    expect(result.status, result.stderr).toBe(0);
    expect(commands(result.stdout)).toEqual([
      "[dry-run] wrangler d1 migrations apply DB --remote --env staging",
      '[dry-run] wrangler deploy --config wrangler.web.toml --env staging --message "canary 0123456789ab"',
      '[dry-run] wrangler versions upload --env staging --tag 0123456789abcdef0123456789abcdef01234567 --message "canary 0123456789ab"',
      "[dry-run] wrangler deployments status --env staging --json",
      '[dry-run] wrangler versions deploy "<new-version-id>@20%" "<current-version-id>@80%" --env ' +
        'staging --message "canary 0123456789ab" --yes',
    ]);
  });

  it("canary refuses a percentage outside 1-99", () => {
    const result = deploy("canary", "--dry-run", "--percent", "0");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--percent must be a whole number from 1 to 99/);
  });

  it("promote sends all traffic to the canary's tagged version", () => {
    expect(commands(deploy("promote", "--dry-run").stdout)).toEqual([
      "[dry-run] wrangler versions deploy --version-tag " +
        '"0123456789abcdef0123456789abcdef01234567@100%" --env production --message "promote ' +
        '0123456789ab" --yes',
    ]);
  });

  it("rollback is wrangler rollback, to a given version when one is named", () => {
    expect(
      commands(deploy("rollback", "--dry-run", "--version", "5f1c3e1e-7d2a-4a57-9a3b-1f2e3d4c5b6a").stdout),
    ).toEqual([
      '[dry-run] wrangler rollback 5f1c3e1e-7d2a-4a57-9a3b-1f2e3d4c5b6a --env production --message "rollback 0123456789ab" --yes',
    ]);
  });

  it("refuses an unknown action", () => {
    expect(deploy("yolo").status).toBe(2);
  });
});

describe("reading wrangler's answers", () => {
  it("finds the uploaded version id", () => {
    expect(
      uploadedVersionId(
        "Uploaded motor-production (3.1 sec)\nWorker Version ID: 5f1c3e1e-7d2a-4a57-9a3b-1f2e3d4c5b6a\n",
      ),
    ).toBe("5f1c3e1e-7d2a-4a57-9a3b-1f2e3d4c5b6a");
    expect(() => uploadedVersionId("✘ [ERROR] Authentication error")).toThrow(/no "Worker Version ID"/);
  });

  it("takes the version serving the most traffic as the current one", () => {
    const status = JSON.stringify({
      id: "dep",
      versions: [
        { version_id: "old", percentage: 90 },
        { version_id: "new", percentage: 10 },
      ],
    });
    expect(servingVersionId(status)).toBe("old");
    expect(() => servingVersionId("{}")).toThrow(/no current version/);
  });
});

describe("motor-web (wrangler.web.toml)", () => {
  it.each([undefined, "staging", "production"])(
    "has no public workers.dev URL in %s: its shells only ever leave through Motor, with their CSP",
    (env) => {
      const config = unstable_readConfig({ config: `${ROOT}wrangler.web.toml`, env });
      expect(config.workers_dev).toBe(false);
      // a route may send only the hashed bundles here
      for (const route of config.routes ?? [])
        expect(typeof route === "string" ? route : route.pattern).toMatch(/\/assets\/\*$/);
    },
  );
});
