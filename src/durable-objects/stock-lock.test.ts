import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, decrementOnHand, inventoryRow, testDb } from "../../test/factories/inventory";
import { writeReservedMirror } from "../modules/inventory/inventory.repository";
import { newId } from "../platform/ids";

const lock = (sku: string) => env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(sku));
const inAMinute = () => Date.now() + 60_000;

describe("StockLock", () => {
  it("sells exactly the stock when 200 reservations of one unit race for 20 units", async () => {
    const sku = await createStockedSku(20);
    const stub = lock(sku);
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => stub.reserve(sku, `chk_race_${i}`, 1, inAMinute())));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(20);
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(180);
    expect(await stub.snapshot(sku)).toEqual({ onHand: 20, reserved: 20, available: 0 });
    expect((await inventoryRow(sku))?.reserved).toBe(20);
  });

  it("counts a retried reserve with the same id once", async () => {
    const sku = await createStockedSku(5);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_retry", 2, inAMinute());
    const again = await stub.reserve(sku, "chk_retry", 2, inAMinute());
    expect(again).toEqual({ ok: true, available: 3 });
    expect(await stub.reserved()).toBe(2);
  });

  it("refuses more than is available and never reports a negative availability", async () => {
    const sku = await createStockedSku(3);
    const stub = lock(sku);
    expect(await stub.reserve(sku, "chk_big", 4, inAMinute())).toEqual({ ok: false, available: 3 });
    await stub.reserve(sku, "chk_all", 3, inAMinute());
    await decrementOnHand(sku, 3); // stock written off in D1 while the reservation still holds it
    const snapshot = await stub.syncOnHand(sku);
    expect(snapshot).toEqual({ onHand: 0, reserved: 3, available: 0 });
  });

  it("expires a reservation by alarm and writes the freed units through to D1", async () => {
    const sku = await createStockedSku(4);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_abandoned", 3, Date.now() + 50);
    expect((await inventoryRow(sku))?.reserved).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    // the alarm may already have fired by itself; if not, run it now — no other call touches the object
    await runDurableObjectAlarm(stub);
    expect((await inventoryRow(sku))?.reserved).toBe(0);
    expect(await stub.snapshot(sku)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    // alarms are retried: running the handler again changes nothing
    await runInDurableObject(stub, (instance) => instance.alarm());
    expect(await stub.reserved()).toBe(0);
  });

  it("sets its alarm to the earliest expiry", async () => {
    const sku = await createStockedSku(10);
    const stub = lock(sku);
    const soon = Date.now() + 30_000;
    await stub.reserve(sku, "chk_late", 1, soon + 60_000);
    await stub.reserve(sku, "chk_soon", 1, soon);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBe(soon);
  });

  it("commits once: a paid order keeps its units sold and a repeated commit or release changes nothing", async () => {
    const sku = await createStockedSku(5);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_paid", 2, inAMinute());
    await decrementOnHand(sku, 2); // the order batch
    await stub.commit(sku, "chk_paid");
    await stub.commit(sku, "chk_paid");
    await stub.release(sku, "chk_paid");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    // a late retry of the reserve after the commit must not hold the units again
    await stub.reserve(sku, "chk_paid", 2, inAMinute());
    expect(await stub.reserved()).toBe(0);
  });

  it("releases once and a released reservation can be reserved again by a retried checkout", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_declined", 2, inAMinute());
    await stub.release(sku, "chk_declined");
    await stub.release(sku, "chk_declined");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect((await inventoryRow(sku))?.reserved).toBe(0);
    expect((await stub.reserve(sku, "chk_declined", 1, inAMinute())).ok).toBe(true);
  });

  it("does not count an overdue reservation even before its alarm ran", async () => {
    const sku = await createStockedSku(1);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_overdue", 1, Date.now() + 20);
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await stub.reserve(sku, newId("chk"), 1, inAMinute())).ok).toBe(true);
  });

  it("does not sell again the units of an order that was written but never committed when its hold expires", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_crashed", 2, Date.now() + 20);
    await decrementOnHand(sku, 2); // the order batch ran, then the checkout died before commitStock
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await stub.reserve(sku, newId("chk"), 1, inAMinute())).toEqual({ ok: false, available: 0 });
  });

  it("treats an unknown SKU as out of stock", async () => {
    const sku = `NOPE-${newId("t", 8)}`;
    expect(await lock(sku).reserve(sku, "chk_x", 1, inAMinute())).toEqual({ ok: false, available: 0 });
  });

  it("keeps the newest mirror when an older write lands late", async () => {
    const sku = await createStockedSku(5);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_a", 1, inAMinute());
    await stub.reserve(sku, "chk_b", 1, inAMinute());
    await writeReservedMirror(testDb(), sku, 1, 1); // version 1 is older than the stored one
    expect((await inventoryRow(sku))?.reserved).toBe(2);
  });
});
