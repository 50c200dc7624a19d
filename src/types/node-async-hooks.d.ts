// The one Node API Motor uses (nodejs_compat provides it in workerd); declared here rather than
// pulling all of @types/node into the Worker's type space.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R;
    getStore(): T | undefined;
  }
}
