/**
 * What zod's own JSON Schema modules (`to-json-schema.js`, `json-schema-processors.js`) resolve to
 * in the Worker bundle and in the workerd tests (wired by `[alias]` in wrangler.toml, whose keys are
 * the exact relative imports inside zod; vitest.config.ts applies the same table).
 *
 * Why: every zod schema carries closures that reach zod's zod-to-JSON-Schema converter
 * (`schema.toJSONSchema()`, `z.toJSONSchema()`, Standard Schema's `jsonSchema`), so esbuild keeps
 * all of it (~18 KiB raw, ~5 KiB gzipped). The Worker never converts a schema: the OpenAPI
 * document is rendered at build time, in Node, with the full zod and zod-to-openapi's own
 * converter (src/platform/openapi-document.ts). Here each entry point throws instead. The one
 * helper that schemas use outside that converter, `aggregateChecks` (behind `.minLength`,
 * `.maxLength`, `.format`, `.minValue`, `.maxValue`...), is zod's own, re-exported from its file.
 */
export { aggregateChecks } from "../../../node_modules/zod/v4/core/json-schema-processors.js";

function notInBundle(): never {
  throw new Error(
    "zod's JSON Schema conversion is not part of the Motor bundle (src/platform/bundle/zod-json-schema.ts)",
  );
}

// to-json-schema.js
export const initializeContext = notInBundle,
  handleUnrepresentable = notInBundle,
  processSchema = notInBundle;
export const extractDefs = notInBundle,
  finalize = notInBundle;
export { processSchema as process };
export const createToJSONSchemaMethod = () => notInBundle,
  createStandardJSONSchemaMethod = () => notInBundle;

// json-schema-processors.js
export const toJSONSchema = notInBundle;
export const allProcessors = {};
export const stringProcessor = notInBundle,
  numberProcessor = notInBundle,
  booleanProcessor = notInBundle,
  bigintProcessor = notInBundle,
  symbolProcessor = notInBundle,
  nullProcessor = notInBundle,
  undefinedProcessor = notInBundle,
  voidProcessor = notInBundle,
  neverProcessor = notInBundle,
  anyProcessor = notInBundle,
  unknownProcessor = notInBundle,
  dateProcessor = notInBundle,
  enumProcessor = notInBundle,
  literalProcessor = notInBundle,
  nanProcessor = notInBundle,
  templateLiteralProcessor = notInBundle,
  fileProcessor = notInBundle,
  successProcessor = notInBundle,
  customProcessor = notInBundle,
  functionProcessor = notInBundle,
  transformProcessor = notInBundle,
  mapProcessor = notInBundle,
  setProcessor = notInBundle,
  arrayProcessor = notInBundle,
  objectProcessor = notInBundle,
  unionProcessor = notInBundle,
  intersectionProcessor = notInBundle,
  tupleProcessor = notInBundle,
  recordProcessor = notInBundle,
  nullableProcessor = notInBundle,
  nonoptionalProcessor = notInBundle,
  defaultProcessor = notInBundle,
  prefaultProcessor = notInBundle,
  catchProcessor = notInBundle,
  pipeProcessor = notInBundle,
  readonlyProcessor = notInBundle,
  promiseProcessor = notInBundle,
  optionalProcessor = notInBundle,
  lazyProcessor = notInBundle;
