/**
 * The one rule for creating a chain or a contract under an id: `POST` never replaces anything —
 * not a bundled document (`PUT` overrides it, `DELETE` brings it back) and not a registered one
 * (`PUT` updates it).
 */
import { ApiError } from "./errors";

export type Registered = "chain" | "contract";

/** `registered` is asked only when the id is not a bundled one: a bundled id needs no D1 read. */
export async function refuseTakenId(kind: Registered, id: string, bundled: boolean, registered: () => Promise<unknown>): Promise<void> {
  const route = `PUT /${kind}s/${id}`;
  if (bundled) {
    throw new ApiError(409, "conflict", `"${id}" is a bundled ${kind}; to replace it with your own version, ${route} (DELETE then brings the bundled one back).`, { path: "id" });
  }
  if (await registered()) throw new ApiError(409, "conflict", `A ${kind} with id "${id}" is already registered; use ${route} to update it.`, { path: "id" });
}
