/**
 * Checks an answer against the OpenAPI document the Worker serves (/openapi.json, 3.1): the
 * status must be one the route declares, and a body must match the declared media type and
 * schema. The e2e HTTP helper runs it on every answer, so the document cannot drift from the code.
 * A method and path the document does not know may only answer a problem (404, 405, 413, 415…).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- walks raw OpenAPI JSON */
type Document = any;

export interface Answer {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

const PROBLEM = "application/problem+json";
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();
let registered: Document | undefined;

function validatorFor(document: Document, pointer: string) {
  if (registered !== document) {
    ajv.removeSchema("openapi");
    ajv.addSchema(document, "openapi");
    registered = document;
    compiled.clear();
  }
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The documented path template matching a concrete path; literal segments beat parameters. */
export function matchTemplate(document: Document, path: string): string | undefined {
  // the router matches the decoded path (`/v1/%61uth/login` is `/v1/auth/login`), and so does this
  const segments = path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  const candidates = Object.keys(document.paths ?? {}).filter((template) => {
    const parts = template.split("/");
    return (
      parts.length === segments.length && parts.every((part, at) => /^\{.+\}$/.test(part) || part === segments[at])
    );
  });
  const parameters = (template: string) => (template.match(/\{/g) ?? []).length;
  return candidates.sort((a, b) => parameters(a) - parameters(b))[0];
}

/** @returns what is wrong with the answer; empty when it matches the document */
export function contractViolations(document: Document, answer: Answer): string[] {
  const path = answer.path.split("?")[0] ?? "/";
  const method = answer.method.toLowerCase();
  const template = matchTemplate(document, path);
  const operation = template ? document.paths[template][method] : undefined;
  const mediaType = answer.contentType?.split(";")[0]?.trim() ?? null;
  if (!operation) {
    // HTML pages (the storefront, the console, /docs) are not part of the JSON API's contract
    if (mediaType === "text/html" && answer.status < 400) return [];
    if (answer.status >= 400 && answer.status < 500 && mediaType === PROBLEM)
      return checkBody(document, "/components/schemas/Problem", answer.body);
    return [`${answer.method} ${path} answered ${answer.status}, but the document has no such operation`];
  }
  const declared = operation.responses?.[String(answer.status)] ?? operation.responses?.default;
  if (!declared)
    return [
      `${answer.method} ${template} answered ${answer.status}, which its route does not declare ` +
        `(declared: ${Object.keys(operation.responses ?? {}).join(", ")})`,
    ];
  const content = declared.content as Record<string, unknown> | undefined;
  if (!content || answer.status === 304) return [];
  if (!mediaType || !(mediaType in content))
    return [
      `${answer.method} ${template} ${answer.status} answered ${mediaType}, declared: ${Object.keys(content).join(", ")}`,
    ];
  const status = answer.status in operation.responses ? answer.status : "default";
  const pointer = `/paths/${escape(template!)}/${method}/responses/${status}/content/${escape(mediaType)}/schema`;
  return checkBody(document, pointer, answer.body).map(
    (error) => `${answer.method} ${template} ${answer.status}: ${error}`,
  );
}

function checkBody(document: Document, pointer: string, body: unknown): string[] {
  const validate = validatorFor(document, pointer);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message} (${error.schemaPath})`);
}
