/**
 * The API key for this browser tab: kept in sessionStorage (gone when the tab closes, never a
 * cookie, so no request is authenticated by the browser on its own — no CSRF surface), and
 * sent by the client as the bearer header. Listeners hear sign-in and sign-out.
 */
const KEY = "switchyard.api_key";
const listeners = new Set<() => void>();

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(key: string): void {
  sessionStorage.setItem(KEY, key);
  listeners.forEach((l) => l());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
