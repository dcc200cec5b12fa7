/**
 * Server-Sent Events for a run: replay what the client missed (after `Last-Event-ID`), then
 * follow live events until the run finishes.
 */
import type { RunEvent } from "./store";

const encoder = new TextEncoder();

export function formatEvent(event: RunEvent): Uint8Array {
  return encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

export interface EventSource {
  past: RunEvent[];
  ended: boolean;
  subscribe(listener: (event: RunEvent) => void): () => void;
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
