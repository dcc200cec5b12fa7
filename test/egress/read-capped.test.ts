import { describe, expect, it } from "vitest";
import { readCapped } from "../../src/egress/read-capped";

/** A body of `chunks` chunks of `size` bytes each (endless when `chunks` is Infinity); counts what was pulled. */
function streamed(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { response: new Response(body), seen };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("readCapped", () => {
  it("reads a body within the cap whole, in order", async () => {
    const { bytes, truncated } = await readCapped(new Response("hello, world"), 12);
    expect(text(bytes)).toBe("hello, world");
    expect(truncated).toBe(false);
  });

  it("keeps the first bytes of a longer body and stops reading an endless one at the cap", async () => {
    const { response, seen } = streamed(Infinity, 100);
    const { bytes, truncated } = await readCapped(response, 250);
    expect(bytes.byteLength).toBe(250);
    expect(truncated).toBe(true);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(10);
  });

  it("reads an empty or absent body as no bytes", async () => {
    for (const response of [new Response(""), new Response(null, { status: 204 })]) {
      expect(await readCapped(response, 10)).toEqual({ bytes: new Uint8Array(0), truncated: false });
    }
  });
});
