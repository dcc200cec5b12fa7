/**
 * Every credential stored in D1, still sealed: provider keys, tool service credentials and
 * webhook secrets, read in one batch. What the sandbox sees is scrubbed of their opened values
 * (wiring/runtime-secrets.ts).
 */
import { isNotNull } from "drizzle-orm";
import type { Db } from "./client";
import { mappings, providers, toolServices } from "./schema";

export async function listSealedSecrets(d: Db): Promise<string[]> {
  const [keys, credentials, webhooks] = await d.batch([
    d.select({ sealed: providers.api_key }).from(providers).where(isNotNull(providers.api_key)),
    d.select({ sealed: toolServices.secrets }).from(toolServices).where(isNotNull(toolServices.secrets)),
    d.select({ sealed: mappings.secret }).from(mappings).where(isNotNull(mappings.secret)),
  ]);
  return [...keys, ...credentials, ...webhooks].flatMap((row) => (row.sealed === null ? [] : [row.sealed]));
}
