export function generateDevSecrets(): Promise<Record<string, string>>;
export function ensureDevVars(path: string): Promise<{ path: string; generated: string[] }>;
