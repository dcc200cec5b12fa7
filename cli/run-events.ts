/**
 * A run's events over `GET /runs/:id/events`, followed to the run's end by the runtime's own
 * follower (src/run/follow.ts, which reopens a broken stream after the last event seen), and the
 * run as it ended.
 */
import { isTerminal, type RunView } from "../src/engine/records";
import { followRun } from "../src/run/follow";
import type { RunEventFrame } from "../src/run/sse";
import type { Client } from "./client";

const POLL_MS = 500;

export function runEvents(client: Client, runId: string, signal: AbortSignal): AsyncGenerator<RunEventFrame> {
  const path = `/runs/${encodeURIComponent(runId)}/events`;
  return followRun(
    {
      fetch: (request) => {
        const lastId = request.headers.get("last-event-id");
        return client.send("GET", path, { signal, headers: lastId ? { "last-event-id": lastId } : {} });
      },
    },
    signal,
  );
}

export function getRun(client: Client, runId: string): Promise<RunView> {
  return client.json<RunView>("GET", `/runs/${encodeURIComponent(runId)}`);
}

/** The run once it has ended; polled, for when its event stream could not be followed to the end. */
export async function endedRun(client: Client, runId: string): Promise<RunView> {
  for (;;) {
    const run = await getRun(client, runId);
    if (isTerminal(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
