// The DAST verdict on one answer: each kind of finding is reported.
import { describe, expect, it } from "vitest";
import { hostileAnswerProblems } from "../e2e/hostile-requests.mjs";

const hostile = { name: "malformed JSON", method: "POST", path: "/v1/auth/login", status: 400 };
const safeHeaders = () =>
  new Headers({ "content-type": "application/problem+json", "x-content-type-options": "nosniff" });

describe("hostile answer checks", () => {
  it("accept a 4xx problem with the security headers", () => {
    expect(hostileAnswerProblems(hostile, { status: 400, headers: safeHeaders(), text: '{"status":400}' })).toEqual([]);
  });

  it("report a 5xx, a wrong status, a non-problem 4xx, a leaked stack and a missing header", () => {
    expect(hostileAnswerProblems(hostile, { status: 500, headers: safeHeaders(), text: "{}" })[0]).toMatch(
      /answered 500/,
    );
    expect(hostileAnswerProblems(hostile, { status: 422, headers: safeHeaders(), text: "{}" })[0]).toMatch(
      /expected 400/,
    );
    expect(
      hostileAnswerProblems(hostile, {
        status: 400,
        headers: new Headers({ "content-type": "text/html", "x-content-type-options": "nosniff" }),
        text: "",
      })[0],
    ).toMatch(/not problem\+json/);
    expect(
      hostileAnswerProblems(hostile, {
        status: 400,
        headers: safeHeaders(),
        text: "Error: D1_ERROR: no such table",
      })[0],
    ).toMatch(/leaks internals/);
    expect(
      hostileAnswerProblems(hostile, {
        status: 400,
        headers: new Headers({ "content-type": "application/problem+json" }),
        text: "{}",
      })[0],
    ).toMatch(/nosniff/);
  });
});
