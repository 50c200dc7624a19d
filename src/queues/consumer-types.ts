/** A queue consumer: one per event family, named (its name keys its processed-events records). */
import type { Env } from "../env";
import type { JobMessage } from "./messages";

/** What the consumers of one queue batch share: a read made once for all its messages. */
export interface BatchScope {
  /** `load()` once per batch and key; later calls get the same answer (a failed load is not kept). */
  once: <T>(key: string, load: () => Promise<T>) => Promise<T>;
}

export interface Consumer {
  name: string;
  /** The message types it handles; one message may go to several consumers (fan-out). */
  types: readonly string[];
  handle: (message: JobMessage, env: Env, batch: BatchScope) => Promise<void>;
}

export function newBatchScope(): BatchScope {
  const loads = new Map<string, Promise<unknown>>();
  return {
    once: <T>(key: string, load: () => Promise<T>): Promise<T> => {
      let pending = loads.get(key) as Promise<T> | undefined;
      if (!pending) {
        pending = load();
        loads.set(key, pending);
        pending.catch(() => loads.delete(key));
      }
      return pending;
    },
  };
}
