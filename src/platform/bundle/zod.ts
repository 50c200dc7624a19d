/**
 * What `"zod"` resolves to in the Worker bundle and the workerd tests (`[alias]` in wrangler.toml):
 * zod unchanged but for the `z` namespace object, which would keep all of zod in the bundle. Motor
 * writes `import * as z from "zod"` (eslint enforces it); this `z` holds only what
 * `extendZodWithOpenApi` reads, and reading anything else throws. Why: docs/operations.md, "What zod
 * and zod-to-openapi resolve to in the Worker".
 */
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { ZodType } from "zod/v4";

export * from "zod/v4";

export const z: Record<PropertyKey, unknown> = new Proxy({ ZodType } as Record<PropertyKey, unknown>, {
  get(target, key) {
    if (key in target) return target[key];
    throw new Error(
      `z.${String(key)} is not in the bundle's \`z\`: write \`import * as z from "zod"\` (src/platform/bundle/zod.ts)`,
    );
  },
});

// `.openapi()` on a schema needs this first. Doing it where every schema module gets its zod makes
// it independent of module order (it does not wait for @hono/zod-openapi to be evaluated).
extendZodWithOpenApi({ ZodType } as unknown as Parameters<typeof extendZodWithOpenApi>[0]); // it reads only ZodType
