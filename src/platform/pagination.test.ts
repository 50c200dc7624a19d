import * as z from "zod";
import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors";
import { decodeCursor, encodeCursor, toPage } from "./pagination";

const cursorSchema = z.object({ id: z.string() });

describe("cursors", () => {
  it("round-trips a cursor", () => {
    expect(decodeCursor(encodeCursor({ id: "prod_1" }), cursorSchema)).toEqual({ id: "prod_1" });
  });

  it.each(["not-base64!!", encodeCursor({ other: 1 }), encodeCursor("x"), "e30", "%%%"])(
    "rejects the tampered cursor %s as a validation error",
    (cursor) => {
      expect(() => decodeCursor(cursor, cursorSchema)).toThrow(ValidationError);
    },
  );

  it("splits limit + 1 rows into a page and a next cursor, and ends with null", () => {
    const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const first = toPage(
      rows,
      2,
      (row) => row.id,
      (row) => ({ id: row.id }),
    );
    expect(first.data).toEqual(["a", "b"]);
    expect(decodeCursor(first.nextCursor ?? "", cursorSchema)).toEqual({ id: "b" });
    expect(
      toPage(
        rows.slice(2),
        2,
        (row) => row.id,
        (row) => row,
      ).nextCursor,
    ).toBeNull();
  });
});
