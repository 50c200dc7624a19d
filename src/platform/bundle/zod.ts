/**
 * What `"zod"` resolves to in the Worker bundle and in the workerd tests (wired by `[alias]` in
 * wrangler.toml; vitest.config.ts applies the same table). Every export of zod is re-exported
 * unchanged except the `z` namespace object.
 *
 * Why: a namespace object used as a value keeps every export of zod in the bundle (`z.compile`,
 * every string format, the codecs...), because esbuild cannot know which members are read.
 * `@hono/zod-openapi` does exactly that (`extendZodWithOpenApi(z)`, `export { z }`), and so does any
 * `import { z } from "zod"`: ~80 KiB raw, ~20 KiB gzipped. Motor writes `import * as z from "zod"`
 * instead (eslint enforces it), whose `z.object(...)` esbuild binds to the one export it names, and
 * this module hands `@hono/zod-openapi` a `z` holding only what `extendZodWithOpenApi` reads:
 * `ZodType`. Reading anything else from it throws, so a stray `{ z }` import fails in the tests.
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
// it independent of module order (it no longer waits for @hono/zod-openapi to be evaluated).
extendZodWithOpenApi({ ZodType } as unknown as Parameters<typeof extendZodWithOpenApi>[0]); // it reads only ZodType
