/**
 * The bench Worker: `POST /sandbox {code, limits?}` runs code through `runSandbox` in a fresh
 * Worker Loader isolate and answers its envelope; `POST /host {n}` runs the CPU-bound program
 * directly in this isolate; `GET /program?n=` is the source the sandbox runs; `GET /noop` is
 * the baseline for what HTTP itself costs. Timing is done by the caller: inside workerd the
 * clock does not move during synchronous work.
 *
 * The isolates get an empty capability object and no network: the programs make no calls, so
 * what is measured is starting the isolate, preparing the code and running it.
 */
import { runSandbox, type WorkerLoaderLike } from "../../src/sandbox/executor";
import { resolveLimits } from "../../src/sandbox/limits";
import { cpuBound, programSource } from "./program";

interface Env {
  LOADER: WorkerLoaderLike;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    if (route === "GET /noop") return new Response("ok");
    if (route === "GET /program") return new Response(programSource(Number(url.searchParams.get("n"))));
    if (route === "POST /host") {
      const { n } = (await request.json()) as { n: number };
      return Response.json({ result: cpuBound(n) });
    }
    if (route === "POST /sandbox") {
      const { code, limits } = (await request.json()) as { code: string; limits?: unknown };
      const resolved = resolveLimits(limits);
      if (!resolved.ok) return Response.json({ error: resolved.error }, { status: 400 });
      return Response.json(await runSandbox({ loader: env.LOADER, capabilities: {}, gate: null }, code, { limits: resolved.limits }));
    }
    return new Response(`no route ${route}`, { status: 404 });
  },
};
