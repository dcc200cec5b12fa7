/**
 * How much time model routing adds to a call on the hot path. Starts the scripted mock LLM and
 * sends chat calls one at a time, alternating two ways, in the same run:
 *
 * - direct (baseline): `chatWith`, one call to one provider, as the router makes it;
 * - routed: the router over a pool of two providers serving the model (both the mock), under
 *   `least_latency`, with its real state: this isolate's copy of the shared routing state, the
 *   routing object's own logic (health.ts) behind an exchange that takes `--rpc-ms` (default 2,
 *   about a Durable Object round trip), so the bench shows what the batching keeps off the path.
 *
 * It also times the router alone, over a backend that answers at once, to see its own cost
 * without the network's noise. Prints median and p95 of each, what routing adds, and ends with
 * one JSON line.
 *
 *   npx tsx bench/routing.ts [--calls 300] [--warmup 30] [--rpc-ms 2]
 */
import { parseArgs } from "node:util";
import type { ChatRequest, ChatResponse } from "../src/engine/effects";
import { chatWith } from "../src/llm/client";
import { embedWith } from "../src/llm/embeddings";
import { HealthBook, type HealthReport } from "../src/llm/health";
import type { Catalog } from "../src/llm/pool";
import type { Provider } from "../src/llm/provider";
import type { ProviderView } from "../src/llm/provider-registry";
import { router, type BackendCalls } from "../src/llm/router";
import { RoutingState } from "../src/llm/routing-state";
import { startMockLLM } from "../test/mocks/llm-server";

const { values } = parseArgs({ options: { calls: { type: "string", default: "300" }, warmup: { type: "string", default: "30" }, "rpc-ms": { type: "string", default: "2" } } });
const CALLS = Math.min(Math.max(Number(values.calls) || 300, 10), 5000);
const WARMUP = Math.min(Math.max(Number(values.warmup) || 0, 0), 500);
const RPC_MS = Math.max(Number(values["rpc-ms"]) || 0, 0);
const MODEL = "bench-model";

const llm = await startMockLLM();
llm.script(MODEL, [{ content: "routed or not" }], { repeat: true });

function view(name: string): ProviderView {
  return { name, base_url: llm.url, type: "openai-compatible", allowed_fails: null, cooldown_s: null, models: [{ id: MODEL, capabilities: ["chat", "tools", "streaming"] }], default_model: null, has_api_key: false, source: "config", created_at: null, updated_at: null };
}
const views = [view("left"), view("right")];
const catalog: Catalog = { providers: views, groups: [], defaultName: "left" };
const providers = new Map<string, Provider>(views.map((v) => [v.name, { name: v.name, type: v.type, baseUrl: v.base_url, models: v.models }]));

/** The routing object's logic behind a delay like a Durable Object round trip's. */
function routingObject() {
  const book = new HealthBook();
  let exchanges = 0;
  const remote = {
    async report(report: HealthReport) {
      exchanges += 1;
      await new Promise((resolve) => setTimeout(resolve, RPC_MS));
      book.apply(report, Date.now());
      return book.snapshot(Date.now());
    },
  };
  return { remote, exchanges: () => exchanges };
}

function routed(calls: BackendCalls) {
  const object = routingObject();
  const { llm: chat } = router({
    catalog: async () => catalog,
    open: async (name) => providers.get(name),
    state: new RoutingState(),
    remote: () => object.remote,
    defaults: { policy: "least_latency", allowedFails: 3, cooldownMs: 30_000 },
    calls,
  });
  return { chat, exchanges: object.exchanges };
}

const request: ChatRequest & { model: string } = { model: MODEL, messages: [{ role: "user", content: "Go" }] };
const instant: ChatResponse = { message: { role: "assistant", content: "at once" }, model: MODEL };

const network = routed({ chat: chatWith, embed: embedWith });
const alone = routed({ chat: async () => instant, embed: embedWith });

async function time(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

try {
  const direct: number[] = [];
  const viaRouter: number[] = [];
  const routerAlone: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const d = await time(() => chatWith(providers.get("left")!, request));
    const r = await time(() => network.chat.chat(request));
    const a = await time(() => alone.chat.chat(request));
    if (i < WARMUP) continue;
    direct.push(d);
    viaRouter.push(r);
    routerAlone.push(a);
  }
  const [d, r, a] = [sorted(direct), sorted(viaRouter), sorted(routerAlone)];
  const stats = {
    bench: "routing",
    calls: CALLS,
    rpc_ms: RPC_MS,
    direct_median_ms: percentile(d, 50),
    direct_p95_ms: percentile(d, 95),
    routed_median_ms: percentile(r, 50),
    routed_p95_ms: percentile(r, 95),
    added_median_ms: percentile(r, 50) - percentile(d, 50),
    added_p95_ms: percentile(r, 95) - percentile(d, 95),
    ratio_median: percentile(r, 50) / percentile(d, 50),
    router_alone_median_ms: percentile(a, 50),
    router_alone_p95_ms: percentile(a, 95),
    exchanges_per_call: network.exchanges() / (WARMUP + CALLS),
  };
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  console.log(`\nRouting vs a direct provider call: ${CALLS} sequential calls each (after ${WARMUP} warm-up), alternating, loopback; routing-object exchange ${RPC_MS} ms\n`);
  console.table({
    "direct (baseline)": { median: ms(stats.direct_median_ms), p95: ms(stats.direct_p95_ms) },
    "routed, 2-backend pool, least_latency": { median: ms(stats.routed_median_ms), p95: ms(stats.routed_p95_ms) },
    "added by routing": { median: ms(stats.added_median_ms), p95: ms(stats.added_p95_ms) },
    "router alone (instant backend)": { median: ms(stats.router_alone_median_ms), p95: ms(stats.router_alone_p95_ms) },
  });
  console.log(`ratio (median) ${stats.ratio_median.toFixed(3)}x; routing-object exchanges per routed call: ${stats.exchanges_per_call.toFixed(2)} (in the background)`);
  console.log(JSON.stringify(stats));
} finally {
  await llm.close();
}
