/**
 * Request bodies over `MAX_BODY_BYTES` (default 1 MiB) are refused with 413 before any
 * handler reads them.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readConfig } from "../config";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

const limiters = new Map<number, MiddlewareHandler<AppEnv>>();

function limiter(maxSize: number): MiddlewareHandler<AppEnv> {
  let handler = limiters.get(maxSize);
  if (!handler) {
    handler = bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The request body is larger than the ${maxSize}-byte limit.`);
      },
    });
    limiters.set(maxSize, handler);
  }
  return handler;
}

export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => limiter(readConfig(c.env).maxBodyBytes)(c, next);
