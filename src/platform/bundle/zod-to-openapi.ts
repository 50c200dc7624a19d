/**
 * What `"@asteasolutions/zod-to-openapi"` resolves to in the Worker bundle and the workerd tests
 * (`[alias]` in wrangler.toml): the registry and the `.openapi()` extension route registration needs,
 * without the document generators — the document is rendered at build time, so they throw here.
 * Why: docs/operations.md, "What zod and zod-to-openapi resolve to in the Worker".
 */
export {
  OpenAPIRegistry,
  extendZodWithOpenApi,
  getOpenApiMetadata,
} from "@asteasolutions/zod-to-openapi/dist/index.mjs";

class GeneratorNotInBundle {
  constructor() {
    throw new Error("OpenAPI documents are generated at build time (scripts/build-web.mjs), not in the Worker");
  }
}

export { GeneratorNotInBundle as OpenApiGeneratorV3, GeneratorNotInBundle as OpenApiGeneratorV31 };
