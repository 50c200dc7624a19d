// `npm run contract:check` (part of npm test): the code's contract must not break the committed
// snapshot. Additions pass, with a reminder to commit the refreshed snapshot (npm run
// contract:update) so the next change is compared with them included. The web's generated API
// types must be the snapshot's (scripts/contract/client-types.mjs).
import { readFileSync } from "node:fs";
import { checkClientTypes } from "./client-types.mjs";
import { describe, diffContracts, renderContract, SNAPSHOT } from "./contract.mjs";

const list = (differences) => differences.map((d) => `  ${describe(d)}`).join("\n");

/** @returns {Promise<{ ok: boolean, message: string }>} the verdict on the code's contract text */
export async function checkContract(snapshot, current) {
  // the common case, and openapi-diff needs ~15 s on the whole document: nothing to compare
  if (current === snapshot) return { ok: true, message: "contract:check: the code matches contract/openapi.v1.json" };
  const { breaking, nonBreaking, unclassified } = await diffContracts(JSON.parse(snapshot), JSON.parse(current));
  if (breaking.length > 0) {
    return {
      ok: false,
      message:
        `contract:check failed: ${breaking.length} breaking change(s) to the v1 contract:\n${list(breaking)}\n` +
        `Keep v1 compatible (add, never remove or narrow); see docs/operations.md, "API contract".`,
    };
  }
  const additions = [...nonBreaking, ...unclassified];
  if (additions.length === 0) return { ok: true, message: "contract:check: no difference in meaning from contract/openapi.v1.json" };
  return {
    ok: true,
    message:
      "contract:check: compatible additions not yet in the snapshot (run npm run contract:update and commit it):\n" +
      list(additions),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const snapshot = readFileSync(SNAPSHOT, "utf8");
  const verdicts = [await checkContract(snapshot, renderContract()), await checkClientTypes(snapshot)];
  for (const { ok, message } of verdicts) (ok ? console.log : console.error)(message);
  process.exitCode = verdicts.every(({ ok }) => ok) ? 0 : 1;
}
