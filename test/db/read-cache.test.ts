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

/** What `cache.get` answers once the reads it started are let through. */
async function answered<T>(reg: ReturnType<typeof registry>, get: Promise<T>): Promise<T> {
  await reg.release();
  return get;
}

describe("ReadCache", () => {
  it("serves a kept value without reading until half its time has passed, then refreshes it in the background", async () => {
    let now = 0;
    const cache = new ReadCache<string | undefined>(1_000, () => true, () => now);
    const reg = registry("v1");
    expect(await answered(reg, cache.get("a", reg.read))).toBe("v1");

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
    await answered(reg, cache.get("a", reg.read));

    reg.set("v2");
    now = 1_001;
    expect(await answered(reg, cache.get("a", reg.read))).toBe("v2");

    reg.set("v3");
    expect(await answered(reg, cache.get("a", reg.read, true))).toBe("v3");
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
    expect(await answered(reg, cache.get("a", reg.read))).toBe("new");
    expect(reg.reads).toBe(2);
  });

  it("reads again each time for a value it does not keep (a chain not found yet)", async () => {
    const cache = new ReadCache<string | undefined>(1_000, (v) => v !== undefined);
    const reg = registry(undefined);
    expect(await answered(reg, cache.get("a", reg.read))).toBeUndefined();
    reg.set("registered");
    expect(await answered(reg, cache.get("a", reg.read))).toBe("registered");
    expect(reg.reads).toBe(2);
  });
});
