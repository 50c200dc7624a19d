import { describe, expect, it } from "vitest";
import { nullableIn30 } from "./openapi-document";

const money = { $ref: "#/components/schemas/Money" };

describe("the 3.0 contract's 'X or null'", () => {
  it("turns zod-to-openapi's anyOf [X, { nullable }] into allOf [X] with nullable, wherever it stands", () => {
    const document = { properties: { price: { anyOf: [money, { nullable: true }], description: "Unit price" } } };
    expect(nullableIn30(document)).toEqual({
      properties: { price: { allOf: [money], nullable: true, description: "Unit price" } },
    });
  });

  it("keeps anyOf for several other branches, and leaves a union without null as it is", () => {
    const several = { anyOf: [money, { type: "string" }, { nullable: true }] };
    expect(nullableIn30(several)).toEqual({ anyOf: [money, { type: "string" }], nullable: true });
    const plain = { items: [{ anyOf: [money, { type: "string" }] }] };
    expect(nullableIn30(plain)).toEqual(plain);
  });
});
