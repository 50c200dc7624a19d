import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createStockedSku,
  inventoryRow,
  sellInD1,
  setOnHandInD1,
  settleMirror,
  testDb,
} from "../../../test/helpers/inventory";
import { createDatabase } from "../../db/client";
import { newId } from "../../platform/ids";
import { ServerTimings, timedD1 } from "../../platform/timing";
import {
  availableBySku,
  commitStock,
  refreshOnHand,
  releaseStock,
  reserveStock,
  stockLockFor,
} from "./inventory.service";

const reserved = (sku: string) => stockLockFor(env, sku).reserved();

describe("reserveStock", () => {
  it("reserves every SKU of a cart and mirrors the held units into D1", async () => {
    const [a, b] = [await createStockedSku(5), await createStockedSku(5)];
    const result = await reserveStock(
      env,
      newId("chk"),
      [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ],
      60_000,
    );
    expect(result).toEqual({ ok: true });
    expect([(await inventoryRow(a))?.reserved, (await inventoryRow(b))?.reserved]).toEqual([2, 3]);
    expect(await availableBySku(testDb(), [a, b])).toEqual(
      new Map([
        [a, 3],
        [b, 2],
      ]),
    );
  });

  it("rolls back the SKUs already reserved when one is short, and names every short SKU", async () => {
    const first = await createStockedSku(5, "A");
    const short = await createStockedSku(1, "B");
    const alsoShort = await createStockedSku(0, "C");
    const result = await reserveStock(
      env,
      newId("chk"),
      [
        { sku: alsoShort, quantity: 1 },
        { sku: short, quantity: 2 },
        { sku: first, quantity: 1 },
      ],
      60_000,
    );
    expect(result).toEqual({ ok: false, unavailable: [short, alsoShort] });
    expect([await reserved(first), await reserved(short), await reserved(alsoShort)]).toEqual([0, 0, 0]);
    await settleMirror(first);
    expect((await inventoryRow(first))?.reserved).toBe(0);
  });

  it("counts a retried reservation once", async () => {
    const sku = await createStockedSku(3);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 2 }], 60_000);
    expect(await reserveStock(env, id, [{ sku, quantity: 2 }], 60_000)).toEqual({ ok: true });
    expect(await reserved(sku)).toBe(2);
  });

  it("adds up the same SKU listed twice", async () => {
    const sku = await createStockedSku(3);
    expect(
      await reserveStock(
        env,
        newId("chk"),
        [
          { sku, quantity: 2 },
          { sku, quantity: 2 },
        ],
        60_000,
      ),
    ).toEqual({ ok: false, unavailable: [sku] });
    expect(await reserved(sku)).toBe(0);
  });

  it("refuses zero, negative or fractional quantities and absurd TTLs", async () => {
    const sku = await createStockedSku(3);
    for (const quantity of [0, -1, 1.5, Number.MAX_VALUE]) {
      await expect(reserveStock(env, newId("chk"), [{ sku, quantity }], 60_000)).rejects.toMatchObject({ status: 400 });
    }
    await expect(reserveStock(env, newId("chk"), [{ sku, quantity: 1 }], 0)).rejects.toMatchObject({ status: 400 });
    await expect(reserveStock(env, newId("chk"), [{ sku, quantity: 1 }], 7 * 24 * 3_600_000)).rejects.toMatchObject({
      status: 400,
    });
  });

  it("lets the winner of two carts racing for the same two SKUs take both", async () => {
    const [a, b] = [await createStockedSku(1), await createStockedSku(1)];
    const results = await Promise.all([
      reserveStock(
        env,
        newId("chk"),
        [
          { sku: a, quantity: 1 },
          { sku: b, quantity: 1 },
        ],
        60_000,
      ),
      reserveStock(
        env,
        newId("chk"),
        [
          { sku: b, quantity: 1 },
          { sku: a, quantity: 1 },
        ],
        60_000,
      ),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect([await reserved(a), await reserved(b)]).toEqual([1, 1]);
  });
});

describe("commitStock and releaseStock", () => {
  it("commit keeps the sold units out of stock; a repeated commit changes nothing", async () => {
    const sku = await createStockedSku(4);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 3 }], 60_000);
    await sellInD1(id, sku, 3);
    await commitStock(env, id, [{ sku }]);
    await commitStock(env, id, [{ sku }]);
    expect(await stockLockFor(env, sku).snapshot(sku)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    // until the lock's alarm writes the ended hold (within a second), D1 under-states what is available, never over-states it
    expect(await availableBySku(testDb(), [sku])).toEqual(new Map([[sku, 0]]));
    await settleMirror(sku);
    expect(await availableBySku(testDb(), [sku])).toEqual(new Map([[sku, 1]]));
  });

  it("release frees the units at once in the lock, and in D1 with the lock's alarm; a repeated release changes nothing", async () => {
    const sku = await createStockedSku(4);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 3 }], 60_000);
    await releaseStock(env, id, [{ sku }]);
    await releaseStock(env, id, [{ sku }]);
    expect(await reserved(sku)).toBe(0);
    expect(await availableBySku(testDb(), [sku])).toEqual(new Map([[sku, 1]]));
    await settleMirror(sku);
    expect(await availableBySku(testDb(), [sku])).toEqual(new Map([[sku, 4]]));
  });

  it("refuses to hold again a released reservation id (a resumed checkout), so no hold outlives its checkout", async () => {
    const sku = await createStockedSku(4);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 3 }], 60_000);
    await releaseStock(env, id, [{ sku }]);
    expect(await reserveStock(env, id, [{ sku, quantity: 3 }], 60_000)).toEqual({ ok: false, unavailable: [sku] });
    expect(await reserved(sku)).toBe(0);
  });

  it("refuses a reserve whose id was released before it ever arrived", async () => {
    const sku = await createStockedSku(4);
    const id = newId("chk");
    await releaseStock(env, id, [{ sku }]);
    expect((await reserveStock(env, id, [{ sku, quantity: 1 }], 60_000)).ok).toBe(false);
    expect(await reserved(sku)).toBe(0);
  });
});

describe("availableBySku", () => {
  it("answers many SKUs in one D1 query, never below zero, and leaves unknown SKUs out", async () => {
    const sku = await createStockedSku(2);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 2 }], 60_000);
    await sellInD1(id, sku, 2); // on_hand 0 while 2 are still mirrored as reserved
    const timings = new ServerTimings();
    const db = createDatabase(timedD1(env.DB, timings));
    const available = await availableBySku(db, [sku, "UNKNOWN-SKU", sku]);
    expect(available).toEqual(new Map([[sku, 0]]));
    expect(timings.count("d1")).toBe(1);
    expect(await availableBySku(db, [])).toEqual(new Map());
  });
});

describe("refreshOnHand", () => {
  it("makes the lock see stock returned to D1 (a cancelled order)", async () => {
    const sku = await createStockedSku(1);
    await reserveStock(env, newId("chk"), [{ sku, quantity: 1 }], 60_000);
    await setOnHandInD1(sku, 3);
    expect(await refreshOnHand(env, [sku])).toEqual([{ onHand: 3, reserved: 1, available: 2 }]);
  });

  it("folds each ledger row in once however often it is told, and a sale between two syncs is not lost", async () => {
    const sku = await createStockedSku(5);
    const id = newId("chk");
    await reserveStock(env, id, [{ sku, quantity: 2 }], 60_000);
    await setOnHandInD1(sku, 8);
    await Promise.all([refreshOnHand(env, [sku]), refreshOnHand(env, [sku])]);
    await sellInD1(id, sku, 2);
    await refreshOnHand(env, [sku]);
    await commitStock(env, id, [{ sku }]);
    expect(await stockLockFor(env, sku).snapshot(sku)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    expect((await inventoryRow(sku))?.onHand).toBe(6);
  });
});
