import { describe, expect, it } from "vitest";
import { armFault, faultsFromHeader, SimulatedCrash } from "./faults";

describe("test-only fault injection", () => {
  it.each(["production", "staging"])("is refused in %s with a 403, whatever the point", (appEnv) => {
    expect(() => faultsFromHeader(appEnv, "after_charge")).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("is armed in local and test deployments, and absent without the header", () => {
    expect(faultsFromHeader("test", "after_charge")).toBeDefined();
    expect(faultsFromHeader("local", "fail:order_batch")).toBeDefined();
    expect(faultsFromHeader("production", undefined)).toBeUndefined();
  });

  it("refuses an unknown point with a 400", () => {
    expect(() => faultsFromHeader("test", "after_everything")).toThrow(expect.objectContaining({ status: 400 }));
  });

  it("fires once, at its own point only", () => {
    const faults = armFault("after_charge");
    expect(() => faults.crash("after_reserve")).not.toThrow();
    expect(() => faults.crash("after_charge")).toThrow(SimulatedCrash);
    expect(() => faults.crash("after_charge")).not.toThrow();
    const outage = armFault("fail:order_batch");
    expect(() => outage.fail("fail:order_batch")).toThrow(/D1_ERROR/);
    expect(() => outage.fail("fail:order_batch")).not.toThrow();
  });
});
