/**
 * Judges every answer of the chaos run as it arrives, so that nothing a client shrugged off goes
 * unnoticed: a 5xx is unexpected unless it is a 503 problem with `Retry-After`, and every other
 * answer must match the served OpenAPI document (an undeclared 429 is counted apart).
 * docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import { contractViolations, matchTemplate } from "../e2e/openapi-validator";

export interface Exchange {
  actor: string;
  method: string;
  path: string;
  /** 0: no answer (network error or the client's timeout). */
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export interface Finding {
  exchange: Exchange;
  problems: string[];
}

const PROBLEM = "application/problem+json";
/** A path the document cannot know: the validator then only asks "is this a 4xx problem?". */
const UNDOCUMENTED = "/.chaos-http/undocumented";
const SAMPLES = 25;

export class Recorder {
  requests = 0;
  readonly byStatus = new Map<number, number>();
  /** 503 + Retry-After problems: the documented "try again with the same key" answers. */
  expectedUnavailable = 0;
  undeclared429 = 0;
  readonly unexpected: Exchange[] = [];
  /** Per route template and status: count and total time, for `table()`. */
  private readonly routes = new Map<string, { count: number; ms: number }>();
  readonly violations: Finding[] = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw OpenAPI JSON the validator walks
  constructor(private readonly document: any) {}

  record(exchange: Exchange, body: unknown): void {
    this.requests += 1;
    this.byStatus.set(exchange.status, (this.byStatus.get(exchange.status) ?? 0) + 1);
    const route = `${exchange.method} ${this.route(exchange)} ${exchange.status}`;
    const known = this.routes.get(route) ?? { count: 0, ms: 0 };
    this.routes.set(route, { count: known.count + 1, ms: known.ms + exchange.endedAt - exchange.startedAt });
    if (exchange.status === 0 || exchange.status >= 500) {
      if (exchange.status === 503 && exchange.retryAfter !== null && mediaType(exchange) === PROBLEM)
        this.expectedUnavailable += 1;
      else {
        // already a failure of the run; its body rarely matches anything, so no contract noise on top
        this.unexpected.push(exchange);
        return;
      }
    }
    const answer = {
      method: exchange.method,
      path: exchange.path,
      status: exchange.status,
      contentType: exchange.contentType,
      body,
    };
    let problems: string[];
    if (exchange.status === 429 && !this.declares(exchange, 429)) {
      this.undeclared429 += 1;
      problems = contractViolations(this.document, { ...answer, method: "GET", path: UNDOCUMENTED });
      if (exchange.retryAfter === null) problems.push("429 without Retry-After");
    } else {
      problems = contractViolations(this.document, answer);
    }
    if (problems.length > 0) this.violations.push({ exchange, problems });
  }

  private declares(exchange: Exchange, status: number): boolean {
    const template = matchTemplate(this.document, exchange.path.split("?")[0] ?? "/");
    const responses = template ? this.document.paths[template]?.[exchange.method.toLowerCase()]?.responses : undefined;
    return Boolean(responses && String(status) in responses);
  }

  /** Counts by status class: `{ "2xx": …, "4xx": …, "no answer": … }`. */
  classes(): Record<string, number> {
    const classes: Record<string, number> = {};
    for (const [status, count] of this.byStatus) {
      const name = status === 0 ? "no answer" : `${Math.floor(status / 100)}xx`;
      classes[name] = (classes[name] ?? 0) + count;
    }
    return classes;
  }

  count(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }

  /** Human-readable findings: every unexpected answer and contract mismatch, grouped, with samples. */
  report(): string[] {
    const lines: string[] = [];
    if (this.unexpected.length > 0) {
      lines.push(`${this.unexpected.length} unexpected 5xx / unanswered requests, by route:`);
      lines.push(
        ...grouped(
          this.unexpected.map((exchange) => [
            `${exchange.status} ${exchange.method} ${this.route(exchange)}`,
            exchange,
          ]),
        ),
      );
    }
    if (this.violations.length > 0) {
      lines.push(`${this.violations.length} answers do not match the served OpenAPI document, by route:`);
      lines.push(
        ...grouped(
          this.violations.map((finding) => [
            `${finding.exchange.status} ${finding.exchange.method} ${this.route(finding.exchange)}: ${finding.problems[0]}`,
            finding.exchange,
          ]),
        ),
      );
    }
    return lines;
  }

  /** Every route and status with its count and mean latency, busiest first (CHAOS_HTTP_VERBOSE). */
  table(): string[] {
    return [...this.routes]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([route, { count, ms }]) => `  ${String(count).padStart(5)} × ${route} (mean ${Math.round(ms / count)} ms)`);
  }

  private route(exchange: Exchange): string {
    return matchTemplate(this.document, exchange.path.split("?")[0] ?? "/") ?? exchange.path.slice(0, 80);
  }
}

const mediaType = (exchange: Exchange) => exchange.contentType?.split(";")[0]?.trim() ?? null;

/** One line per group with its count, then a few samples (status, path, body head). */
function grouped(entries: [string, Exchange][]): string[] {
  const groups = new Map<string, Exchange[]>();
  for (const [key, exchange] of entries) groups.set(key, [...(groups.get(key) ?? []), exchange]);
  const lines: string[] = [];
  let samples = 0;
  for (const [key, exchanges] of groups) {
    lines.push(`  ${exchanges.length} × ${key}`);
    for (const exchange of exchanges.slice(0, 2)) {
      if (samples++ >= SAMPLES) break;
      lines.push(
        `      e.g. [${exchange.actor}] ${exchange.method} ${exchange.path.slice(0, 100)} → ` +
          `${exchange.status || exchange.error} ${exchange.contentType ?? ""} ` +
          `${JSON.stringify(exchange.text.slice(0, 200))}`,
      );
    }
  }
  return lines;
}
