/**
 * Human-readable text fields (names, titles, addresses, reasons), as people read them in the shop,
 * the console and emails: normalised to NFC and trimmed, and refused (400) when they hold a character
 * of the sets below, or a lone surrogate (not well-formed UTF-16: it breaks JSON consumers and email
 * encoders).
 */
import * as z from "zod";

/*
 * What both sets refuse:
 * - C0/C1 control characters, NUL included (tab and line feeds only where a field is multi-line);
 * - bidirectional overrides, embeddings, isolates and marks (U+061C, U+200E/U+200F, U+202A–U+202E,
 *   U+2066–U+2069): they make "evil.exe" display as "exe.live" ("Trojan Source");
 * - zero-width and invisible formatting (U+200B, U+2060–U+2064, U+FEFF) and interlinear annotation
 *   (U+FFF9–U+FFFB), which let two different strings look identical (the joiners U+200C/U+200D
 *   stay: Persian, Indic scripts and emoji sequences need them).
 */
const SINGLE_LINE_UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x1F\x7F-\x9F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/u;
const MULTI_LINE_UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/u;

export function isSafeText(value: string, options: { multiline?: boolean } = {}): boolean {
  if (!value.isWellFormed()) return false;
  return !(options.multiline ? MULTI_LINE_UNSAFE : SINGLE_LINE_UNSAFE).test(value);
}

const MESSAGE = "must not contain control, bidirectional-override or invisible characters";

/** A human-readable string of `min`–`max` characters (after NFC and trimming). */
export function humanText(min: number, max: number, options: { multiline?: boolean } = {}) {
  // well-formedness first: normalize() and trim() must never see a lone surrogate
  return z
    .string()
    .refine((value) => value.isWellFormed(), { message: MESSAGE, abort: true })
    .normalize("NFC")
    .trim()
    .min(min)
    .max(max)
    .refine((value) => isSafeText(value, options), MESSAGE);
}
