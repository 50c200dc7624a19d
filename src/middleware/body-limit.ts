/** Caps request bodies (1 MiB by default, `MAX_BODY_BYTES`) with Hono's streaming body limit → 413. */
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { perConfig } from "../env";
import type { AppBindings } from "../platform/context";
import { PayloadTooLargeError } from "../platform/errors";

const limiter = perConfig(({ MAX_BODY_BYTES: maxSize }) =>
  honoBodyLimit({
    maxSize,
    onError: () => {
      throw new PayloadTooLargeError({ detail: `The body exceeds ${maxSize} bytes` });
    },
  }),
);

export function bodyLimit() {
  return createMiddleware<AppBindings>(async function bodyLimit(c, next) {
    return limiter(c.get("config"))(c, next);
  });
}
