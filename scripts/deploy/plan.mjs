// The wrangler commands of a gradual deploy, as data: `deploy.mjs` runs them (or prints them with
// --dry-run), and the ops tests read them. Order matters: migrations are applied before any new
// code serves traffic, and they are additive, so the old version keeps working beside the new.

/** @typedef {{ env: string, percent: number, tag: string, message: string }} CanaryOptions */

export function parsePercent(value) {
  const percent = Number(value);
  if (!Number.isInteger(percent) || percent < 1 || percent > 99)
    throw new Error(`--percent must be a whole number from 1 to 99, got "${value}"`);
  return percent;
}

export const migrate = ({ env }) => ["d1", "migrations", "apply", "DB", "--remote", "--env", env];
/**
 * The storefront's static files (motor-web, wrangler.web.toml) deploy whole, before Motor's
 * version: both Motor versions of a split then serve the same shells and bundles, so the storefront
 * must only use API that the version it replaces already had (expand/contract, docs/operations.md).
 */
export const deployWeb = ({ env, message }) => [
  "deploy",
  "--config",
  "wrangler.web.toml",
  "--env",
  env,
  "--message",
  message,
];
export const upload = ({ env, tag, message }) => [
  "versions",
  "upload",
  "--env",
  env,
  "--tag",
  tag,
  "--message",
  message,
];
export const currentDeployment = ({ env }) => ["deployments", "status", "--env", env, "--json"];

/** Sends `percent` of the traffic to the new version, the rest stays on the current one. */
export const split = ({ env, percent, message }, newVersion, currentVersion) => [
  "versions",
  "deploy",
  `${newVersion}@${percent}%`,
  `${currentVersion}@${100 - percent}%`,
  "--env",
  env,
  "--message",
  message,
  "--yes",
];

/** All traffic to the version uploaded with `tag` (the canary's git commit). */
export const promote = ({ env, tag, message }) => [
  "versions",
  "deploy",
  "--version-tag",
  `${tag}@100%`,
  "--env",
  env,
  "--message",
  message,
  "--yes",
];

/** Back to the previous deployment, or to `version` when given. */
export const rollback = ({ env, message, version }) => [
  "rollback",
  ...(version ? [version] : []),
  "--env",
  env,
  "--message",
  message,
  "--yes",
];

/** `Worker Version ID: <uuid>` from `wrangler versions upload`. */
export function uploadedVersionId(output) {
  const match = /Worker Version ID:\s*([0-9a-f-]{36})/i.exec(output);
  if (!match) throw new Error(`no "Worker Version ID" in the output of wrangler versions upload:\n${output}`);
  return match[1];
}

/** The version serving the most traffic in `wrangler deployments status --json`. */
export function servingVersionId(json) {
  const deployment = JSON.parse(json);
  const versions = [...(deployment.versions ?? [])].sort((a, b) => b.percentage - a.percentage);
  if (!versions[0]?.version_id) throw new Error(`no current version in wrangler deployments status:\n${json}`);
  return versions[0].version_id;
}
