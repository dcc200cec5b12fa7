/**
 * Following a run's Server-Sent Events from its Durable Object (the same stream as
 * `GET /runs/:id/events`), parsed into frames. When the stream breaks before `run.finished` —
 * the object was evicted or restarted mid-run — it is reopened after the last event seen, so
 * nothing is lost or repeated.
 */
import { parseEvents, type RunEventFrame } from "./sse";

/** What answers the run's event stream: the run's stub here, an HTTP client of `GET /runs/:id/events` in the CLI. */
export interface EventStreamSource {
  fetch(request: Request): Promise<Response>;
}

/** Reopenings before giving up on the stream; the caller then waits for the run instead. */
const MAX_REOPENS = 3;

/** `first`: the stream, already open from the run's first event (see ChainRun.startFollowed). */
export async function* followRun(stub: EventStreamSource, signal: AbortSignal, first?: ReadableStream<Uint8Array>): AsyncGenerator<RunEventFrame> {
  let lastId = "";
  for (let opened = 0; opened <= MAX_REOPENS && !signal.aborted; opened++) {
    const headers: Record<string, string> = lastId ? { "last-event-id": String(lastId) } : {};
    const body = opened === 0 && first ? first : (await stub.fetch(new Request("https://run.internal/events", { headers }))).body;
    if (!body) return;
    for await (const frame of parseEvents(body, signal)) {
      lastId = frame.id || lastId;
      yield frame;
      if (frame.event === "run.finished") return;
    }
  }
}
