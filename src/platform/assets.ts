/**
 * Reads one of the files scripts/build-web.mjs builds (served by the motor-web Worker, bound as
 * ASSETS). A missing file is a broken build, not bad input: it throws, and the error handler
 * answers 500 and logs what to run.
 */
import type { Env } from "../env";

export async function builtAsset(env: Env, path: string, base: string, what: string): Promise<string> {
  const asset = await env.ASSETS.fetch(new URL(path, base));
  if (!asset.ok) throw new Error(`${what} is missing from the static assets (run npm run build:web)`);
  return asset.text();
}
