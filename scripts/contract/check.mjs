// `npm run contract:check` (part of npm test): the code's contract must not break the committed
// snapshot. Additions pass, with a reminder to commit the refreshed snapshot (npm run
// contract:update) so the next change is compared with them included.
import { readFileSync } from "node:fs";
import { describe, diffContracts, renderContract, SNAPSHOT } from "./contract.mjs";

const snapshot = readFileSync(SNAPSHOT, "utf8");
const current = renderContract();
if (current === snapshot) {
  // the common case, and openapi-diff needs ~15 s on the whole document: nothing to compare
  console.log("contract:check: the code matches contract/openapi.v1.json");
  process.exit(0);
}
const { breaking, nonBreaking, unclassified } = await diffContracts(JSON.parse(snapshot), JSON.parse(current));
const list = (differences) => differences.map((d) => `  ${describe(d)}`).join("\n");
if (breaking.length > 0) {
  console.error(`contract:check failed: ${breaking.length} breaking change(s) to the v1 contract:\n${list(breaking)}`);
  console.error("Keep v1 compatible (add, never remove or narrow); see docs/operations.md, \"API contract\".");
  process.exit(1);
}
if (nonBreaking.length + unclassified.length > 0) {
  console.log(`contract:check: compatible additions not yet in the snapshot (run npm run contract:update and commit it):\n${list([...nonBreaking, ...unclassified])}`);
} else {
  console.log("contract:check: the code matches contract/openapi.v1.json");
}
