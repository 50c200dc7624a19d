// Lint: the recommended JS and TypeScript rules, plus the few habits we enforce.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/.wrangler/**", "**/dist/**", "migrations/**", "bench/results/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
    },
  },
  {
    files: ["web/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["scripts/**", "bench/**", "seed/**", "test/e2e/**", "test/browser/**", "*.config.*"],
    languageOptions: { globals: { ...globals.node } },
  },
);
