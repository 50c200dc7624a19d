// The restore drill's verdict: a table whose rows or content differ is named.
import { describe, expect, it } from "vitest";
import { compareDigests } from "../../scripts/backup/digest.mjs";

const source = { users: { rows: 2, sha256: "a" }, orders: { rows: 1, sha256: "b" } };

describe("restore drill comparison", () => {
  it("passes identical tables", () => {
    expect(compareDigests(source, structuredClone(source))).toEqual([]);
  });

  it("names a table with missing rows, changed content, or missing altogether", () => {
    expect(compareDigests(source, { users: { rows: 1, sha256: "a" } })).toEqual([
      "users: 1 rows restored, 2 in the source",
      "orders: missing from the restored database",
    ]);
    expect(compareDigests(source, { users: { rows: 2, sha256: "x" }, orders: source.orders })).toEqual([
      "users: same row count, different content",
    ]);
  });
});
