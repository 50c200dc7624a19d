// `npm run restore:drill` (part of npm test): proves a backup restores. It builds a source database
// (migrations, demo seed, plus a user and a paid order made through the API), backs it up, restores
// the newest backup into a fresh local D1, compares row count and checksum of every table (the FTS5
// index included), then boots the Worker on the restored database and reads that user and order.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backup } from "./backup.mjs";
import { BACKUP_DIR, backupTables } from "./backup/d1.mjs";
import { ensureDevVars } from "./dev-secrets.mjs";
import { compareDigests, tableDigests } from "./backup/digest.mjs";
import { ROOT } from "./lib/wrangler.mjs";
import { startWorker } from "./lib/worker-process.mjs";
import { restore } from "./restore.mjs";
import { migrateAndSeed } from "./seed.mjs";

const DRILL_DIR = join(BACKUP_DIR, "drill");
const USER = {
  email: `drill-${randomUUID()}@example.test`,
  password: "restore drill passphrase",
  name: "Restore Drill",
};

async function call(baseUrl, path, { method = "GET", json, token, headers = {} } = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...headers,
      ...(json ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: json ? JSON.stringify(json) : undefined,
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A registered user and a paid order, made through the API like a shopper would. */
async function makeKnownRecords(baseUrl) {
  const { accessToken: token } = await call(baseUrl, "/v1/auth/register", { method: "POST", json: USER });
  const cart = await call(baseUrl, "/v1/carts", { method: "POST", json: { country: "ES" }, token });
  await call(baseUrl, `/v1/carts/${cart.id}/items`, {
    method: "POST",
    json: { sku: "CLASSIC-TEE-M", quantity: 2 },
    token,
  });
  await call(baseUrl, `/v1/carts/${cart.id}`, {
    method: "PATCH",
    json: {
      email: USER.email,
      shippingAddress: { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" },
    },
    token,
  });
  const order = await call(baseUrl, "/v1/checkout", {
    method: "POST",
    json: { cartId: cart.id, paymentMethod: "pm_card_visa" },
    token,
    headers: { "Idempotency-Key": randomUUID() },
  });
  return { orderId: order.id, total: JSON.stringify(order.total) };
}

function newestBackup(dir) {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .map((file) => join(dir, file));
  if (files.length === 0) throw new Error(`no backup in ${dir}`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs || b.localeCompare(a))[0];
}

async function withWorker(state, work) {
  const worker = await startWorker({ state, seed: false });
  try {
    return await work(worker.url);
  } finally {
    await worker.stop();
  }
}

export async function restoreDrill() {
  const source = mkdtempSync(join(tmpdir(), "motor-drill-source-"));
  const restored = mkdtempSync(join(tmpdir(), "motor-drill-restored-"));
  try {
    await ensureDevVars(join(ROOT, ".dev.vars"));
    migrateAndSeed({ persistTo: source });
    const known = await withWorker(source, makeKnownRecords);
    rmSync(DRILL_DIR, { recursive: true, force: true });
    backup({ persistTo: source }, DRILL_DIR);
    const file = newestBackup(DRILL_DIR);
    restore(file, { persistTo: restored });

    const { data, virtual } = backupTables({ persistTo: source });
    const tables = [...data, ...virtual];
    const differences = compareDigests(
      tableDigests({ persistTo: source }, tables),
      tableDigests({ persistTo: restored }, tables),
    );
    if (differences.length > 0)
      throw new Error(`the restored database differs from the source:\n  ${differences.join("\n  ")}`);

    await withWorker(restored, async (baseUrl) => {
      const { accessToken: token } = await call(baseUrl, "/v1/auth/login", {
        method: "POST",
        json: { email: USER.email, password: USER.password },
      });
      const me = await call(baseUrl, "/v1/me", { token });
      if (me.email !== USER.email)
        throw new Error(`GET /v1/me on the restored database answered ${me.email}, expected ${USER.email}`);
      const order = await call(baseUrl, `/v1/orders/${known.orderId}`, { token });
      if (JSON.stringify(order.total) !== known.total)
        throw new Error(`order ${known.orderId} restored with other totals`);
      const search = await call(baseUrl, "/v1/products?q=tee&limit=1");
      if (search.data.length === 0)
        throw new Error("search finds nothing on the restored database: the FTS index was not rebuilt");
    });
    console.log(
      `restore:drill: ${file} restored; ${tables.length} tables equal (rows and sha256); user ` +
        `${USER.email} and order ${known.orderId} read through the API`,
    );
  } finally {
    rmSync(source, { recursive: true, force: true });
    rmSync(restored, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await restoreDrill();
  } catch (error) {
    console.error(`restore:drill failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
