import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, inventoryRow, sellInD1, testDb } from "../../test/helpers/inventory";
import { writeShardMirror } from "../modules/inventory/inventory.repository";
import { newId } from "../platform/ids";
import { MIRROR_SETTLE_MS } from "./stock-lock.mirror";

const lock = (sku: string) => env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(sku));
const inAMinute = () => Date.now() + 60_000;

describe("StockLock", () => {
  it("sells exactly the stock when 200 reservations of one unit race for 20 units", async () => {
    const sku = await createStockedSku(20);
    const stub = lock(sku);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stub.reserve(sku, `chk_race_${i}`, 1, inAMinute())),
    );
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

  it("refuses more than is available", async () => {
    const sku = await createStockedSku(3);
    const stub = lock(sku);
    expect(await stub.reserve(sku, "chk_big", 4, inAMinute())).toEqual({ ok: false, available: 3 });
    expect(await stub.reserve(sku, "chk_all", 3, inAMinute())).toEqual({ ok: true, available: 0 });
    expect(await stub.reserve(sku, "chk_one_more", 1, inAMinute())).toEqual({ ok: false, available: 0 });
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
    await sellInD1("chk_paid", sku, 2); // the order batch
    await stub.commit(sku, "chk_paid");
    await stub.commit(sku, "chk_paid");
    await stub.release(sku, "chk_paid");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    // a late retry of the reserve after the commit must not hold the units again
    await stub.reserve(sku, "chk_paid", 2, inAMinute());
    expect(await stub.reserved()).toBe(0);
  });

  it("releases once, and a released reservation id stays released (a resumed checkout cannot hold it again)", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_declined", 2, inAMinute());
    await stub.release(sku, "chk_declined");
    await stub.release(sku, "chk_declined");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    // the end of a hold reaches D1 with the alarm, due within MIRROR_SETTLE_MS (until then D1 counts it as still held)
    expect((await inventoryRow(sku))?.reserved).toBe(2);
    const due = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(due).not.toBeNull();
    expect(due! - Date.now()).toBeLessThanOrEqual(MIRROR_SETTLE_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await inventoryRow(sku))?.reserved).toBe(0);
    expect(await stub.reserve(sku, "chk_declined", 1, inAMinute())).toEqual({
      ok: false,
      available: 2,
      released: true,
    });
    expect(await stub.reserved()).toBe(0);
  });

  it("keeps counting an overdue hold until the alarm has settled it, then frees its units", async () => {
    const sku = await createStockedSku(1);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_overdue", 1, Date.now() + 20);
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 30));
    // still counted (its order may have been written); this call also asks for the alarm at once
    expect(await stub.reserve(sku, newId("chk"), 1, inAMinute())).toEqual({ ok: false, available: 0 });
    await runDurableObjectAlarm(stub);
    expect((await stub.reserve(sku, newId("chk"), 1, inAMinute())).ok).toBe(true);
  });

  it("does not sell again the units of an order that was written but never committed when its hold expires", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_crashed", 2, Date.now() + 20);
    await sellInD1("chk_crashed", sku, 2); // the order batch ran, then the checkout died before commitStock
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await stub.reserve(sku, newId("chk"), 1, inAMinute())).toEqual({ ok: false, available: 0 });
    await runDurableObjectAlarm(stub); // settles the hold: sold, so its units leave the stock
    expect(await stub.snapshot(sku)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    await stub.commit(sku, "chk_crashed"); // the sweep's late commit changes nothing more
    expect(await stub.snapshot(sku)).toEqual({ onHand: 0, reserved: 0, available: 0 });
  });

  it("takes the units of an order written after its hold expired and was freed, once, when its commit arrives", async () => {
    const sku = await createStockedSku(3);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_slow", 2, Date.now() + 20);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await stub.snapshot(sku);
    await runDurableObjectAlarm(stub); // not sold yet: freed
    expect(await stub.snapshot(sku)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await sellInD1("chk_slow", sku, 2);
    await stub.commit(sku, "chk_slow");
    await stub.commit(sku, "chk_slow");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 1, reserved: 0, available: 1 });
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
    await writeShardMirror(testDb(), sku, 0, 1, 1); // version 1 is older than the stored one
    expect((await inventoryRow(sku))?.reserved).toBe(2);
  });
});
