/**
 * Following a run's Server-Sent Events from its Durable Object (the same stream as
 * `GET /runs/:id/events`), parsed into frames. When the stream breaks before `run.finished` —
 * the object was evicted or restarted mid-run — it is reopened after the last event seen, so
 * nothing is lost or repeated.
 */
import type { RunStub } from "../../run/stub";

export interface RunEventFrame {
  id: number;
  event: string;
  data: unknown;
}

/** Reopenings before giving up on the stream; the caller then waits for the run instead. */
const MAX_REOPENS = 3;

export async function* followRun(stub: RunStub, signal: AbortSignal): AsyncGenerator<RunEventFrame> {
  let lastId = 0;
  for (let opened = 0; opened <= MAX_REOPENS && !signal.aborted; opened++) {
    const headers: Record<string, string> = lastId ? { "last-event-id": String(lastId) } : {};
    const response = await stub.fetch(new Request("https://run.internal/events", { headers }));
    if (!response.body) return;
    for await (const frame of parseEvents(response.body, signal)) {
      lastId = frame.id;
      yield frame;
      if (frame.event === "run.finished") return;
    }
  }
}

export async function* parseEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<RunEventFrame> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", stop, { once: true });
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (frame) yield frame;
      }
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}

function parseFrame(block: string): RunEventFrame | undefined {
  const fields = new Map<string, string>();
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
  }
  const event = fields.get("event");
  const data = fields.get("data");
  if (event === undefined || data === undefined) return undefined;
  return { id: Number(fields.get("id") ?? 0), event, data: JSON.parse(data) as unknown };
}
