/**
 * The one error hierarchy of Motor. Services throw these; `problem.ts` maps them to RFC 9457
 * answers in one place. Anything else that escapes is an unexpected fault and becomes a bare 500.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem document (e.g. the SKUs that are out of stock). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  abstract readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(options: AppErrorOptions = {}) {
    super(options.detail, { cause: options.cause });
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}

/** The request is malformed: bad JSON, wrong types, missing or unknown fields. */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly slug = "validation";
  readonly title = "Your request is not valid";
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly slug = "unauthorized";
  readonly title = "Authentication is required";
}

export class PaymentRequiredError extends AppError {
  readonly status = 402;
  readonly slug = "payment-declined";
  readonly title = "The payment was declined";
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly slug = "forbidden";
  readonly title = "You are not allowed to do this";
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly slug = "not-found";
  readonly title = "Not found";
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly slug = "conflict";
  readonly title = "The request conflicts with the current state";
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly slug = "payload-too-large";
  readonly title = "The request body is too large";
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly slug = "unsupported-media-type";
  readonly title = "The request body must be JSON";
}

/** Well-formed but semantically impossible (a cart that cannot be checked out, a reused key with another body). */
export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly slug = "unprocessable";
  readonly title = "The request cannot be processed";
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly slug = "rate-limited";
  readonly title = "Too many requests";
}

/** A dependency (payment provider, D1, a Durable Object) failed in a way the client may retry. */
export class DependencyError extends AppError {
  readonly status = 503;
  readonly slug = "dependency-unavailable";
  readonly title = "A dependency is unavailable";
}
