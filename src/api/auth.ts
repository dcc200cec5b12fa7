/**
 * Bearer-key authentication. Keys come from `API_KEYS` (comma-separated); with no keys
 * configured every request is refused, so a forgotten secret never means an open server.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

export function parseKeys(text: string | undefined): Set<string> {
  return new Set((text ?? "").split(",").map((k) => k.trim()).filter(Boolean));
}

export const bearerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const keys = parseKeys(c.env.API_KEYS);
  if (!match || !keys.has(match[1]!.trim())) {
    throw new ApiError(401, "unauthorized", match ? "The API key is not valid." : "Missing `Authorization: Bearer <key>` header.", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  await next();
};
