/**
 * The tests run the modules the Worker bundle deploys: wrangler.toml's [alias] shims are applied
 * by vitest.config.ts too. Each test here would pass against the full packages only if that wiring
 * broke, and then fail.
 */
import * as honoZodOpenApi from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createRouter } from "../openapi";

describe("the bundle's shims, as the tests see them", () => {
  it("hands @hono/zod-openapi a `z` that holds ZodType and refuses anything else", () => {
    expect(honoZodOpenApi.z.ZodType).toBe(z.ZodType);
    expect(() => honoZodOpenApi.z.object).toThrow(/import \* as z from "zod"/);
  });

  it("leaves zod's translations out", () => {
    expect(Object.keys(z.locales)).toEqual([]);
  });

  it("leaves zod's JSON Schema conversion out, and keeps the checks schemas report", () => {
    expect(() => z.string().toJSONSchema()).toThrow(/not part of the Motor bundle/);
    expect(() => z.toJSONSchema(z.string())).toThrow(/not part of the Motor bundle/);
    const name = z.string().min(2).max(80);
    expect([name.minLength, name.maxLength]).toEqual([2, 80]);
    expect(z.email().format).toBe("email");
  });

  it("leaves the OpenAPI document generators out", () => {
    expect(() => createRouter().getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } })).toThrow(
      /generated at build time/,
    );
    expect(() => createRouter().getOpenAPIDocument({ openapi: "3.0.3", info: { title: "t", version: "1" } })).toThrow(
      /generated at build time/,
    );
  });
});
