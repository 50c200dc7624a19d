// The contract guard's pieces: render the code's OpenAPI 3.0 document, and compare two documents
// with openapi-diff (breaking / non-breaking / unclassified, as the tool classifies them).
import { join } from "node:path";
import openApiDiff from "openapi-diff";
import { ROOT } from "../lib/wrangler.mjs";

export const SNAPSHOT = join(ROOT, "contract", "openapi.v1.json");

export { renderContract } from "../lib/render-openapi.mjs";

/** @param {object} before @param {object} after */
export async function diffContracts(before, after) {
  const spec = (document, location) => ({ content: JSON.stringify(document), location, format: "openapi3" });
  const outcome = await openApiDiff.diffSpecs({
    sourceSpec: spec(before, "contract/openapi.v1.json"),
    destinationSpec: spec(after, "code"),
  });
  return {
    breaking: [...(outcome.breakingDifferencesFound ? outcome.breakingDifferences : []), ...parameterBreaks(before, after)],
    nonBreaking: outcome.nonBreakingDifferences,
    unclassified: outcome.unclassifiedDifferences,
  };
}

/** One readable line per difference: code, and where in each document. */
export function describe(difference) {
  const where = (details) => details.map((detail) => detail.location).join(", ") || "-";
  return `${difference.code}: ${where(difference.sourceSpecEntityDetails)} -> ${where(difference.destinationSpecEntityDetails)}`;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/**
 * openapi-diff compares bodies, status codes and headers but not parameters: a query, path or
 * header parameter that becomes required, or loses enum values, breaks the clients that sent
 * the old request. That one rule is added here.
 */
export function parameterBreaks(before, after) {
  const breaks = [];
  for (const [path, item] of Object.entries(after.paths ?? {})) {
    for (const method of METHODS.filter((m) => item[m] && before.paths?.[path]?.[m])) {
      const old = new Map((before.paths[path][method].parameters ?? []).map((p) => [`${p.in}:${p.name}`, p]));
      for (const parameter of item[method].parameters ?? []) {
        const previous = old.get(`${parameter.in}:${parameter.name}`);
        const location = `paths.${path}.${method}.parameters.${parameter.in}.${parameter.name}`;
        const difference = (code) => ({
          code,
          type: "breaking",
          sourceSpecEntityDetails: [{ location }],
          destinationSpecEntityDetails: [{ location }],
        });
        if (parameter.required && !previous?.required) breaks.push(difference("request.parameter.required.add"));
        const lost = (previous?.schema?.enum ?? []).filter((value) => parameter.schema?.enum && !parameter.schema.enum.includes(value));
        if (lost.length > 0) breaks.push(difference("request.parameter.enum.remove"));
      }
    }
  }
  return breaks;
}
