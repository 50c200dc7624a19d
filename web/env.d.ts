/** esbuild bundles the stylesheets imported by the page entries. */
declare module "*.css";
