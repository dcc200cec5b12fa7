/**
 * HMAC-SHA256 webhook signatures as GitHub sends them (`X-Hub-Signature-256: sha256=<hex>`);
 * a bare hex digest is accepted too. Verification goes through `crypto.subtle.verify`, which
 * compares in constant time, over the exact bytes received.
 */

import { toHex } from "./ids";

const encoder = new TextEncoder();

/** GitHub's header; a mapping can name another. */
export const DEFAULT_SIGNATURE_HEADER = "x-hub-signature-256";

function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** The header value a sender would put on `body`: `sha256=<hex>`. */
export async function signBody(secret: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), body));
  return `sha256=${toHex(digest)}`;
}

export async function verifySignature(secret: string, body: Uint8Array<ArrayBuffer>, header: string | null | undefined): Promise<boolean> {
  const hex = /^(?:sha256=)?([0-9a-f]{64})$/i.exec(header?.trim() ?? "")?.[1];
  if (!hex) return false;
  const signature = new Uint8Array(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), signature, body);
}
