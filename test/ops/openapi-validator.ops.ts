// The e2e answer validator on a small hand-written 3.1 document: each rule it enforces fails a
// wrong answer and passes a right one.
import { describe, expect, it } from "vitest";
import { contractViolations, matchTemplate } from "../e2e/openapi-validator";

const problem = {
  type: "object",
  properties: { status: { type: "integer" }, title: { type: "string" } },
  required: ["status", "title"],
};
const document = {
  openapi: "3.1.0",
  components: {
    schemas: {
      Problem: problem,
      Product: {
        type: "object",
        properties: { id: { type: "string" }, price: { type: ["integer", "null"] } },
        required: ["id", "price"],
      },
    },
  },
  paths: {
    "/v1/products/{idOrSlug}": {
      get: {
        responses: {
          200: {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Product" } } },
          },
          304: { description: "not modified" },
          404: {
            description: "missing",
            content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
          },
        },
      },
    },
    "/v1/products/search": { get: { responses: { 200: { description: "ok" } } } },
  },
};
const answer = {
  method: "GET",
  path: "/v1/products/tee",
  status: 200,
  contentType: "application/json",
  body: { id: "tee", price: 1999 },
};
const problemAnswer = { contentType: "application/problem+json", body: { status: 404, title: "Not Found" } };

describe("the e2e answer validator", () => {
  it("accepts an answer that matches its route", () => {
    expect(contractViolations(document, answer)).toEqual([]);
  });

  it("refuses a status the route does not declare", () => {
    expect(contractViolations(document, { ...answer, status: 201 })[0]).toMatch(
      /answered 201, which its route does not declare/,
    );
  });

  it("refuses a body that breaks the schema, through $ref", () => {
    expect(contractViolations(document, { ...answer, body: { id: "tee", price: "19.99" } })[0]).toMatch(
      /body\/price must be integer,null/,
    );
  });

  it("refuses a media type the route does not declare", () => {
    expect(contractViolations(document, { ...answer, contentType: "text/html" })[0]).toMatch(/answered text\/html/);
  });

  it("checks problem answers against the Problem schema", () => {
    expect(contractViolations(document, { ...answer, status: 404, ...problemAnswer })).toEqual([]);
    expect(
      contractViolations(document, { ...answer, status: 404, ...problemAnswer, body: { title: "no status" } }),
    ).not.toEqual([]);
  });

  it("accepts a 304 without a body", () => {
    expect(contractViolations(document, { ...answer, status: 304, contentType: null, body: null })).toEqual([]);
  });

  it("lets an unknown method or path answer only a problem", () => {
    expect(contractViolations(document, { ...answer, method: "POST", status: 415, ...problemAnswer })).toEqual([]);
    expect(contractViolations(document, { ...answer, path: "/v1/nope", status: 200 })[0]).toMatch(/no such operation/);
  });

  it("prefers the literal path segment over a parameter", () => {
    expect(matchTemplate(document, "/v1/products/search")).toBe("/v1/products/search");
    expect(matchTemplate(document, "/v1/products/tee")).toBe("/v1/products/{idOrSlug}");
  });
});
