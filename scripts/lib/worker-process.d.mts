export interface RunningWorker {
  url: string;
  port: number;
  inspectorPort: number;
  stop(): Promise<void>;
  output(): string;
}
export function freePort(): Promise<number>;
export function startWorker(options?: { config?: string; seed?: boolean; readyPath?: string; vars?: Record<string, string>; timeoutMs?: number; state?: string; script?: string }): Promise<RunningWorker>;
