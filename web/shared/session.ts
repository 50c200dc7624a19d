/**
 * The signed-in session, shared by the storefront and the console (same origin). The refresh token
 * lives in localStorage so a reload keeps the user signed in — the strict CSP (no inline or foreign
 * script) is what keeps it out of reach. The access token is refreshed silently a minute before it
 * expires; tabs coordinate through a Web Lock, because presenting an already-rotated refresh token
 * revokes the whole family (reuse detection), which two tabs refreshing at once would trigger.
 */
import type { SessionAnswer, User } from "./api-types";

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const KEY = "motor.session";
const REFRESH_EARLY_MS = 60_000;
const listeners = new Set<() => void>();
let current: Session | null = load();
let timer: ReturnType<typeof setTimeout> | undefined;

function load(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function publish(next: Session | null, persist = true) {
  current = next;
  if (persist) {
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
  }
  schedule();
  for (const listener of listeners) listener();
}

function schedule() {
  clearTimeout(timer);
  if (current)
    timer = setTimeout(() => void refreshSession(), Math.max(0, current.expiresAt - Date.now() - REFRESH_EARLY_MS));
}

export const getSession = () => current;

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeader(): Record<string, string> {
  return current ? { Authorization: `Bearer ${current.accessToken}` } : {};
}

export function startSession(answer: SessionAnswer) {
  publish({
    user: answer.user,
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
  });
}

async function rotate(): Promise<Session | null> {
  const stored = load();
  if (!stored) return null;
  // another tab rotated while we waited for the lock: adopt its pair instead of replaying ours
  if (current && stored.refreshToken !== current.refreshToken && stored.expiresAt - Date.now() > REFRESH_EARLY_MS)
    return stored;
  const response = await fetch("/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refreshToken: stored.refreshToken }),
    credentials: "omit",
  }).catch(() => null);
  if (!response) return stored; // offline: keep the session, try again later
  if (!response.ok) return null;
  const answer = (await response.json()) as SessionAnswer;
  return {
    user: answer.user,
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
  };
}

/** Rotates the pair; resolves to the new session, or null when the server refused (signed out). */
export async function refreshSession(): Promise<Session | null> {
  const next = navigator.locks ? await navigator.locks.request("motor-session-refresh", rotate) : await rotate();
  publish(next);
  return next;
}

export async function logout() {
  const session = current;
  publish(null);
  if (session) {
    await fetch("/v1/auth/logout", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
      credentials: "omit",
    }).catch(() => undefined);
  }
}

// another tab signed in, refreshed or signed out
addEventListener("storage", (event) => {
  if (event.key === KEY) publish(load(), false);
});
schedule();
