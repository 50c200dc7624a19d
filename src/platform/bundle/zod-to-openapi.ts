/**
 * What `"@asteasolutions/zod-to-openapi"` resolves to in the Worker bundle and in the workerd tests
 * (wired by `[alias]` in wrangler.toml; vitest.config.ts applies the same table): the registry and
 * the `.openapi()` extension that route registration needs, without the document generators.
 *
 * Why: the OpenAPI document is generated once at build time, in Node, from the same route
 * declarations (scripts/build-web.mjs → dist/web, see src/platform/openapi-document.ts), and the
 * Worker serves that file. The generators (~22 KiB raw, ~6 KiB gzipped) would only be dead weight;
 * `OpenAPIHono.getOpenAPIDocument()`/`doc()` and their 3.1 twins throw here instead.
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
