/**
 * The load bench at a small size, against the e2e server: runs started at once and streaming
 * completions at once all finish, none is lost and none calls the provider twice. No timing is
 * asserted (bench/load.ts reports throughput and latency).
 */
import { describe, expect, inject, it } from "vitest";
import { measureLoad } from "../../bench/load";

describe("concurrent starts", () => {
  it("finishes every one of 30 runs and 15 streamed completions started at once, losing and doubling none", async () => {
    const report = await measureLoad({ url: inject("baseUrl"), apiKey: inject("apiKey"), llmUrl: inject("llmUrl"), runs: 30, deadlineMs: 60_000 });
    expect(report.runs).toMatchObject({ started: 30, start_errors: 0, succeeded: 30, failed: 0, lost: 0, duplicated: 0 });
    expect(report.streams).toMatchObject({ started: 15, completed: 15, failed: 0, duplicated: 0 });
  });
});
