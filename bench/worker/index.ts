/**
 * The bench Worker. For the OpenAI endpoint's bench, `POST /floor/chat/completions` is the floor
 * (floor.ts). For the sandbox bench: `POST /sandbox {code, limits?}` runs code through `runSandbox` in a fresh
 * Worker Loader isolate and answers its envelope; `POST /isolate {code}` runs it in a fresh
 * isolate as written (not normalised, instrumented or metered), to tell the isolate's cost from
 * the sandbox's; `POST /host {name, n}` runs a CPU-bound program directly in this isolate;
 * `GET /program?name=&n=` is the source the others run; `GET /noop` is the baseline for what HTTP
 * itself costs. Timing is done by the caller: inside workerd the clock does not move during
 * synchronous work.
 *
 * The isolates get an empty capability object and no network: the programs make no calls, so
 * what is measured is starting the isolate, preparing the code and running it.
 */
import { loadIsolate, runSandbox, SANDBOX_COMPATIBILITY_DATE, type WorkerLoaderLike } from "../../src/sandbox/executor";
import { resolveLimits } from "../../src/sandbox/limits";
import { floorCompletion, type FloorEnv } from "./floor";
import { isProgramName, PROGRAMS, programSource } from "./program";

export { FloorRun } from "./floor";

interface Env extends FloorEnv {
  LOADER: WorkerLoaderLike;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    if (route === "GET /noop") return new Response("ok");
    if (route === "POST /floor/chat/completions") return floorCompletion(request, env);
    if (route === "GET /program") {
      const name = url.searchParams.get("name");
      if (!isProgramName(name)) return new Response(`no program ${name}`, { status: 404 });
      return new Response(programSource(name, Number(url.searchParams.get("n"))));
    }
    if (route === "POST /host") {
      const { name, n } = (await request.json()) as { name: unknown; n: number };
      if (!isProgramName(name)) return new Response(`no program ${String(name)}`, { status: 404 });
      return Response.json({ result: PROGRAMS[name](n) });
    }
    if (route === "POST /sandbox") {
      const { code, limits } = (await request.json()) as { code: string; limits?: unknown };
      const resolved = resolveLimits(limits);
      if (!resolved.ok) return Response.json({ error: resolved.error }, { status: 400 });
      return Response.json(await runSandbox({ loader: env.LOADER, capabilities: {}, gate: null }, code, { limits: resolved.limits }));
    }
    if (route === "POST /isolate") {
      const { code } = (await request.json()) as { code: string };
      return Response.json({ result: await runPlain(env.LOADER, code) });
    }
    return new Response(`no route ${route}`, { status: 404 });
  },
};

/** `code` (an async function body) in a fresh isolate with nothing added: the isolate's own cost. */
async function runPlain(loader: WorkerLoaderLike, code: string): Promise<unknown> {
  const source = `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {\n  async run() {\n${code}\n  }\n}\n`;
  const worker = loadIsolate(loader, {
    compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
    mainModule: "plain.js",
    modules: { "plain.js": source },
    env: { CAPS: {} },
    globalOutbound: null,
    limits: { cpuMs: 120_000 },
  });
  return (worker.getEntrypoint() as { run(): Promise<unknown> }).run();
}
