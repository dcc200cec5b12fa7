/**
 * Server-Sent Events for a run, both ends: the object's stream replays what the client missed
 * (after `Last-Event-ID`), then follows live events until the run finishes; the decoder turns
 * such a stream back into frames for whoever follows it.
 */
/**
 * What a run's followers are sent: a stored event (its id the sequence number) or a token of the
 * step in flight (`<seq>:<n>`, see step-tokens.ts). Declared here, not imported, so the decoder
 * also serves Node programs such as the CLI.
 */
interface StreamedEvent {
  id: number | string;
  type: string;
  data: unknown;
}

const encoder = new TextEncoder();

export function formatEvent(event: StreamedEvent): Uint8Array {
  return encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

export interface EventSource {
  past: StreamedEvent[];
  ended: boolean;
  subscribe(listener: (event: StreamedEvent) => void): () => void;
}

export function eventStream(source: EventSource): Response {
  let unsubscribe: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(": switchyard run events\n\n"));
      for (const event of source.past) controller.enqueue(formatEvent(event));
      if (source.ended) {
        controller.close();
        return;
      }
      unsubscribe = source.subscribe((event) => {
        controller.enqueue(formatEvent(event));
        if (event.type === "run.finished") {
          unsubscribe?.();
          controller.close();
        }
      });
    },
    cancel() {
      unsubscribe?.();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" },
  });
}

export interface RunEventFrame {
  /** A stored event's sequence number, or `<seq>:<n>` for a token (see step-tokens.ts). */
  id: string;
  event: string;
  data: unknown;
}

export async function* parseEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<RunEventFrame> {
  // Decoded here rather than through a TextDecoderStream: one stream stage less for every token.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", stop, { once: true });
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
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
  return { id: fields.get("id") ?? "", event, data: JSON.parse(data) as unknown };
}
