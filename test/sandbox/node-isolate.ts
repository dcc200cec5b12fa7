/**
 * Runs a sandbox isolate's modules in Node, standing in for a Worker Loader isolate: each module
 * becomes a `data:` URL, its imports of the other modules (`"./prelude.js"`) point at theirs, and
 * `cloudflare:workers` at a stub whose `WorkerEntrypoint` keeps `ctx` and `env` as the real one
 * does; `run()` is called on an instance of the main module's default export with `env.CAPS` set.
 */
import type { SandboxEnvelope } from "../../src/engine/effects";
import { runSandbox, type IsolateCode, type WorkerLoaderLike } from "../../src/sandbox/executor";
import { DEFAULT_LIMITS, type SandboxLimits } from "../../src/sandbox/limits";
import { RUNTIME_MODULES } from "../../src/sandbox/isolate-module";
import type { IsolateOutput } from "../../src/sandbox/isolate-module";

const WORKERS_STUB = dataUrl("export class WorkerEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }");

type EntrypointClass = new (ctx: object, env: { CAPS: object }) => { run(args?: unknown[]): Promise<IsolateOutput> };

/** Runs `source` as the main module beside the sandbox runtime's modules. */
export function runModule(source: string, caps: object, args?: unknown[]): Promise<IsolateOutput> {
  return runModules({ ...RUNTIME_MODULES, "main.js": source }, "main.js", caps, args);
}

async function runModules(modules: Record<string, string>, main: string, caps: object, args?: unknown[]): Promise<IsolateOutput> {
  const urls = new Map<string, string>();
  const urlOf = (name: string): string => {
    const known = urls.get(name);
    if (known) return known;
    const source = modules[name];
    if (source === undefined) throw new Error(`the isolate has no module ${name}`);
    const linked = source
      .replace('"cloudflare:workers"', JSON.stringify(WORKERS_STUB))
      .replace(/(from\s+)"\.\/([^"]+)"/g, (_, from: string, imported: string) => `${from}${JSON.stringify(urlOf(imported))}`);
    const url = dataUrl(linked);
    urls.set(name, url);
    return url;
  };
  const module = (await import(/* @vite-ignore */ urlOf(main))) as { default: EntrypointClass };
  // An isolate formats stack traces natively; the test runner's hook for that (source maps)
  // would call the global RegExp, which the sandbox replaces while its code runs.
  const formatStack = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
  Reflect.deleteProperty(Error, "prepareStackTrace");
  try {
    return await new module.default({}, { CAPS: caps }).run(args);
  } finally {
    if (formatStack) Object.defineProperty(Error, "prepareStackTrace", formatStack);
  }
}

function dataUrl(source: string): string {
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** A `LOADER` that evaluates each loaded isolate in Node and remembers what it was given. */
export function nodeLoader(kind: "load" | "get" = "load") {
  const loaded: { id: string | undefined; code: IsolateCode }[] = [];
  const run = (code: IsolateCode, id: string | undefined, args?: unknown[]) => {
    loaded.push({ id, code });
    return runModules(code.modules, code.mainModule, code.env.CAPS, args);
  };
  const loader: WorkerLoaderLike =
    kind === "load"
      ? { load: (code) => ({ getEntrypoint: () => ({ run: (args?: unknown[]) => run(code, undefined, args) }) }) }
      : { get: (id, getCode) => ({ getEntrypoint: () => ({ run: (args?: unknown[]) => run(getCode(), id, args) }) }) };
  return { loader, loaded };
}

/** Runs code as `runSandbox` does, with no capabilities and no network, in a Node stand-in isolate. */
export function runCode(code: string, limits: Partial<SandboxLimits> = {}): Promise<SandboxEnvelope> {
  const { loader } = nodeLoader();
  return runSandbox({ loader, capabilities: {}, gate: null }, code, { limits: { ...DEFAULT_LIMITS, ...limits } });
}
