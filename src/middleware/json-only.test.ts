import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../test/helpers/http";

type OpenApi = { paths: Record<string, Record<string, { requestBody?: unknown }>> };

/** Every operation of the served contract that takes a JSON body, with its path parameters filled in. */
async function bodyOperations(): Promise<{ method: string; path: string }[]> {
  const document = await (await call("/openapi.json")).json<OpenApi>();
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.requestBody !== undefined)
      .map(([method]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x1") })),
  );
}

/** A Blob without a type: the request carries a body and no Content-Type header at all. */
function withoutContentType(method: string, path: string): Request {
  return new Request(`http://motor.test${path}`, {
    method,
    body: new Blob(['{"email":"a@example.test","code":"X"}']),
    headers: { "CF-Connecting-IP": "10.55.0.1" },
  });
}

describe("json-only", () => {
  it("answers 415 to a JSON-looking body without any Content-Type, on every operation that takes a body", async () => {
    const operations = await bodyOperations();
    expect(operations.length).toBeGreaterThan(20);
    for (const { method, path } of operations) {
      const request = withoutContentType(method, path);
      expect(request.headers.get("Content-Type")).toBeNull();
      expect((await exports.default.fetch(request)).status, `${method} ${path}`).toBe(415);
    }
  });

  it("answers 400 to a missing body where the contract requires one, and 201 to an empty POST /v1/carts (declared optional)", async () => {
    const created = await call("/v1/carts", { method: "POST", headers: { "CF-Connecting-IP": "10.55.0.2" } });
    expect(created.status).toBe(201);
    const { id } = await created.json<{ id: string }>();
    const patched = await call(`/v1/carts/${id}`, { method: "PATCH", headers: { "CF-Connecting-IP": "10.55.0.2" } });
    expect(patched.status).toBe(400);
    expect((await patched.json<{ errors: { path: string }[] }>()).errors).toEqual([
      { path: "(body)", message: "required" },
    ]);
    const document = await (
      await call("/openapi.json")
    ).json<{ paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> }>();
    expect(document.paths["/v1/carts"]?.post?.requestBody?.required).toBe(false);
    expect(document.paths["/v1/carts/{id}"]?.patch?.requestBody?.required).toBe(true);
  });
});
