// Types for the parts of seed-sql.mjs that workerd tests import (the identity tests verify the
// seeded admin's hash format against src/modules/identity/password.ts).
export function hashPasswordForSeed(password: string, iterations?: number): string;
export function buildSeedStatements(options?: { now?: number; adminPasswordHash?: string }): string[];
