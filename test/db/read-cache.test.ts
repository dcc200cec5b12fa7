import { describe, expect, it } from "vitest";
import { ReadCache } from "../../src/db/read-cache";

/** A registry whose reads answer when the test says, counting them. */
function registry(initial: string | undefined) {
  let value = initial;
  const pending: Array<() => void> = [];
  let reads = 0;
  return {
    set: (v: string | undefined) => (value = v),
    get reads() {
      return reads;
    },
    /** Answers with the value as it is when the read is let through. */
    read: () => {
      reads++;
      return new Promise<string | undefined>((resolve) => pending.push(() => resolve(value)));
    },
    release: async () => {
      for (const go of pending.splice(0)) go();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe("ReadCache", () => {
  it("serves a kept value without reading until half its time has passed, then refreshes it in the background", async () => {
    let now = 0;
    const cache = new ReadCache<string | undefined>(1_000, () => true, () => now);
    const reg = registry("v1");
    const first = cache.get("a", reg.read);
    await reg.release();
    expect(await first).toBe("v1");

    reg.set("v2");
    now = 400;
    expect(await cache.get("a", reg.read)).toBe("v1");
    expect(reg.reads).toBe(1);

    now = 600;
    expect(await cache.get("a", reg.read)).toBe("v1");
    expect(reg.reads).toBe(2);
    expect(await cache.get("a", reg.read)).toBe("v1");
    expect(reg.reads).toBe(2);
    await reg.release();
    expect(await cache.get("a", reg.read)).toBe("v2");
  });

  it("reads a value past its time to live before serving it, and reads at once when asked for a fresh one", async () => {
    let now = 0;
    const cache = new ReadCache<string | undefined>(1_000, () => true, () => now);
    const reg = registry("v1");
    const first = cache.get("a", reg.read);
    await reg.release();
    await first;

    reg.set("v2");
    now = 1_001;
    const late = cache.get("a", reg.read);
    await reg.release();
    expect(await late).toBe("v2");

    reg.set("v3");
    const fresh = cache.get("a", reg.read, true);
    await reg.release();
    expect(await fresh).toBe("v3");
    expect(reg.reads).toBe(3);
  });

  it("never keeps a value a read began before `forget`, so a change made here is seen at once", async () => {
    const cache = new ReadCache<string | undefined>(1_000);
    const reg = registry("old");
    const before = cache.get("a", reg.read);
    reg.set("new");
    cache.forget("a");
    await reg.release();
    await before;
    const after = cache.get("a", reg.read);
    await reg.release();
    expect(await after).toBe("new");
    expect(reg.reads).toBe(2);
  });

  it("reads again each time for a value it does not keep (a chain not found yet)", async () => {
    const cache = new ReadCache<string | undefined>(1_000, (v) => v !== undefined);
    const reg = registry(undefined);
    const missing = cache.get("a", reg.read);
    await reg.release();
    expect(await missing).toBeUndefined();
    reg.set("registered");
    const found = cache.get("a", reg.read);
    await reg.release();
    expect(await found).toBe("registered");
    expect(reg.reads).toBe(2);
  });
});
