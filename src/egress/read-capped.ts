/**
 * Reads a response body up to a size cap: what is past the cap is never read (the stream is
 * cancelled), so a huge or endless body costs no more than the cap. Used by the egress gate,
 * which keeps the cut-off body, and by the OpenAPI tools, which refuse it.
 */

export interface CappedBody {
  /** The body, or its first `max` bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Set when the body was longer than `max`. */
  truncated: boolean;
}

export async function readCapped(response: Response, max: number): Promise<CappedBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > max) {
        chunks.push(value.subarray(0, max - size));
        size = max;
        truncated = true;
        await reader.cancel();
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}
