/**
 * Registry reads kept per isolate for a short while, so the requests that need a chain or the
 * provider catalog do not each wait for D1. A value younger than the time to live is served
 * as it is; one past half of it is read again in the background, so under steady traffic no
 * request waits for the read; an older one is read before it is served. `forget` drops a value
 * this isolate has just changed, and a read that started before it never puts the old value back.
 * Other isolates see a change within the time to live. A value `keeps` refuses (a chain not
 * found) is read again each time, so what is added is seen at once.
 */
export class ReadCache<V> {
  readonly #entries = new Map<string, { at: number; value: V; refreshing: boolean }>();
  /** Bumped by `forget`: a read that began under an older generation is not kept. */
  #generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly keeps: (value: V) => boolean = () => true,
    private readonly now: () => number = Date.now,
  ) {}

  /** `fresh`: read now whatever is kept (the kept copy could not answer). */
  async get(key: string, read: () => Promise<V>, fresh = false): Promise<V> {
    const entry = this.#entries.get(key);
    const age = entry ? this.now() - entry.at : Infinity;
    if (entry && !fresh && age <= this.ttlMs) {
      if (age > this.ttlMs / 2 && !entry.refreshing) {
        entry.refreshing = true;
        this.#read(key, read).catch(() => (entry.refreshing = false));
      }
      return entry.value;
    }
    return this.#read(key, read);
  }

  forget(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  async #read(key: string, read: () => Promise<V>): Promise<V> {
    const generation = this.#generation;
    const at = this.now();
    const value = await read();
    if (generation !== this.#generation) return value;
    if (this.keeps(value)) this.#entries.set(key, { at, value, refreshing: false });
    else this.#entries.delete(key);
    return value;
  }
}
