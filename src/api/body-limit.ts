/**
 * Request bodies over `MAX_BODY_BYTES` (default 1 MiB) are refused with 413 before any handler
 * reads them. A body that declares its length is judged by the header; a chunked one is read up
 * to the limit. When it goes over, the rest is read and dropped before the 413 is sent: a
 * half-read body (left unread or cancelled) broke the next request on the same kept-alive
 * connection, which wrangler dev answered "503 Your worker restarted mid-request". The drain is
 * bounded by `MAX_DRAIN_BYTES` (Cloudflare refuses bodies over 100 MB before the Worker sees
 * them); past it the body is cancelled.
 */
import type { MiddlewareHandler } from "hono";
import { readConfig } from "../config";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

const MAX_DRAIN_BYTES = 128 * 1024 * 1024;

function tooLarge(maxSize: number): ApiError {
  return new ApiError(413, "payload_too_large", `The request body is larger than the ${maxSize}-byte limit.`);
}

/** The body's bytes when they fit in `maxSize`; undefined (with the rest cancelled) when not. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxSize: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxSize) {
      await drain(reader, size);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, read: number): Promise<void> {
  for (let size = read; size <= MAX_DRAIN_BYTES; ) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.length;
  }
  await reader.cancel();
}

export const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = c.req.raw;
  if (!raw.body) return next();
  const maxSize = readConfig(c.env).maxBodyBytes;
  const declared = raw.headers.get("content-length");
  if (declared !== null && !raw.headers.has("transfer-encoding")) {
    if (Number(declared) > maxSize) throw tooLarge(maxSize);
    return next();
  }
  const bytes = await readAtMost(raw.body, maxSize);
  if (!bytes) throw tooLarge(maxSize);
  c.req.raw = new Request(raw, { body: bytes });
  return next();
};
