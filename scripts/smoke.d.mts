export function smoke(
  baseUrl: string,
  options?: { version?: string; worker?: string; timeoutMs?: number },
): Promise<string>;
