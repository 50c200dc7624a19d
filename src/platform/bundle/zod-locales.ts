/**
 * Bundle stub for zod's `locales` namespace (wired by `[alias]` in wrangler.toml). zod re-exports
 * every translation of its error messages (~250 KiB raw) through a namespace object that esbuild
 * cannot tree-shake; Motor answers in English only, and zod imports English directly, so the
 * deployed bundle leaves the other languages out, and so do the workerd tests (vitest.config.ts).
 */
export {};
