/** A queue consumer: one per event family, named (its name keys its processed-events records). */
import type { Env } from "../env";
import type { JobMessage } from "./messages";

export interface Consumer {
  name: string;
  /** The message types it handles; one message may go to several consumers (fan-out). */
  types: readonly string[];
  handle: (message: JobMessage, env: Env) => Promise<void>;
}
