/**
 * Human-readable text fields (names, titles, addresses, reasons): what people read in the shop,
 * the console and emails. Normalised to NFC (one spelling per visible string, so "é" typed two ways
 * is one value) and trimmed; refused (400) when they hold:
 * - C0/C1 control characters, NUL included (tab and line feeds only where a field is multi-line);
 * - bidirectional overrides, embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069,
 *   U+200E/U+200F, U+061C): they make "evil.exe" display as "exe.live" ("Trojan Source");
 * - zero-width and invisible formatting (U+200B, U+2060–U+2064, U+FEFF) and interlinear
 *   annotation (U+FFF9–U+FFFB), which let two different strings look identical (the joiners
 *   U+200C/U+200D stay: Persian, Indic scripts and emoji sequences need them);
 * - lone surrogates (not well-formed UTF-16: they break JSON consumers and email encoders).
 */
import * as z from "zod";

const SINGLE_LINE_UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/u;
const MULTI_LINE_UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/u;

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
