/**
 * The chaos run's only source of choices: a seeded generator (mulberry32, as in
 * test/chaos/chaos.workerd.ts, which keeps an inline copy because it runs inside workerd), so that
 * `CHAOS_SEED=<seed>` replays the same choices — not the same interleaving. Each actor forks its own
 * stream from the seed and its name, so one actor's extra retries never shift another's choices.
 */

export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error("pick from an empty list");
    return values[Math.floor(this.next() * values.length)] as T;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** Up to `count` distinct values, in random order. */
  sample<T>(values: readonly T[], count: number): T[] {
    const pool = [...values];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0)
      chosen.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0] as T);
    return chosen;
  }

  /** An independent stream for one actor: the same seed and label always give the same stream. */
  fork(label: string): Prng {
    // from the seed, not the current state: a fork does not depend on what was drawn before it
    let hash = (this.seed ^ 0x811c9dc5) >>> 0;
    for (let i = 0; i < label.length; i += 1) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    return new Prng(hash >>> 0);
  }
}

/** `CHAOS_SEED` replays a run; without it a fresh seed (printed, so any run can be replayed). */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.CHAOS_SEED?.trim();
  if (given) {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`CHAOS_SEED must be a non-negative integer, got ${given}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
