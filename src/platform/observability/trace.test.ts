import { describe, expect, it } from "vitest";
import { continueTrace, currentTraceparent, formatTraceparent, runInTrace, sampledIn, withTraceHeaders } from "./trace";

const CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("W3C trace context", () => {
  it("continues a valid traceparent with the same trace id, a new span and the caller as parent", () => {
    const trace = continueTrace(CALLER, "vendor=abc");
    expect(trace).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      sampled: true,
      tracestate: "vendor=abc",
    });
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.spanId).not.toBe("00f067aa0ba902b7");
    expect(formatTraceparent(trace)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${trace.spanId}-01`);
  });

  it("keeps the caller's unsampled flag", () => {
    expect(continueTrace(CALLER.replace(/01$/, "00")).sampled).toBe(false);
  });

  it.each([
    ["garbage", "not-a-traceparent"],
    ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["an all-zero parent id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["the forbidden version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["version 00 with extra fields", `${CALLER}-extra`],
    ["a short trace id", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01"],
  ])("starts a new trace instead of trusting %s", (_, header) => {
    const trace = continueTrace(header);
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(trace.parentSpanId).toBeUndefined();
  });

  it("drops an oversized tracestate rather than echoing it", () => {
    expect(continueTrace(CALLER, `v=${"x".repeat(600)}`).tracestate).toBeUndefined();
  });

  it("hands the current span to outbound headers inside a trace, and nothing outside one", async () => {
    const trace = continueTrace(CALLER, "vendor=abc");
    expect(withTraceHeaders({ a: "1" })).toEqual({ a: "1" });
    const inside = await runInTrace(trace, async () => {
      await Promise.resolve();
      return withTraceHeaders({ a: "1" });
    });
    expect(inside).toEqual({ a: "1", traceparent: formatTraceparent(trace), tracestate: "vendor=abc" });
    expect(currentTraceparent()).toBeUndefined();
  });

  it("samples by trace id: all or nothing per trace, about the asked share overall", () => {
    expect(sampledIn("4bf92f3577b34da6a3ce929d00000000", 0.1)).toBe(true);
    expect(sampledIn("4bf92f3577b34da6a3ce929dffffffff", 0.1)).toBe(false);
    const kept = Array.from({ length: 2000 }, () => continueTrace(undefined).traceId).filter((id) =>
      sampledIn(id, 0.25),
    ).length;
    expect(kept).toBeGreaterThan(350);
    expect(kept).toBeLessThan(650);
  });
});
