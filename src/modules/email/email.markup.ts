/** HTML helpers for templates: every piece of user content goes through `escapeHtml`. */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export { formatMoney } from "../../platform/money";

/** The shared frame; `body` is already-escaped HTML. */
export function layout(title: string, body: string): string {
  return (
    `<!doctype html><html><head><meta ` +
    `charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}<p>— ` +
    `Motor</p></body></html>`
  );
}

/** An address as the lines a label would show (empty parts left out). */
export function addressLines(address: {
  name?: string | null;
  company?: string | null;
  line1?: string | null;
  line2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  region?: string | null;
  country: string;
  phone?: string | null;
}): string[] {
  const place = [address.postalCode, address.city, address.region].filter(Boolean).join(" ");
  return [
    address.name,
    address.company,
    address.line1,
    address.line2,
    place,
    address.country,
    address.phone ? `Phone: ${address.phone}` : null,
  ].filter((part): part is string => Boolean(part));
}
