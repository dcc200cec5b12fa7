/**
 * The sign-in form: an API key (one of the server's `API_KEYS`), checked with one request and
 * then kept for this tab only.
 */
import { useState } from "preact/hooks";
import { messageOf } from "../api/client";
import { signIn, signOut } from "../api/session";

export function SignIn() {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const response = await fetch("/runs?limit=1", { headers: { authorization: `Bearer ${key.trim()}` } }).catch((e: unknown) => e);
    setBusy(false);
    if (response instanceof Response && response.ok) return signIn(key.trim());
    signOut();
    setError(response instanceof Response ? (response.status === 401 ? "That key was refused." : `The server answered ${response.status}.`) : messageOf(response));
  };
  return (
    <main class="sign-in">
      <form class="panel" onSubmit={submit}>
        <h1>Switchyard</h1>
        <p class="muted">Sign in with an API key from the server's API_KEYS. It is kept in this tab only.</p>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          Sign in
        </button>
        {error && (
          <p class="error-note" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
