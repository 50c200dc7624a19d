/**
 * Shipping configuration for merchants: zones (which countries) and their options (with rates).
 * Carts read it from D1 on every pricing, so a change is what the next reader sees; a cart whose
 * chosen option is deactivated, deleted or moved out of its zone gets the
 * `shipping_option_unavailable` blocker (never a silent swap). Each write commits with its audit row.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { Currency } from "../../platform/money";
import { commitAudited, type Actor } from "../audit/audit.service";
import * as repo from "./shipping.repository";
import type {
  CreateOptionInput,
  CreateZoneInput,
  OptionView,
  UpdateOptionInput,
  UpdateZoneInput,
  ZoneView,
} from "./shipping.schemas";

async function zoneViews(db: Database, zoneId?: string): Promise<ZoneView[]> {
  const { zones, countries } = await repo.readZones(db, zoneId);
  return zones.map((zone) => ({
    id: zone.id,
    name: zone.name,
    countries: countries.filter((entry) => entry.zoneId === zone.id).map((entry) => entry.country),
  }));
}

export async function listZones(db: Database) {
  return { data: await zoneViews(db) };
}

async function requireZone(db: Database, id: string): Promise<ZoneView> {
  const [zone] = await zoneViews(db, id);
  if (!zone) throw new NotFoundError({ detail: `No shipping zone ${id}` });
  return zone;
}

/** 409 naming the countries another zone already has (a country resolves to one zone). */
async function assertCountriesFree(db: Database, countries: readonly string[], zoneId: string | null): Promise<void> {
  const taken = await repo.takenCountries(db, countries, zoneId);
  if (taken.length > 0)
    throw new ConflictError({
      detail: `Already in another zone: ${taken.map((entry) => entry.country).join(", ")}`,
      extensions: { countries: taken.map((entry) => entry.country) },
    });
}

/** Commits; a lost race on a country (primary key) is the same 409. */
async function commitZone(
  db: Database,
  actor: Actor,
  entry: { action: string; subject: string; details: Record<string, unknown> },
  statements: BatchItem<"sqlite">[],
) {
  try {
    await commitAudited(db, actor, entry, statements);
  } catch (error) {
    if (isUniqueViolation(error, "shipping_zone_countries.country"))
      throw new ConflictError({ detail: "A country in this zone was just added to another zone" });
    throw error;
  }
}

export async function createZone(db: Database, actor: Actor, input: CreateZoneInput): Promise<ZoneView> {
  await assertCountriesFree(db, input.countries, null);
  const now = Date.now();
  const id = newId("shz");
  await commitZone(db, actor, { action: "shipping.zone.created", subject: id, details: { ...input } }, [
    repo.insertZone(db, { id, name: input.name, createdAt: now, updatedAt: now }),
    ...repo.replaceZoneCountries(db, id, input.countries),
  ]);
  return { id, ...input };
}

export async function updateZone(db: Database, actor: Actor, id: string, patch: UpdateZoneInput): Promise<ZoneView> {
  const before = await requireZone(db, id);
  if (patch.countries) await assertCountriesFree(db, patch.countries, id);
  await commitZone(db, actor, { action: "shipping.zone.updated", subject: id, details: { ...patch } }, [
    repo.updateZone(db, id, { ...(patch.name ? { name: patch.name } : {}), updatedAt: Date.now() }),
    ...(patch.countries ? repo.replaceZoneCountries(db, id, patch.countries) : []),
  ]);
  return { ...before, ...patch };
}

export async function deleteZone(db: Database, actor: Actor, id: string): Promise<void> {
  await requireZone(db, id);
  if (await repo.zoneHasOptions(db, id))
    throw new ConflictError({ detail: "The zone still has shipping options; delete or move them first" });
  await commitAudited(db, actor, { action: "shipping.zone.deleted", subject: id }, [repo.deleteZone(db, id)]);
}

async function optionViews(db: Database, filter: { zoneId?: string; optionId?: string }): Promise<OptionView[]> {
  const { options, rates } = await repo.readOptions(db, filter);
  return options.map((option) => ({
    id: option.id,
    zoneId: option.zoneId,
    name: option.name,
    estimatedDays: option.estimatedDays,
    active: option.active,
    rates: rates
      .filter((rate) => rate.optionId === option.id)
      .map(({ currency, minWeightGrams, maxWeightGrams, amount, freeAboveAmount }) => ({
        currency: currency as Currency,
        minWeightGrams,
        maxWeightGrams,
        amount,
        freeAboveAmount,
      })),
  }));
}

export async function listOptions(db: Database, zoneId?: string) {
  return { data: await optionViews(db, { zoneId }) };
}

export async function getOption(db: Database, id: string): Promise<OptionView> {
  const [option] = await optionViews(db, { optionId: id });
  if (!option) throw new NotFoundError({ detail: `No shipping option ${id}` });
  return option;
}

export async function createOption(db: Database, actor: Actor, input: CreateOptionInput): Promise<OptionView> {
  const [zone] = await zoneViews(db, input.zoneId);
  if (!zone)
    throw new UnprocessableError({
      detail: `No shipping zone ${input.zoneId}`,
      errors: [{ path: "zoneId", message: "unknown zone" }],
    });
  const now = Date.now();
  const id = newId("shpo");
  await commitAudited(
    db,
    actor,
    { action: "shipping.option.created", subject: id, details: { zoneId: input.zoneId, name: input.name } },
    [
      repo.insertOption(db, {
        id,
        zoneId: input.zoneId,
        name: input.name,
        estimatedDays: input.estimatedDays,
        active: input.active,
        createdAt: now,
        updatedAt: now,
      }),
      ...repo.replaceRates(db, id, input.rates),
    ],
  );
  return getOption(db, id);
}

export async function updateOption(
  db: Database,
  actor: Actor,
  id: string,
  patch: UpdateOptionInput,
): Promise<OptionView> {
  await getOption(db, id);
  const { rates, ...fields } = patch;
  await commitAudited(
    db,
    actor,
    {
      action: patch.active === false ? "shipping.option.deactivated" : "shipping.option.updated",
      subject: id,
      details: { fields: Object.keys(patch) },
    },
    [
      repo.updateOption(db, id, { ...fields, updatedAt: Date.now() }),
      ...(rates ? repo.replaceRates(db, id, rates) : []),
    ],
  );
  return getOption(db, id);
}

export async function deleteOption(db: Database, actor: Actor, id: string): Promise<void> {
  await getOption(db, id);
  await commitAudited(db, actor, { action: "shipping.option.deleted", subject: id }, [repo.deleteOption(db, id)]);
}
