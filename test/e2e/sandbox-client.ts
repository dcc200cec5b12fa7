/**
 * Running JavaScript through the real server for the sandbox e2e tests: a one-task `run_js`
 * chain started with `?wait=true`, the step's envelope read back from `GET /runs/:id/steps`
 * (where users see it), and a check that the server still answers after a hostile program.
 */
import { expect } from "vitest";
import type { SandboxEnvelope } from "../../src/engine/effects";
import { api, runSteps, type Client } from "./client";

export interface JsRun {
  /** The finished run, as `POST /runs?wait=true` returned it. */
  run: any;
  /** The run_js step's output as recorded on the step. */
  envelope: SandboxEnvelope;
}

/** A chain of one run_js task with the given execute_config (limits, tools, egress_allow). */
export function jsChain(executeConfig: Record<string, unknown> = {}) {
  return { id: "sandbox-e2e", tasks: [{ id: "js", handler: "run_js", execute_config: executeConfig }] };
}

export async function runJs(code: string, executeConfig: Record<string, unknown> = {}, client: Client = api()): Promise<JsRun> {
  const res = await client.post("/runs?wait=true", { chain: jsChain(executeConfig), input: { code } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const steps = await runSteps(client, res.body.id);
  expect(steps).toHaveLength(1);
  return { run: res.body, envelope: steps[0].output };
}

/** The server answers `/health` within a second and runs a trivial program, i.e. a hostile one did not take it down. */
export async function expectServerAnswers(client: Client = api()): Promise<void> {
  const health = await fetch(`${client.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
  expect(health.status).toBe(200);
  const { envelope } = await runJs("6 * 7", {}, client);
  expect(envelope.result).toBe(42);
}
