// The contract guard on fixtures: each breaking change the issue names is caught by openapi-diff
// against the committed snapshot, and each kind of addition passes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkContract } from "../../scripts/contract/check.mjs";
import { diffContracts, renderContract, SNAPSHOT } from "../../scripts/contract/contract.mjs";

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures edit raw OpenAPI JSON */
type Doc = any;
const snapshot: Doc = JSON.parse(readFileSync(SNAPSHOT, "utf8"));
const schemas = (doc: Doc) => doc.components.schemas;

// openapi-diff spends about a second per operation: each fixture keeps only the path it edits.
const PATHS = ["/health", "/ready", "/v1/products", "/v1/carts/{id}", "/v1/carts/{id}/items"];
const base: Doc = { ...snapshot, paths: Object.fromEntries(PATHS.map((path) => [path, snapshot.paths[path]])) };
const only = (doc: Doc, path: string): Doc => ({ ...doc, paths: path in doc.paths ? { [path]: doc.paths[path] } : {} });

/** Codes of the differences between the snapshot and the snapshot with one edit to `path`. */
async function codesOf(path: string, edit: (doc: Doc) => void) {
  const after = structuredClone(base);
  edit(after);
  const { breaking, nonBreaking } = await diffContracts(only(base, path), only(after, path));
  return { breaking: breaking.map((d) => d.code), nonBreaking: nonBreaking.map((d) => d.code) };
}

describe("breaking changes fail the contract check", () => {
  it("a removed path", async () => {
    expect((await codesOf("/ready", (doc) => delete doc.paths["/ready"])).breaking).toContain("path.remove");
  });

  it("a removed operation", async () => {
    expect((await codesOf("/v1/carts/{id}", (doc) => delete doc.paths["/v1/carts/{id}"].patch)).breaking).toContain(
      "method.remove",
    );
  });

  it("a removed response field", async () => {
    const { breaking } = await codesOf("/v1/products", (doc) => {
      delete schemas(doc).Product.properties.slug;
      schemas(doc).Product.required = schemas(doc).Product.required.filter((name: string) => name !== "slug");
    });
    expect(breaking).toContain("response.body.scope.add");
  });

  it("a response field whose type changes", async () => {
    expect(
      (await codesOf("/v1/products", (doc) => (schemas(doc).Product.properties.title.type = "integer"))).breaking,
    ).toContain("response.body.scope.add");
  });

  it("a narrowed request field", async () => {
    expect(
      (await codesOf("/v1/carts/{id}/items", (doc) => (schemas(doc).AddCartItem.properties.quantity.maximum = 10)))
        .breaking,
    ).toContain("request.body.scope.remove");
  });

  it("a new required request field", async () => {
    const { breaking } = await codesOf("/v1/carts/{id}/items", (doc) => {
      schemas(doc).AddCartItem.properties.giftWrap = { type: "boolean" };
      schemas(doc).AddCartItem.required.push("giftWrap");
    });
    expect(breaking).toContain("request.body.scope.remove");
  });

  it("a new required query parameter", async () => {
    const { breaking } = await codesOf("/v1/products", (doc) =>
      doc.paths["/v1/products"].get.parameters.push({
        name: "store",
        in: "query",
        required: true,
        schema: { type: "string" },
      }),
    );
    expect(breaking).toContain("request.parameter.required.add");
  });

  it("a query parameter that loses an enum value", async () => {
    const { breaking } = await codesOf("/v1/products", (doc) => {
      const sort = doc.paths["/v1/products"].get.parameters.find((p: Doc) => p.name === "sort");
      sort.schema.enum = ["newest", "title"];
    });
    expect(breaking).toContain("request.parameter.enum.remove");
  });

  it("a changed status code", async () => {
    const { breaking } = await codesOf("/health", (doc) => {
      const responses = doc.paths["/health"].get.responses;
      responses["201"] = responses["200"];
      delete responses["200"];
    });
    expect(breaking).toContain("response.status-code.remove");
  });
});

describe("additions pass the contract check", () => {
  // `seen`: openapi-diff reports the addition (it does not look at parameters at all)
  const expectCompatible = async (path: string, edit: (doc: Doc) => void, seen = true) => {
    const { breaking, nonBreaking } = await codesOf(path, edit);
    expect(breaking).toEqual([]);
    if (seen) expect(nonBreaking.length).toBeGreaterThan(0);
  };

  it("a new path", async () => {
    await expectCompatible(
      "/v1/wishlists",
      (doc) => (doc.paths["/v1/wishlists"] = { get: { responses: { 200: { description: "Wishlists" } } } }),
    );
  });

  it("a new operation on an existing path", async () => {
    await expectCompatible(
      "/health",
      (doc) => (doc.paths["/health"].head = { responses: { 200: { description: "Alive" } } }),
    );
  });

  it("a new response field", async () => {
    await expectCompatible("/v1/products", (doc) => (schemas(doc).Product.properties.badge = { type: "string" }));
  });

  it("a new optional request field", async () => {
    await expectCompatible(
      "/v1/carts/{id}/items",
      (doc) => (schemas(doc).AddCartItem.properties.note = { type: "string", maxLength: 200 }),
    );
  });

  it("a new optional query parameter", async () => {
    await expectCompatible(
      "/v1/products",
      (doc) =>
        doc.paths["/v1/products"].get.parameters.push({
          name: "brand",
          in: "query",
          required: false,
          schema: { type: "string" },
        }),
      false,
    );
  });

  it("a widened request field", async () => {
    await expectCompatible(
      "/v1/carts/{id}/items",
      (doc) => (schemas(doc).AddCartItem.properties.quantity.maximum = 1000),
    );
  });

  it("no change at all", async () => {
    const products = only(base, "/v1/products");
    expect(await diffContracts(products, structuredClone(products))).toEqual({
      breaking: [],
      nonBreaking: [],
      unclassified: [],
    });
  });
});

describe("contract:check on the code as it renders now", () => {
  // The real rendering of the code, against snapshots edited as if the code had changed the
  // other way: a field the snapshot promises and the code lacks is a removal.
  const current = renderContract();
  const health = (doc: Doc) => JSON.stringify({ ...doc, paths: { "/health": doc.paths["/health"] } }, null, 2);

  it("fails when the code's /health answer lost a field the snapshot promises", async () => {
    const promised = structuredClone(snapshot);
    schemas(promised).Health.properties.uptime = { type: "number" };
    schemas(promised).Health.required.push("uptime");
    const verdict = await checkContract(health(promised), health(JSON.parse(current)));
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(
      /breaking change\(s\) to the v1 contract:\n {2}response\.body\.scope\.add: paths\.\/health/,
    );
  });

  it("passes when the code adds a path the snapshot does not have yet, and says to update it", async () => {
    const older = structuredClone(snapshot);
    delete older.paths["/ready"];
    const code = JSON.parse(current);
    const only2 = (doc: Doc) =>
      JSON.stringify({
        ...doc,
        paths: { "/health": doc.paths["/health"], ...(doc.paths["/ready"] ? { "/ready": doc.paths["/ready"] } : {}) },
      });
    const verdict = await checkContract(only2(older), only2(code));
    expect(verdict).toEqual({
      ok: true,
      message: expect.stringMatching(/compatible additions not yet in the snapshot[\s\S]*path\.add/),
    });
  });

  it("passes at once when the code renders exactly the snapshot", async () => {
    expect(await checkContract(readFileSync(SNAPSHOT, "utf8"), current)).toEqual({
      ok: true,
      message: "contract:check: the code matches contract/openapi.v1.json",
    });
  });
});
