// `npm run contract:update`: rewrite contract/openapi.v1.json from the code, for an intended
// addition. Commit it with the change that adds to the API. It refuses to bless a breaking change:
// v1 does not break (a breaking change is a new major version, see docs/operations.md). Also
// regenerates the web's API types from it (scripts/contract/client-types.mjs).
import { readFileSync, writeFileSync } from "node:fs";
import { CLIENT_TYPES, renderClientTypes } from "./client-types.mjs";
import { describe, diffContracts, renderContract, SNAPSHOT } from "./contract.mjs";

const current = renderContract();
const { breaking } = await diffContracts(JSON.parse(readFileSync(SNAPSHOT, "utf8")), JSON.parse(current));
if (breaking.length > 0 && !process.argv.includes("--accept-breaking")) {
  console.error(`contract:update refused, the change breaks v1:\n${breaking.map((d) => `  ${describe(d)}`).join("\n")}`);
  process.exit(1);
}
writeFileSync(SNAPSHOT, current);
writeFileSync(CLIENT_TYPES, await renderClientTypes(current));
console.log(`contract:update: wrote ${SNAPSHOT} and ${CLIENT_TYPES}`);
