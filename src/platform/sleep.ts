/**
 * Resolves after `ms` on this request's own timer: the way to wait for another request's work (poll plain data; never
 * await its promise).
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
