// The guard of docs/isolate-state.md: module-level state holds plain data only, and every piece of
// it is listed (with why it is safe) on that page.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ioHolders, isolateState } from "../../scripts/checks/isolate-state.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const state = isolateState(ROOT);

/** `file name` of each row of the page's table (a row may name several, `a`, `b`). */
function documented(): Set<string> {
  const rows = readFileSync(`${ROOT}docs/isolate-state.md`, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| `src/"));
  return new Set(
    rows.flatMap((row) => {
      const [, file = "", names = ""] = row.split("|").map((cell) => cell.trim());
      return [...names.matchAll(/`([^`]+)`/g)].map((match) => `${file.replaceAll("`", "")} ${match[1]}`);
    }),
  );
}

describe("isolate-level state", () => {
  it("holds no I/O object: no promise, stub, session, statement, stream, request or response", () => {
    expect(ioHolders(state)).toEqual([]);
  });

  it("is all listed in docs/isolate-state.md, and the page lists nothing that is gone", () => {
    const found = new Set(state.found.map(({ file, name }) => `${file} ${name}`));
    const listed = documented();
    expect([...found].filter((entry) => !listed.has(entry))).toEqual([]);
    expect([...listed].filter((entry) => !found.has(entry))).toEqual([]);
  });

  it("finds the shapes it guards (a scan that finds nothing would pass anything)", () => {
    const names = state.found.map(({ name }) => name);
    expect(names).toEqual(expect.arrayContaining(["leases", "app", "breakersOf", "minimum", "rings"]));
    expect(state.found.find(({ name }) => name === "leases")?.classes).toContain("LeaseBook");
  });
});
