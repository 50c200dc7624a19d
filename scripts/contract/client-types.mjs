// The web's API types, generated from the committed contract with openapi-typescript, so the
// storefront and the console read the shapes the server promises instead of restating them
// (web/shared/api-types.ts names the ones they use). `npm run contract:update` writes the file,
// `npm run contract:check` fails when it is stale, as it does for the contract.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { ROOT } from "../lib/wrangler.mjs";

export const CLIENT_TYPES = join(ROOT, "web", "shared", "api-types.gen.ts");

const HEADER = `// Generated from contract/openapi.v1.json by openapi-typescript (scripts/contract/client-types.mjs).
// Do not edit: \`npm run contract:update\` rewrites it, and \`npm run contract:check\` fails when it is stale.

`;

/** @param {string} contract the contract's JSON text @returns {Promise<string>} the types file's text */
export async function renderClientTypes(contract) {
  return HEADER + astToString(await openapiTS(JSON.parse(contract)));
}

/**
 * @param {string} contract the committed contract's JSON text
 * @returns {Promise<{ ok: boolean, message: string }>} whether the committed types file is what it generates
 */
export async function checkClientTypes(contract) {
  const committed = existsSync(CLIENT_TYPES) ? readFileSync(CLIENT_TYPES, "utf8") : "";
  const file = relative(ROOT, CLIENT_TYPES);
  if (committed === (await renderClientTypes(contract)))
    return { ok: true, message: `contract:check: ${file} matches contract/openapi.v1.json` };
  return {
    ok: false,
    message: `contract:check failed: ${file} is not what contract/openapi.v1.json generates (run npm run contract:update)`,
  };
}
