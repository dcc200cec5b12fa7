/**
 * Following a run's events (`GET /runs/:id/events`) as they happen, reopening the stream after
 * the last event seen if it breaks before the run has finished.
 */
import { send } from "./client";
import { readSse } from "./sse";

export interface RunEvent {
  type: string;
  data: Record<string, unknown>;
}

const MAX_REOPENS = 5;

export async function followRun(runId: string, signal: AbortSignal, onEvent: (event: RunEvent) => void): Promise<void> {
  let lastId: string | undefined;
  for (let opened = 0; opened <= MAX_REOPENS && !signal.aborted; opened++) {
    try {
      const headers: Record<string, string> = lastId ? { "last-event-id": lastId } : {};
      const response = await send("GET", `/runs/${encodeURIComponent(runId)}/events`, { signal, headers });
      if (!response.body) return;
      for await (const frame of readSse(response.body)) {
        if (signal.aborted) return;
        lastId = frame.id ?? lastId;
        const event = { type: frame.event, data: JSON.parse(frame.data) as Record<string, unknown> };
        onEvent(event);
        if (event.type === "run.finished") return;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (opened === MAX_REOPENS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * (opened + 1)));
  }
}
