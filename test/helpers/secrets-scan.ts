/**
 * Where a secret must NOT be: every D1 table (minus the ones named), and everything the Worker
 * wrote to the console. Used by the tests that prove tokens, reset links and passwords never rest
 * in plain text or reach the logs.
 */
import { env } from "cloudflare:workers";
import { vi } from "vitest";

/** Every row of every application table, as text, keyed by table. */
export async function dumpD1(except: readonly string[] = []): Promise<Record<string, string>> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const dump: Record<string, string> = {};
  for (const { name } of tables.results) {
    if (except.includes(name)) continue;
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    dump[name] = JSON.stringify(rows.results);
  }
  return dump;
}

/** The tables (or "logs") in which any of `secrets` appears, raw or URL-encoded. */
export function placesHolding(texts: Record<string, string>, secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((secret) => [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return Object.entries(texts)
    .filter(([, text]) => needles.some((needle) => text.includes(needle)))
    .map(([place]) => place);
}

/** Captures every console line the Worker writes while the test runs (and keeps them quiet). */
export function captureConsole(): { text: () => string } {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : (JSON.stringify(arg) ?? String(arg)))).join(" "));
    });
  }
  return { text: () => lines.join("\n") };
}
