/**
 * Runs a generated sandbox module in Node, standing in for a Worker Loader isolate: the module's
 * `cloudflare:workers` import is pointed at a stub whose `WorkerEntrypoint` keeps `ctx` and
 * `env` as the real one does, and `run()` is called on an instance with `env.CAPS` set.
 */
import type { IsolateCode, WorkerLoaderLike } from "../../src/sandbox/executor";
import type { IsolateOutput } from "../../src/sandbox/prelude";

const WORKERS_STUB =
  "data:text/javascript," +
  encodeURIComponent("export class WorkerEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }");

type EntrypointClass = new (ctx: object, env: { CAPS: object }) => { run(args?: unknown[]): Promise<IsolateOutput> };

export async function runModule(source: string, caps: object, args?: unknown[]): Promise<IsolateOutput> {
  const withStub = source.replace('"cloudflare:workers"', JSON.stringify(WORKERS_STUB));
  const module = (await import(/* @vite-ignore */ "data:text/javascript," + encodeURIComponent(withStub))) as {
    default: EntrypointClass;
  };
  return new module.default({}, { CAPS: caps }).run(args);
}

/** A `LOADER` that evaluates each loaded module in Node and remembers what it was given. */
export function nodeLoader(kind: "load" | "get" = "load") {
  const loaded: { id: string | undefined; code: IsolateCode }[] = [];
  const run = (code: IsolateCode, id: string | undefined, args?: unknown[]) => {
    loaded.push({ id, code });
    return runModule(code.modules[code.mainModule]!, code.env.CAPS, args);
  };
  const loader: WorkerLoaderLike =
    kind === "load"
      ? { load: (code) => ({ getEntrypoint: () => ({ run: (args?: unknown[]) => run(code, undefined, args) }) }) }
      : { get: (id, getCode) => ({ getEntrypoint: () => ({ run: (args?: unknown[]) => run(getCode(), id, args) }) }) };
  return { loader, loaded };
}
