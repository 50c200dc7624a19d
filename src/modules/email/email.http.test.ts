import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { newId } from "../../platform/ids";
import { emailAdapterContract, type DeliveredEmail } from "./email-adapter-contract.fixtures";
import { DEFAULT_EMAIL_ENDPOINT, EmailProviderError, HttpEmailAdapter } from "./email.http";
import { continueTrace, runInTrace } from "../../platform/observability/trace";

/** A fake Resend at the network boundary: checks the key, dedupes by Idempotency-Key, records mail. */
function fakeProvider(apiKey: string) {
  const mailbox: (DeliveredEmail & { from: string })[] = [];
  const seenKeys = new Set<string>();
  const requests: Request[] = [];
  const handler = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    if (request.url !== DEFAULT_EMAIL_ENDPOINT || request.method !== "POST")
      return new Response("not found", { status: 404 });
    if (request.headers.get("Authorization") !== `Bearer ${apiKey}`) return new Response("bad key", { status: 401 });
    const key = request.headers.get("Idempotency-Key") ?? "";
    const body = (await request.json()) as { from: string; to: string[]; subject: string; text: string; html: string };
    if (!seenKeys.has(key)) {
      seenKeys.add(key);
      for (const to of body.to)
        mailbox.push({ from: body.from, to, subject: body.subject, text: body.text, html: body.html });
    }
    return Response.json({ id: newId("re") });
  };
  return { mailbox, requests, handler };
}

const API_KEY = "re_test_key";
let provider = fakeProvider(API_KEY);

beforeEach(() => {
  provider = fakeProvider(API_KEY);
  vi.stubGlobal("fetch", vi.fn(provider.handler));
});
afterEach(() => vi.unstubAllGlobals());

emailAdapterContract("http", {
  adapter: () => new HttpEmailAdapter({ apiKey: API_KEY, from: "Motor <orders@shop.example>" }),
  delivered: async (to) =>
    provider.mailbox
      .filter((email) => email.to === to)
      .map(({ to, subject, text, html }) => ({ to, subject, text, html })),
});

describe("http email adapter", () => {
  const email = {
    to: "buyer@example.test",
    subject: "Hello",
    text: "t",
    html: "<p>t</p>",
    idempotencyKey: "evt_1:order.created",
  };

  it("sends the API key as a bearer token, the sender and the idempotency key", async () => {
    await new HttpEmailAdapter({ apiKey: API_KEY, from: "Motor <orders@shop.example>" }).send(email);
    const [request] = provider.requests;
    expect(request?.headers.get("Authorization")).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers.get("Idempotency-Key")).toBe(email.idempotencyKey);
    expect(provider.mailbox[0]?.from).toBe("Motor <orders@shop.example>");
  });

  it("throws on a provider error so the job is retried", async () => {
    await expect(new HttpEmailAdapter({ apiKey: "wrong", from: "a@b.test" }).send(email)).rejects.toBeInstanceOf(
      EmailProviderError,
    );
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("overloaded", { status: 503 })),
    );
    await expect(new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test" }).send(email)).rejects.toThrow(/503/);
  });

  it("sends the current traceparent", async () => {
    const trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    await runInTrace(continueTrace(trace), () =>
      new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test" }).send(email),
    );
    expect(provider.requests[0]?.headers.get("traceparent")).toMatch(
      /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
    );
  });

  it("retries a 5xx at once (the Idempotency-Key makes it safe) but not a 4xx", async () => {
    let failures = 1;
    const flaky = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) =>
      failures-- > 0 ? new Response("overloaded", { status: 503 }) : provider.handler(input, init),
    );
    vi.stubGlobal("fetch", flaky);
    await new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test", retry: { attempts: 3, baseMs: 1, capMs: 2 } }).send(
      email,
    );
    expect(flaky).toHaveBeenCalledTimes(2);
    expect(provider.mailbox).toHaveLength(1);
    const refusing = vi.fn(async () => new Response("bad request", { status: 422 }));
    vi.stubGlobal("fetch", refusing);
    await expect(
      new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test", retry: { attempts: 3, baseMs: 1, capMs: 2 } }).send(
        email,
      ),
    ).rejects.toThrow(/422/);
    expect(refusing).toHaveBeenCalledTimes(1);
  });

  it("treats a redirect as a failure instead of following it", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/" } })),
    );
    await expect(new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test" }).send(email)).rejects.toThrow(/302/);
  });

  it("gives up on a provider that does not answer in time", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (_input: RequestInfo | URL, init?: RequestInit) =>
          new Promise<Response>((_, reject) =>
            init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
          ),
      ),
    );
    await expect(
      new HttpEmailAdapter({ apiKey: API_KEY, from: "a@b.test", timeoutMs: 20 }).send(email),
    ).rejects.toThrow();
  });
});
