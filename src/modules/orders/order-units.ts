/** Counting an order's units: refunded, shipped, and still to ship (plain arithmetic, no I/O). */
import type { LineQuantity } from "../../db/schema";

/** Units named by refunds or parcels, by SKU. */
export function unitsBySku(records: { lines: LineQuantity[] | null }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const record of records)
    for (const line of record.lines ?? []) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  return units;
}

/** Units of each line still to ship: neither shipped nor refunded. Lines with none left are left out. */
export function unitsToShip(
  lines: LineQuantity[],
  parcels: { lines: LineQuantity[] | null }[],
  refunds: { lines: LineQuantity[] | null }[],
): LineQuantity[] {
  const shipped = unitsBySku(parcels);
  const refunded = unitsBySku(refunds);
  return lines
    .map((line) => ({
      sku: line.sku,
      quantity: Math.max(0, line.quantity - (shipped.get(line.sku) ?? 0) - (refunded.get(line.sku) ?? 0)),
    }))
    .filter((line) => line.quantity > 0);
}

/** Units with the title the buyer saw, for an email: the order line's, else the SKU itself. */
export function withTitles(
  units: LineQuantity[],
  lines: { sku: string; title: string }[],
): (LineQuantity & { title: string })[] {
  return units.map((unit) => ({ ...unit, title: lines.find((line) => line.sku === unit.sku)?.title ?? unit.sku }));
}
