/**
 * Code mode against the classic tool loop on a task that needs many tool calls and some
 * aggregation: page through 10,000 records of the mock OpenAPI service (registered through
 * `POST /tools`) and return the 3 that match. Both runs go through a real `wrangler dev` and
 * the scripted mock LLM, which answers as a competent model would:
 *
 * - tool loop (`chains/tool-loop.json`): it calls `listRecords` for the first page, then for
 *   all the remaining pages at once (parallel tool calls), then answers from what came back;
 *   every page travels through the prompt.
 * - code mode (`chains/code-mode.json`): it writes one program that fetches the pages in the
 *   sandbox and returns only the matches; the pages never reach the LLM.
 *
 * Prints, per mode (median of the runs): LLM round trips, bytes and tokens sent to the LLM,
 * wall time, and whether the answer held the 3 records; then tool loop / code mode ratios.
 *
 *   npx tsx bench/code-mode-vs-tool-loop.ts [--records 10000] [--runs 3]
 */
import { parseArgs } from "node:util";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { startDevServer } from "../test/e2e/dev-server";
import { startMockLLM } from "../test/mocks/llm-server";
import type { MockReplyData } from "../test/mocks/llm-script";
import { buildRecords, GOLD_PREDICATE } from "../test/mocks/tool-records";
import { startToolService } from "../test/mocks/tool-service";

const { values } = parseArgs({ options: { records: { type: "string", default: "10000" }, runs: { type: "string", default: "3" } } });
const RECORDS = Math.max(Number(values.records) || 10_000, 3);
const RUNS = Math.min(Math.max(Number(values.runs) || 3, 1), 20);
const PAGE = 1000;
const API_KEY = "bench-key";
const SERVICE = "records";
const LIST = `${SERVICE}__listRecords`;
const TASK = `Find the records where ${GOLD_PREDICATE} among all ${RECORDS} records, and return them.`;
/** Marks the program, so the model recognises its own sandbox result in a later turn. */
const PROGRAM_MARK = "// competent program: page through the records, keep the matches";

const PROGRAM = [
  PROGRAM_MARK,
  `const first = await tools.${SERVICE}.listRecords({ offset: 0, limit: ${PAGE} });`,
  "const offsets = [];",
  `for (let o = first.next_offset; o !== null && o < first.total; o += ${PAGE}) offsets.push(o);`,
  `const rest = await Promise.all(offsets.map((offset) => tools.${SERVICE}.listRecords({ offset, limit: ${PAGE} })));`,
  'const matches = [first, ...rest].flatMap((page) => page.items).filter((r) => r.category === "gold" && r.score > 95);',
  "return { answer: matches };",
].join("\n");

type Message = { role: string; content?: unknown; tool_calls?: unknown };
type Page = { items: Array<{ id: number; category: string; score: number }>; offset: number; total: number };

/** The scripted model: one function answering every turn of either mode from what it is sent. */
function competentModel(request: ChatCompletionCreateParams): MockReplyData {
  const offered = (request.tools ?? []).map((t) => (t.type === "function" ? t.function.name : ""));
  const messages = request.messages as Message[];
  if (offered.includes(LIST)) return toolLoopTurn(messages);
  const seenResult = messages.some((m) => m.role !== "system" && textOf(m).includes(PROGRAM_MARK) && textOf(m).includes('"result"'));
  return seenResult ? { content: "Here are the matching records (from the program's result above)." } : { content: PROGRAM };
}

function toolLoopTurn(messages: Message[]): MockReplyData {
  const pages = messages.filter((m) => m.role === "tool").flatMap((m) => parsePage(textOf(m)));
  if (pages.length === 0) return { tool_calls: [{ name: LIST, arguments: { offset: 0, limit: PAGE } }] };
  const total = pages[0]!.total;
  const fetched = new Set(pages.map((p) => p.offset));
  const missing: number[] = [];
  for (let offset = 0; offset < total; offset += PAGE) if (!fetched.has(offset)) missing.push(offset);
  if (missing.length > 0) return { tool_calls: missing.map((offset) => ({ name: LIST, arguments: { offset, limit: PAGE } })) };
  const matches = pages.flatMap((p) => p.items).filter((r) => r.category === "gold" && r.score > 95);
  return { content: JSON.stringify(matches) };
}

function parsePage(text: string): Page[] {
  try {
    const value = JSON.parse(text) as Page;
    return Array.isArray(value.items) ? [value] : [];
  } catch {
    return [];
  }
}

function textOf(message: Message): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content ?? "");
}

interface Measure {
  roundTrips: number;
  promptBytes: number;
  promptTokens: number;
  wallMs: number;
  correct: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gold = buildRecords(RECORDS).filter((r) => r.category === "gold" && r.score > 95);

const llm = await startMockLLM();
const tools = await startToolService({ records: RECORDS });
const server = await startDevServer({ vars: { API_KEYS: API_KEY, LLM_BASE_URL: llm.url, LLM_API_KEY: "bench", LLM_MODEL: "mock-model", SECRETS_KEY: "bench-secrets" } });
const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as any };
};

try {
  const registered = await call("POST", "/tools", { name: SERVICE, type: "openapi", url: tools.url });
  if (registered.status !== 201) throw new Error(`registering the tool service failed: ${JSON.stringify(registered.body)}`);

  let runNo = 0;
  async function measure(mode: string): Promise<Measure> {
    const scenario = `bench-${mode}-${++runNo}`;
    llm.script(scenario, [competentModel], { repeat: true });
    const started = performance.now();
    const res = await call("POST", "/runs?wait=true&timeout_ms=600000", { chain_id: mode, input: TASK, vars: { model: scenario } });
    const wallMs = performance.now() - started;
    if (res.body.status !== "succeeded") throw new Error(`${mode} run ended ${res.body.status}: ${JSON.stringify(res.body.error)}`);
    const requests = llm.requests(scenario);
    const output = JSON.stringify(res.body.output);
    return {
      roundTrips: requests.length,
      promptBytes: requests.reduce((sum, r) => sum + JSON.stringify(r.body).length, 0),
      promptTokens: res.body.usage.prompt_tokens,
      wallMs,
      correct: gold.every((r) => output.includes(`"id":${r.id},`) || output.includes(`\\"id\\":${r.id},`)),
    };
  }

  await measure("tool-loop"); // warm-up: first isolates, first D1 statements
  await measure("code-mode");
  const results: Record<string, Measure[]> = { "tool-loop": [], "code-mode": [] };
  for (let i = 0; i < RUNS; i++) for (const mode of ["tool-loop", "code-mode"]) results[mode]!.push(await measure(mode));

  const summary = Object.fromEntries(
    Object.entries(results).map(([mode, ms]) => [
      mode,
      { roundTrips: median(ms.map((m) => m.roundTrips)), promptBytes: median(ms.map((m) => m.promptBytes)), promptTokens: median(ms.map((m) => m.promptTokens)), wallMs: median(ms.map((m) => m.wallMs)), correct: ms.every((m) => m.correct) },
    ]),
  ) as Record<string, Measure>;
  const loop = summary["tool-loop"]!;
  const code = summary["code-mode"]!;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`\n${RECORDS} records, pages of ${PAGE}, median of ${RUNS} runs (the mock counts ~4 characters per token)`);
  console.log("| mode | LLM round trips | sent to the LLM | prompt tokens | wall time | found the 3 |");
  console.log("|---|---|---|---|---|---|");
  for (const [mode, m] of [["tool loop", loop], ["code mode", code]] as const) {
    console.log(`| ${mode} | ${m.roundTrips} | ${kib(m.promptBytes)} | ${m.promptTokens} | ${m.wallMs.toFixed(0)} ms | ${m.correct ? "yes" : "no"} |`);
  }
  console.log(
    `| tool loop / code mode | ${(loop.roundTrips / code.roundTrips).toFixed(1)}x | ${(loop.promptBytes / code.promptBytes).toFixed(1)}x | ${(loop.promptTokens / code.promptTokens).toFixed(1)}x | ${(loop.wallMs / code.wallMs).toFixed(1)}x | |`,
  );
  console.log("The mock answers at once: with a real model, each round trip adds its latency and every prompt token its cost.");
  console.log(
    JSON.stringify({
      bench: "code-mode-vs-tool-loop",
      runs: RUNS,
      tool_loop: loop,
      code_mode: code,
      ratio_round_trips: Number((loop.roundTrips / code.roundTrips).toFixed(1)),
      ratio_prompt_bytes: Number((loop.promptBytes / code.promptBytes).toFixed(1)),
      ratio_prompt_tokens: Number((loop.promptTokens / code.promptTokens).toFixed(1)),
      ratio_wall: Number((loop.wallMs / code.wallMs).toFixed(1)),
    }),
  );
} finally {
  await server.stop();
  await tools.close();
  await llm.close();
}
