export function checkContract(snapshot: string, current: string): Promise<{ ok: boolean; message: string }>;
