/**
 * The floor the OpenAI-compatible endpoint is measured against: the least a Worker can do that
 * has the endpoint's shape. `POST /floor/chat/completions` goes to a fresh Durable Object (one
 * per request, named by a random id, as a run is), which writes one row to its SQLite and asks
 * the provider for the reply streamed, with usage, as Switchyard asks it; a streaming request
 * gets the provider's stream passed through, any other the reply assembled into one
 * `chat.completion`. No chain, no state machine, no D1, no event log: whatever the endpoint
 * adds beyond this is Switchyard's own cost (bench/openai-latency.ts prints the ratio).
 *
 * The object is a plain class (workerd takes any class with `fetch`), so this file needs no
 * Workers types: it is type-checked with the benches, under Node's.
 */

interface FloorStorage {
  sql: { exec(query: string, ...bindings: unknown[]): unknown };
}

interface FloorNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

export interface FloorEnv {
  FLOOR: FloorNamespace;
  /** The provider's base URL (`…/v1`), as Switchyard's LLM_BASE_URL. */
  UPSTREAM_URL: string;
}

/** The Worker's side: hand the request to a fresh object. */
export function floorCompletion(request: Request, env: FloorEnv): Promise<Response> {
  return env.FLOOR.get(env.FLOOR.idFromName(crypto.randomUUID())).fetch(request);
}

export class FloorRun {
  constructor(
    private readonly ctx: { storage: FloorStorage },
    private readonly env: FloorEnv,
  ) {}

  async fetch(request: Request): Promise<Response> {
    const body = (await request.json()) as { stream?: boolean } & Record<string, unknown>;
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    this.ctx.storage.sql.exec("INSERT INTO requests (body) VALUES (?)", JSON.stringify(body));
    const upstream = await fetch(`${this.env.UPSTREAM_URL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: request.headers.get("authorization") ?? "" },
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
    });
    if (!upstream.ok || !upstream.body) return new Response(upstream.body, { status: upstream.status });
    if (body.stream === true) return new Response(upstream.body, { headers: { "content-type": "text/event-stream" } });
    return Response.json(await assembled(upstream.body));
  }
}

/** The streamed reply as one `chat.completion`: its content deltas joined, its usage kept. */
async function assembled(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  const text = await new Response(stream).text();
  let content = "";
  let usage: unknown = null;
  let finish: unknown = null;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: {")) continue;
    const chunk = JSON.parse(line.slice(6)) as { usage?: unknown; choices?: Array<{ delta?: { content?: string }; finish_reason?: unknown }> };
    content += chunk.choices?.[0]?.delta?.content ?? "";
    finish = chunk.choices?.[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  return { object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finish }], usage };
}
