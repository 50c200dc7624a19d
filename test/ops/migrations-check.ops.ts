import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkMigrations } from "../../scripts/migrations/check.mjs";

const FIXTURES = new URL("./fixtures/migrations/", import.meta.url).pathname;
const dirs: string[] = [];

/** A migrations folder holding the given fixtures as 0008_…, 0009_… */
function folderWith(...fixtures: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "motor-migrations-"));
  dirs.push(dir);
  fixtures.forEach((fixture, at) =>
    copyFileSync(
      join(FIXTURES, fixture),
      join(dir, `${String(8 + at).padStart(4, "0")}_${fixture.replace(/-/g, "_")}`),
    ),
  );
  return dir;
}

afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("migrations:check", () => {
  it("passes the repository's migrations", () => {
    expect(checkMigrations(new URL("../../migrations", import.meta.url).pathname)).toEqual([]);
  });

  it("accepts an additive migration (new table, nullable column, NOT NULL with a DEFAULT)", () => {
    expect(checkMigrations(folderWith("additive.sql"))).toEqual([]);
  });

  it("refuses a DROP without the marker", () => {
    const problems = checkMigrations(folderWith("drop-unmarked.sql"));
    expect(problems.join("\n")).toMatch(/0008_drop_unmarked\.sql:2: drop:/);
    expect(problems.join("\n")).toMatch(/needs the `-- @destructive` marker/);
  });

  it("accepts a DROP carrying the marker and its expand/contract plan", () => {
    expect(checkMigrations(folderWith("drop-marked.sql"))).toEqual([]);
  });

  it("refuses a marker without a written expand/contract plan", () => {
    const problems = checkMigrations(folderWith("drop-marker-without-plan.sql")).join("\n");
    expect(problems).toMatch(/an `-- expand: …` line/);
    expect(problems).toMatch(/a `-- contract: …` line/);
  });

  it("refuses a RENAME without the marker", () => {
    expect(checkMigrations(folderWith("rename-unmarked.sql")).join("\n")).toMatch(
      /rename: ALTER TABLE `carts` RENAME COLUMN/,
    );
  });

  it("refuses a NOT NULL column added without a DEFAULT", () => {
    expect(checkMigrations(folderWith("not-null-without-default.sql")).join("\n")).toMatch(
      /not-null-without-default: ALTER TABLE `users` ADD `locale`/,
    );
  });

  it("ignores the words in comments and string literals", () => {
    expect(checkMigrations(folderWith("words-in-comments-and-strings.sql"))).toEqual([]);
  });

  it("does not take a marker written inside a string literal", () => {
    expect(checkMigrations(folderWith("marker-inside-a-string.sql")).join("\n")).toMatch(/drop: DROP TABLE `emails`/);
  });

  it("refuses two migrations sharing a number", () => {
    const dir = folderWith("additive.sql");
    copyFileSync(join(FIXTURES, "additive.sql"), join(dir, "0008_again.sql"));
    expect(checkMigrations(dir).join("\n")).toMatch(/number 0008 is already used/);
  });
});
