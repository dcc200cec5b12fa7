/**
 * Bearer-key authentication. Keys come from `API_KEYS` (comma-separated); with no keys
 * configured every request is refused, so a forgotten secret never means an open server.
 * A presented key is compared with every configured key in constant time (as Hono's own
 * `bearerAuth` does), so response timing tells nothing about how much of a key was right.
 */
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

export function parseKeys(text: string | undefined): string[] {
  return (text ?? "").split(",").map((k) => k.trim()).filter(Boolean);
}

/** Whether `presented` is one of `keys`; every key is compared, so the time does not depend on which matched. */
async function isKnownKey(presented: string, keys: string[]): Promise<boolean> {
  const matches = await Promise.all(keys.map((key) => timingSafeEqual(key, presented)));
  return matches.includes(true);
}

export const bearerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !(await isKnownKey(match[1]!.trim(), parseKeys(c.env.API_KEYS)))) {
    throw new ApiError(401, "unauthorized", match ? "The API key is not valid." : "Missing `Authorization: Bearer <key>` header.", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  await next();
};
