export interface RunningWorker {
  url: string;
  port: number;
  inspectorPort: number;
  /** wrangler's pid; it leads its own process group and session (every workerd it starts is in it). */
  pid: number;
  stop(): Promise<void>;
  output(): string;
}
export function freePort(): Promise<number>;
export function startWorker(options?: {
  config?: string;
  seed?: boolean;
  readyPath?: string;
  vars?: Record<string, string>;
  timeoutMs?: number;
  state?: string;
  script?: string;
}): Promise<RunningWorker>;
