// Prints the OpenAPI 3.0 contract of the code as it is now (run by tsx: it imports the app).
import { createApp } from "../../src/app";
import { contractDocument } from "../../src/platform/openapi-document";

process.stdout.write(`${JSON.stringify(contractDocument(createApp()), null, 2)}\n`);
