/**
 * Credentials stored in D1 (provider keys, tool headers, webhook secrets) are sealed with
 * AES-GCM under a key derived from the `SECRETS_KEY` secret, so a database dump alone does
 * not reveal them. They are opened only at the moment of a call.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keys = new Map<string, Promise<CryptoKey>>();

export class SecretsKeyMissing extends Error {
  constructor() {
    super("SECRETS_KEY is not configured; set it (wrangler secret put SECRETS_KEY) before storing credentials.");
    this.name = "SecretsKeyMissing";
  }
}

function aesKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw new SecretsKeyMissing();
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.digest("SHA-256", encoder.encode(secret)).then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keys.set(secret, key);
  }
  return key;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function sealSecret(secretsKey: string | undefined, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secretsKey), encoder.encode(plaintext)));
  return `v1:${toBase64(iv)}:${toBase64(sealed)}`;
}

export async function openSecret(secretsKey: string | undefined, sealed: string): Promise<string> {
  const [version, iv, data] = sealed.split(":");
  if (version !== "v1" || !iv || !data) throw new Error("stored secret has an unknown format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, await aesKey(secretsKey), fromBase64(data));
  return decoder.decode(plain);
}
