// The hostile request set against wrangler dev: each answer is a 4xx problem (or the marked
// success), leaks nothing, and matches the OpenAPI document (checked by the request helper).
import { describe, expect, it } from "vitest";
import { HOSTILE_REQUESTS, hostileAnswerProblems } from "./hostile-requests.mjs";
import { request } from "./http";

describe("hostile requests over HTTP", () => {
  for (const hostile of HOSTILE_REQUESTS) {
    it(`answers ${hostile.name} safely`, async () => {
      const answer = await request(hostile.path, {
        method: hostile.method,
        headers: { "CF-Connecting-IP": "10.66.0.1", ...hostile.headers },
        body: hostile.body,
      });
      const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      expect(hostileAnswerProblems(hostile, { status: answer.status, headers: answer.headers, text })).toEqual([]);
    });
  }
});
