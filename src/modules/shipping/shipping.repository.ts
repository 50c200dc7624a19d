/** Shipping zones, options and rates (drizzle only); writes are statements for an audited batch. */
import { and, asc, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { shippingOptions, shippingRates, shippingZoneCountries, shippingZones } from "../../db/schema";
import { newId } from "../../platform/ids";
import { inJsonList } from "../catalog/catalog.repository";
import type { RateInput } from "./shipping.schemas";
import { slices } from "../../db/slices";

export type ZoneRow = typeof shippingZones.$inferSelect;
export type OptionRow = typeof shippingOptions.$inferSelect;
export type RateRow = typeof shippingRates.$inferSelect;

export async function readZones(db: Database, zoneId?: string) {
  const where = zoneId === undefined ? undefined : eq(shippingZones.id, zoneId);
  const [zones, countries] = await db.batch([
    db.select().from(shippingZones).where(where).orderBy(asc(shippingZones.name), asc(shippingZones.id)),
    db
      .select()
      .from(shippingZoneCountries)
      .where(zoneId === undefined ? undefined : eq(shippingZoneCountries.zoneId, zoneId))
      .orderBy(asc(shippingZoneCountries.country)),
  ]);
  return { zones, countries };
}

/** Countries of `countries` that already belong to a zone other than `exceptZoneId`. */
export async function takenCountries(db: Database, countries: readonly string[], exceptZoneId: string | null) {
  return db
    .select()
    .from(shippingZoneCountries)
    .where(
      and(
        inJsonList(shippingZoneCountries.country, countries),
        exceptZoneId === null ? undefined : ne(shippingZoneCountries.zoneId, exceptZoneId),
      ),
    );
}

export function insertZone(db: Database, row: ZoneRow) {
  return db.insert(shippingZones).values(row);
}

export function updateZone(db: Database, id: string, patch: Partial<ZoneRow>) {
  return db.update(shippingZones).set(patch).where(eq(shippingZones.id, id));
}

export function deleteZone(db: Database, id: string) {
  return db.delete(shippingZones).where(eq(shippingZones.id, id));
}

export function replaceZoneCountries(db: Database, zoneId: string, countries: readonly string[]) {
  const remove = db.delete(shippingZoneCountries).where(eq(shippingZoneCountries.zoneId, zoneId));
  return [
    remove,
    ...slices(countries, 40).map((slice) =>
      db.insert(shippingZoneCountries).values(slice.map((country) => ({ country, zoneId }))),
    ),
  ];
}

export async function readOptions(db: Database, filter: { zoneId?: string; optionId?: string }) {
  const where = and(
    filter.zoneId === undefined ? undefined : eq(shippingOptions.zoneId, filter.zoneId),
    filter.optionId === undefined ? undefined : eq(shippingOptions.id, filter.optionId),
  );
  const [options, rates] = await db.batch([
    db
      .select()
      .from(shippingOptions)
      .where(where)
      .orderBy(asc(shippingOptions.zoneId), asc(shippingOptions.name), asc(shippingOptions.id)),
    db
      .select({ rate: shippingRates })
      .from(shippingRates)
      .innerJoin(shippingOptions, eq(shippingOptions.id, shippingRates.optionId))
      .where(where)
      .orderBy(asc(shippingRates.currency), asc(shippingRates.minWeightGrams)),
  ]);
  return { options, rates: rates.map((row) => row.rate) };
}

export function insertOption(db: Database, row: OptionRow) {
  return db.insert(shippingOptions).values(row);
}

export function updateOption(db: Database, id: string, patch: Partial<OptionRow>) {
  return db.update(shippingOptions).set(patch).where(eq(shippingOptions.id, id));
}

export function deleteOption(db: Database, id: string) {
  return db.delete(shippingOptions).where(eq(shippingOptions.id, id));
}

export function replaceRates(db: Database, optionId: string, rates: readonly RateInput[]) {
  const remove = db.delete(shippingRates).where(eq(shippingRates.optionId, optionId));
  return [
    remove,
    ...slices(rates, 10).map((slice) =>
      db.insert(shippingRates).values(slice.map((rate) => ({ id: newId("shr"), optionId, ...rate }))),
    ),
  ];
}

export async function zoneHasOptions(db: Database, zoneId: string): Promise<boolean> {
  return (
    (
      await db
        .select({ id: shippingOptions.id })
        .from(shippingOptions)
        .where(eq(shippingOptions.zoneId, zoneId))
        .limit(1)
    ).length > 0
  );
}
