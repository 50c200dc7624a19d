// Prints an OpenAPI document of the code as it is now (run by tsx: it imports the app): the 3.0
// contract, pretty; or, with --served, the 3.1 document /openapi.json serves, compact, as `c.json`
// wrote it when the Worker generated it per request.
// Node runs the real zod, not the bundle's src/platform/bundle/zod.ts, so `.openapi()` exists only
// once @hono/zod-openapi has extended zod: it is imported before any schema module runs.
import "@hono/zod-openapi";
import { createApp } from "../../src/app";
import { contractDocument, servedDocument } from "../../src/platform/openapi-document";

const app = createApp();
process.stdout.write(
  process.argv.includes("--served")
    ? JSON.stringify(servedDocument(app))
    : `${JSON.stringify(contractDocument(app), null, 2)}\n`,
);
