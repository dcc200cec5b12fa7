/**
 * Bearer-key authentication, and the caller's role: the keys of `API_KEYS` each have one
 * (api-keys.ts). With no keys configured every request is refused, so a forgotten secret never
 * means an open server. A presented key is compared with every configured key in constant time
 * (as Hono's own `bearerAuth` does), so response timing tells nothing about how much of a key
 * was right, nor which role's key it was. The role — never the key — is what the request, and
 * the runs it starts, carry on (`c.get("role")`).
 */
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { ADMIN_ROLE } from "../contract/types";
import { parseKeys, type ApiKey } from "./api-keys";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

/** The role of `presented` among `keys`; every key is compared, so the time does not depend on which matched. */
async function roleOfKey(presented: string, keys: ApiKey[]): Promise<string | undefined> {
  const matches = await Promise.all(keys.map(({ key }) => timingSafeEqual(key, presented)));
  const index = matches.indexOf(true);
  return index >= 0 ? keys[index]!.role : undefined;
}

export const bearerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const role = match ? await roleOfKey(match[1]!.trim(), parseKeys(c.env.API_KEYS)) : undefined;
  if (role === undefined) {
    throw new ApiError(401, "unauthorized", match ? "The API key is not valid." : "Missing `Authorization: Bearer <key>` header.", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  c.set("role", role);
  await next();
};

/** Refuses a caller whose role is not `admin`: for what decides what other roles may do. */
export function requireAdmin(role: string, what: string): void {
  if (role !== ADMIN_ROLE) throw new ApiError(403, "forbidden", `Only the role "${ADMIN_ROLE}" may ${what}; this key's role is "${role}".`);
}
