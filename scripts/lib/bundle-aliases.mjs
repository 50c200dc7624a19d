// The `[alias]` table of wrangler.toml as Vite aliases, so the workerd tests import exactly the
// modules the deployed bundle does (the artifact tested is the artifact deployed). Like wrangler's,
// each alias matches one import path exactly.
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { ROOT } from "./wrangler.mjs";

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** @returns {{ find: RegExp, replacement: string }[]} */
export function bundleAliases(configPath = join(ROOT, "wrangler.toml")) {
  const { alias = {} } = unstable_readConfig({ config: configPath });
  return Object.entries(alias).map(([from, to]) => ({
    // eslint-disable-next-line security/detect-non-literal-regexp -- built from our own wrangler.toml keys, escaped
    find: new RegExp(`^${escapeRegExp(from)}$`),
    replacement: join(ROOT, to),
  }));
}
