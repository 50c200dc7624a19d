export function checkMigrations(dir: string): string[];
