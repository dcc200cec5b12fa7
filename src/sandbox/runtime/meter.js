// @ts-check
/**
 * The allocation meter, a module of the isolate's runtime: while user code runs, the built-ins
 * that allocate in bulk — big strings (`repeat`, `padStart`, `join`, `split`, growing `replace`),
 * arrays (`Array(n)`, `Array.from`, `concat`, filling a holey array, `apply` with an argument
 * list), typed arrays and buffers, `JSON.stringify` — charge an estimate of the bytes they
 * allocate (a character 1, an element 8) to `limits.max_alloc_bytes`; spreads are charged by
 * the instrumentation. Charges add up over the run (freed memory is not credited), so the
 * default is generous.
 *
 * Why: on Cloudflare the platform ends an isolate past its memory limit, but a local workerd
 * has no per-isolate limit, and one isolate exhausting the V8 heap aborts the whole process,
 * server included. The meter turns the usual memory bombs into a clear error instead. It is not
 * exhaustive (built-ins reached another way, many small objects — those are bounded by
 * `max_ticks` — or string concatenation are not charged), so the platform limit stays the guarantee.
 *
 * `installMeter(charge)` patches the globals and returns the function that restores them: a
 * fresh isolate would not need it, but the Node stand-in of the unit tests shares its globals.
 */

/**
 * The bytes a call will allocate (`before`) or has allocated (`after`), from its receiver, its
 * arguments and, after, its result.
 * @typedef {(self: any, args: any[]) => number} CostBefore
 * @typedef {(result: any, self: any, args: any[]) => number} CostAfter
 */

/** Appended text this long and longer is charged (see the instrumentation's `_part`). */
export const BIG_TEXT = 64 * 1024;
/**
 * Strings this long are charged whenever one is made by concatenation or read by a method that
 * allocates: longer than anything a program can receive or hand on (the ceilings of
 * `max_response_bytes`, `max_arg_bytes` and `max_result_bytes` are 16 MiB), and each rope this
 * long allocates all of it when it is first read.
 */
export const HUGE_TEXT = 20 * 1024 * 1024;
/** Arrays this long are charged when a method copies them. */
const BIG_ARRAY = 1024 * 1024;

/**
 * @param {(bytes: number) => void} charge
 * @returns {() => void} the uninstaller
 */
export function installMeter(charge) {
  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const isArray = Array.isArray;
  const ProxyClass = Proxy;
  const ELEMENT = 8;
  /** @type {(() => void)[]} */
  const restore = [];
  /** Globals looked up by name (the constructors to wrap). */
  const globals = /** @type {Record<string, any>} */ (globalThis);

  /**
   * A length-like argument as a number, without calling user code (objects count as 0).
   * @param {unknown} value
   */
  function size(value) {
    const n = typeof value === "number" || typeof value === "string" ? +value : 0;
    return n > 0 && n !== Infinity ? n : 0;
  }
  /** @param {unknown} value */
  function lengthOf(value) {
    return isArray(value) || typeof value === "string" ? value.length : 0;
  }
  /**
   * A string a method reads: a huge one (a rope that concatenation made) is flattened first,
   * allocating all of it.
   * @param {any} self
   */
  function huge(self) {
    const n = lengthOf(self);
    return n >= HUGE_TEXT ? n : 0;
  }
  /**
   * Big strings among a call's arguments (`concat`).
   * @param {any[]} args
   */
  function appended(args) {
    let total = 0;
    for (let i = 0; i < args.length; i++) if (lengthOf(args[i]) >= BIG_TEXT) total += lengthOf(args[i]);
    return total;
  }
  /** @param {number} elements */
  function bigCopy(elements) {
    return elements >= BIG_ARRAY ? elements * ELEMENT : 0;
  }
  /**
   * A relative index argument (`slice`, `fill`) as a position in `0..length`.
   * @param {unknown} value
   * @param {number} length
   * @param {number} fallback
   */
  function position(value, length, fallback) {
    if (value === undefined) return fallback;
    const n = typeof value === "number" ? Math.trunc(value) || 0 : 0;
    return n < 0 ? Math.max(0, length + n) : Math.min(n, length);
  }
  /**
   * The length of an array-like source (a typed array, an object with a length) or a count.
   * @param {any} source
   */
  function elementsOf(source) {
    return source !== null && typeof source === "object" ? size(source.length) : size(source);
  }

  /**
   * @param {object} owner
   * @param {string} name
   * @param {unknown} value
   */
  function replace(owner, name, value) {
    const descriptor = getOwnPropertyDescriptor(owner, name);
    if (!descriptor) return;
    restore[restore.length] = () => defineProperty(owner, name, descriptor);
    defineProperty(owner, name, { value, writable: true, configurable: true, enumerable: descriptor.enumerable });
  }

  /**
   * before: bytes charged before the call (so one huge allocation is refused, not attempted);
   * after: bytes charged for what the call returned.
   * @param {any} owner
   * @param {string} name
   * @param {CostBefore | null} before
   * @param {CostAfter | null} [after]
   */
  function meter(owner, name, before, after) {
    const original = owner[name];
    if (typeof original !== "function") return;
    const wrapper = {
      /** @param {any[]} args @this {unknown} */
      [name](...args) {
        if (before) charge(before(this, args));
        const result = apply(original, this, args);
        if (after) charge(after(result, this, args));
        return result;
      },
    }[name];
    replace(owner, name, wrapper);
  }

  /**
   * @param {string} name
   * @param {(args: any[]) => number} cost
   */
  function meterConstructor(name, cost) {
    const original = globals[name];
    if (typeof original !== "function") return;
    replace(globalThis, name, new ProxyClass(original, {
      apply(target, self, args) {
        charge(cost(args));
        return apply(target, self, args);
      },
      construct(target, args, newTarget) {
        charge(cost(args));
        return construct(target, args, newTarget);
      },
    }));
  }

  /** @param {any} self */
  const copied = (self) => (lengthOf(self) >= BIG_TEXT ? 2 * lengthOf(self) : 0);
  /**
   * The string methods that allocate, and what each allocates besides reading its receiver; a
   * huge receiver (a rope) is flattened first, allocating all of it. The other methods are left
   * alone: the huge strings they could flatten are ropes that concatenation made, charged whole
   * when made (the instrumentation's `_text`), and a wrapper on every method of
   * `String.prototype` made code that calls them in a loop (`indexOf`, `slice`, `charCodeAt`)
   * run several times slower.
   * @type {Record<string, [CostBefore | null, CostAfter | null]>}
   */
  const stringCosts = {
    repeat: [(self, [count]) => lengthOf(self) * size(count), null],
    padStart: [(self, [target]) => size(target) - lengthOf(self), null],
    padEnd: [(self, [target]) => size(target) - lengthOf(self), null],
    concat: [(self, args) => appended(args), null],
    split: [null, (parts) => lengthOf(parts) * ELEMENT],
    replace: [null, (out, self) => lengthOf(out) - lengthOf(self)],
    replaceAll: [null, (out, self) => lengthOf(out) - lengthOf(self)],
    toUpperCase: [copied, null],
    toLowerCase: [copied, null],
    toLocaleUpperCase: [copied, null],
    toLocaleLowerCase: [copied, null],
    normalize: [copied, null],
    toWellFormed: [copied, null],
  };
  const text = String.prototype;
  for (const name of getOwnPropertyNames(stringCosts)) {
    const [before, after] = /** @type {[CostBefore | null, CostAfter | null]} */ (stringCosts[name]);
    meter(text, name, (self, args) => huge(self) + (before ? before(self, args) : 0), after);
  }

  const list = Array.prototype;
  meter(list, "join", null, (out) => lengthOf(out));
  meter(list, "concat", (self, args) => {
    let total = lengthOf(self);
    for (let i = 0; i < args.length; i++) total += lengthOf(args[i]);
    return total * ELEMENT;
  });
  // Filling allocates where the array has no elements yet: `new Array(n).fill(x)`, or
  // `a.length = 3e7; a.fill(x)`, whose holes start right after its one element.
  meter(list, "fill", (self, [, start, end]) => {
    if (!isArray(self)) return 0;
    const from = position(start, self.length, 0);
    const to = position(end, self.length, self.length);
    return to > from && !(to - 1 in self) ? (to - from) * ELEMENT : 0;
  });
  // Copies of a big array (a million elements and more).
  meter(list, "slice", (self, [start, end]) => bigCopy(position(end, lengthOf(self), lengthOf(self)) - position(start, lengthOf(self), 0)));
  for (const name of ["toReversed", "toSorted", "toSpliced", "with", "flat"]) meter(list, name, (self) => bigCopy(lengthOf(self)));
  meter(Array, "from", (self, [source]) => (source !== null && typeof source === "object" ? elementsOf(source) : 0) * ELEMENT);
  meterConstructor("Array", (args) => (args.length === 1 ? size(args[0]) * ELEMENT : 0));

  meter(JSON, "stringify", null, (out) => lengthOf(out));
  meter(Function.prototype, "apply", (self, [, list]) => lengthOf(list) * ELEMENT);
  meter(Reflect, "apply", (self, [, , list]) => lengthOf(list) * ELEMENT);

  for (const name of ["ArrayBuffer", "SharedArrayBuffer"]) {
    meterConstructor(name, ([length, options]) =>
      Math.max(size(length), options !== null && typeof options === "object" ? size(options.maxByteLength) : 0));
  }
  for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Float16Array",
    "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    const bytes = globals[name] ? globals[name].BYTES_PER_ELEMENT : 0;
    meterConstructor(name, ([source]) => bytes * elementsOf(source));
  }

  return function uninstall() {
    for (let i = restore.length - 1; i >= 0; i--) /** @type {() => void} */ (restore[i])();
  };
}
