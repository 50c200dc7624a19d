/**
 * The shopper's cart: its id in localStorage (a guest keeps it across reloads), the last server
 * answer in memory for the header's count. Every change goes to the server and the page shows the
 * cart the server answers — prices, discounts, tax, shipping and totals are never computed here.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../shared/api";
import type { Cart } from "../shared/api-types";

const KEY = "motor.cartId";
const listeners = new Set<() => void>();
let current: Cart | null = null;
/** Bumped when the cart is forgotten: a load already in flight then must not bring it back. */
let generation = 0;

function publish(cart: Cart | null) {
  current = cart;
  if (cart) localStorage.setItem(KEY, cart.id);
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export const cartId = () => localStorage.getItem(KEY);

export function useCart(): Cart | null {
  const [cart, setCart] = useState(current);
  useEffect(() => {
    const update = () => setCart(current);
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  return cart;
}

/** The stored cart, or null when there is none (a gone cart — expired, checked out, another user's — is forgotten). */
export async function loadCart(): Promise<Cart | null> {
  const id = cartId();
  if (!id) return null;
  const started = generation;
  try {
    const cart = await api<Cart>(`/v1/carts/${encodeURIComponent(id)}`, { cache: "no-store" });
    // a checkout completed while this read was on its way (the return from the bank): it stays forgotten
    if (started !== generation) return null;
    publish(cart);
    return cart;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) publish(null);
    else throw error;
    return null;
  }
}

async function ensureCart(): Promise<string> {
  const existing = current?.id ?? (await loadCart())?.id;
  if (existing) return existing;
  const cart = await api<Cart>("/v1/carts", { method: "POST", json: {} });
  publish(cart);
  return cart.id;
}

const path = (id: string, rest = "") => `/v1/carts/${encodeURIComponent(id)}${rest}`;

async function change(rest: string, method: string, json?: unknown): Promise<Cart> {
  const id = await ensureCart();
  const cart = await api<Cart>(path(id, rest), { method, json });
  publish(cart);
  return cart;
}

export const addItem = (sku: string, quantity: number) => change("/items", "POST", { sku, quantity });
export const setQuantity = (sku: string, quantity: number) =>
  change(`/items/${encodeURIComponent(sku)}`, "PATCH", { quantity });
export const removeItem = (sku: string) => change(`/items/${encodeURIComponent(sku)}`, "DELETE");
export const applyDiscount = (code: string) => change("/discount", "POST", { code });
export const removeDiscount = () => change("/discount", "DELETE");
export const updateCart = (patch: Record<string, unknown>) => change("", "PATCH", patch);

/** After a successful checkout the cart is spent: the next visit starts a new one. */
export function forgetCart() {
  generation++;
  publish(null);
}

/** A guest cart becomes the signed-in user's (its lines are kept). */
export async function claimCart() {
  const id = cartId();
  if (!id) return;
  try {
    publish(await api<Cart>(path(id, "/claim"), { method: "POST" }));
  } catch {
    publish(null); // already someone else's or gone: start afresh rather than fail the sign-in
  }
}
