/**
 * RFC 9457 problem+json: the single place where errors become HTTP answers. No stack traces,
 * SQL or secrets ever leave: an unknown error is logged with the request id and answered as a
 * generic 500 that carries only that id.
 */
import { HTTPException } from "hono/http-exception";
import * as z from "zod";
import { AppError } from "./errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const TYPE_BASE = "https://motor.dev/problems/";

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;

export interface ProblemAnswer {
  problem: Problem;
  headers: Record<string, string>;
}

/** Hono's own exceptions (malformed JSON from its validator, body limits) keep their status. */
const httpTitles: Record<number, [string, string]> = {
  400: ["bad-request", "The request is malformed"],
  401: ["unauthorized", "Authentication is required"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  413: ["payload-too-large", "The request body is too large"],
  415: ["unsupported-media-type", "The request body must be JSON"],
};

export function toProblem(error: unknown, requestId: string): ProblemAnswer {
  if (error instanceof AppError) {
    return {
      problem: {
        ...error.extensions,
        type: TYPE_BASE + error.slug,
        title: error.title,
        status: error.status,
        ...(error.detail ? { detail: error.detail } : {}),
        requestId,
        ...(error.errors ? { errors: error.errors } : {}),
      },
      headers: error.headers ?? {},
    };
  }
  if (error instanceof HTTPException && error.status < 500) {
    const [slug, title] = httpTitles[error.status] ?? ["http-error", "The request failed"];
    return {
      problem: { type: TYPE_BASE + slug, title, status: error.status, detail: error.message || title, requestId },
      headers: {},
    };
  }
  return {
    problem: {
      type: TYPE_BASE + "internal",
      title: "Internal error",
      status: 500,
      detail: "Something went wrong on our side. Quote the request id when you contact support.",
      requestId,
    },
    headers: {},
  };
}

export function problemResponse(answer: ProblemAnswer, extraHeaders?: Headers): Response {
  const headers = new Headers(extraHeaders);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  for (const [name, value] of Object.entries(answer.headers)) headers.set(name, value);
  return new Response(JSON.stringify(answer.problem), { status: answer.problem.status, headers });
}
