// The money-safety drivers (vitest.config.ts, MONEY_SAFETY_DRIVERS): the workerd setup of the unit tests, a workerd
// per file. `npm run test:unit` runs them after the shared files.
import { defineConfig } from "vitest/config";
import { MONEY_SAFETY_DRIVERS, workerdConfig } from "./vitest.config";

export default defineConfig(async () => {
  const config = await workerdConfig();
  return { ...config, test: { ...config.test, include: MONEY_SAFETY_DRIVERS, isolate: true } };
});
