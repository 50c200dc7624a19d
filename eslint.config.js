// Lint: the recommended JS and TypeScript rules, eslint-plugin-security's rules (a finding fails
// the build; how to accept a false positive: docs/operations.md, "Security checks"), plus the few
// habits we enforce.
import js from "@eslint/js";
import security from "eslint-plugin-security";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.wrangler/**",
      "**/dist/**",
      "migrations/**",
      "bench/results/**",
      "coverage/**",
      // generated from contract/openapi.v1.json by `npm run contract:update`, checked by `npm run contract:check`
      "web/shared/api-types.gen.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Every security rule is an error: a finding fails `npm run lint`, hence npm test and CI.
  {
    plugins: { security },
    rules: Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, "error"])),
  },
  {
    rules: {
      // Flags every `object[key]`: in TypeScript the key's type is checked, and this rule cannot see
      // it, so its findings are noise (all ~50 were typed lookups when it was turned on).
      "security/detect-object-injection": "off",
    },
  },
  {
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
      // No line over 140 characters, comments, strings and URLs included: Prettier wraps code at 120 but
      // leaves those whole, so split them by hand. Core max-len is deprecated (for @stylistic) but works.
      "max-len": ["error", { code: 140, tabWidth: 2 }],
    },
  },
  {
    // A `z` object keeps all of zod in the Worker bundle; `import * as z from "zod"` keeps only what
    // is used (src/platform/bundle/zod.ts explains why, and makes a stray `z` throw).
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "ImportDeclaration[importKind!='type'][source.value=/^(zod|@hono\\u002Fzod-openapi)$/] > " +
            ":matches(ImportSpecifier[imported.name='z'][importKind!='type'], ImportDefaultSpecifier)",
          message:
            'Write `import * as z from "zod"`: a `z` object keeps all of zod in the bundle (src/platform/bundle/zod.ts).',
        },
      ],
    },
  },
  {
    files: ["web/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: [
      "scripts/**",
      "bench/**",
      "seed/**",
      "test/e2e/**",
      "test/chaos-http/**",
      "test/ops/**",
      "test/browser/**",
      "*.config.*",
    ],
    languageOptions: { globals: { ...globals.node } },
    // Operator-run tooling: its paths come from the repository and the command line, not from
    // requests (the Worker itself has no file system).
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
  {
    files: ["**/*.test.ts", "test/**"],
    // Tests build expected patterns from their own constants.
    rules: { "security/detect-non-literal-regexp": "off" },
  },
);
