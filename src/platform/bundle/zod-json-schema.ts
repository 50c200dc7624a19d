/**
 * What zod's own JSON Schema modules resolve to in the Worker bundle and the workerd tests (`[alias]`
 * in wrangler.toml): the Worker never converts a schema to JSON Schema, so each entry point throws,
 * and only `aggregateChecks`, which schemas use outside the converter, is zod's own. Why:
 * docs/operations.md, "What zod and zod-to-openapi resolve to in the Worker".
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
