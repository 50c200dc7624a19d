// Benchmark scenarios. Each names the worker it targets and how to build its requests; modules
// add theirs here. `prepare(url)` runs once before the load (e.g. to log in or create carts).

/** @typedef {{ name: string, target: "hello" | "motor", prepare?: (url: string) => Promise<object>, requests: (ctx: object) => object }} Scenario */

/** @type {Scenario[]} */
export const scenarios = [
  { name: "hello", target: "hello", requests: () => ({ path: "/" }) },
  { name: "health", target: "motor", requests: () => ({ path: "/health" }) },
];
