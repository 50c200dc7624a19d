// The chaos block of `npm run bench`: the main workerd test setup (real bindings, migrations),
// running only test/chaos/, with its console output kept (bench/chaos.mjs reads the result line).
import { defineConfig } from "vitest/config";
import base from "../vitest.config";

export default defineConfig(async (configEnv) => {
  const config = await (typeof base === "function" ? base(configEnv) : base);
  return { ...config, test: { ...config.test, include: ["test/chaos/**/*.workerd.ts"], exclude: [], silent: false, testTimeout: 900_000 } };
});
