export type Digests = Record<string, { rows: number; sha256: string }>;
export function tableDigests(target: { persistTo?: string; remote?: boolean; env?: string }, tables: string[]): Digests;
export function compareDigests(source: Digests, restored: Digests): string[];
