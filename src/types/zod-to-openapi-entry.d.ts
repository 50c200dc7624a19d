// The ES module file of @asteasolutions/zod-to-openapi, imported by path in
// src/platform/bundle/zod-to-openapi.ts (the package name itself is aliased to that file); the
// package ships one set of declarations, for its name.
declare module "@asteasolutions/zod-to-openapi/dist/index.mjs" {
  export * from "@asteasolutions/zod-to-openapi";
}
