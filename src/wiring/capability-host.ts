/**
 * The capability host behind the sandbox's executeTask, executeTaskChain, embed, callTool and
 * sendEvent globals, built per call from the Worker's bindings and the execution's props.
 * Every failure is a value; the grant in `props.tools` bounds what callTool can reach.
 *
 * What the code sends carries its hop count on: an event one hop further than the event that
 * caused the code, a sub-run the same count as its caller, so a loop through sub-runs ends at
 * the hop limit too. Code a redelivery may run again (`props.replay`) sends with ids that repeat.
 */
import { resolveChain } from "../chains/resolve";
import { readConfig } from "../config";
import { stringify } from "../engine/templates";
import type { Env } from "../env";
import { appendEvent } from "../events/append";
import { effectId } from "../events/replay";
import { isTerminal } from "../engine/records";
import { startRun } from "../run/start";
import { runStub } from "../run/stub";
import { capabilityFailure } from "../sandbox/capabilities";
import type { CapabilityHost, CapabilityProps } from "../sandbox/capabilities";
import { workerRouter } from "./router";
import { toolsForRun } from "./run-tools";

/** How long executeTaskChain waits for the sub-run before answering with its current state. */
const SUB_RUN_WAIT_MS = 120_000;

export function createCapabilityHost(env: Env, props: CapabilityProps): CapabilityHost {
  const config = readConfig(env);

  /** Functions and runs started by events carry their hop count in the props. */
  const hops = props.hops;

  function replayId(): Promise<string | undefined> {
    return props.replay ? effectId(env, props.replay) : Promise.resolve(undefined);
  }

  return {
    async executeTask(prompt, model, provider) {
      const task_id = crypto.randomUUID();
      try {
        const reply = await workerRouter(env, config).llm.chat({ messages: [{ role: "user", content: String(prompt) }], model, provider });
        return { success: true, response: typeof reply.message.content === "string" ? reply.message.content : stringify(reply.message.content), task_id };
      } catch (err) {
        return { ...capabilityFailure("executeTask", err instanceof Error ? err.message : String(err)), task_id };
      }
    },

    async executeTaskChain(chainId, input) {
      const found = await resolveChain(env, String(chainId));
      if (!found) return capabilityFailure("executeTaskChain", `No chain "${chainId}" is registered or bundled.`);
      const runId = await replayId();
      const run = await startRun(env, {
        chain: found.chain,
        chain_version: found.version,
        input,
        ...(runId !== undefined ? { run_id: runId } : {}),
        ...(hops !== undefined ? { event_hops: hops } : {}),
      });
      const done = await runStub(env, run.id).wait(SUB_RUN_WAIT_MS);
      if (!done || !isTerminal(done.status)) return { success: false, output: null, error: `Run ${run.id} is still ${done?.status ?? "unknown"}.`, run_id: run.id };
      if (done.status !== "succeeded") return { success: false, output: done.output, error: done.error?.message ?? done.status, run_id: run.id };
      return { success: true, output: done.output, run_id: run.id };
    },

    async embed(textOrList, model) {
      const input = typeof textOrList === "string" ? [textOrList] : textOrList;
      if (!Array.isArray(input) || input.length === 0 || !input.every((text) => typeof text === "string")) {
        return capabilityFailure("embed", "embed takes a string or a non-empty list of strings");
      }
      try {
        const answer = await workerRouter(env, config).embeddings.embed({ input, ...(typeof model === "string" && model ? { model } : {}) });
        return { success: true, vectors: answer.vectors };
      } catch (err) {
        return capabilityFailure("embed", err instanceof Error ? err.message : String(err));
      }
    },

    async callTool(name, args) {
      const tools = toolsForRun(env, config, props.runId);
      const granted = await tools.list(props.tools);
      if (!granted.some((t) => t.name === name)) {
        return capabilityFailure("callTool", `Tool "${name}" is not granted to this code (granted: ${granted.map((t) => t.name).join(", ") || "none"}).`);
      }
      return tools.call(String(name), args, { runId: props.runId, taskId: props.taskId, idempotencyKey: `${props.runId}:${props.taskId}:${crypto.randomUUID()}` });
    },

    async sendEvent(type, data) {
      const id = await replayId();
      const result = await appendEvent(env, {
        type: String(type),
        data,
        ...(id !== undefined ? { id } : {}),
        metadata: { source_run_id: props.runId, ...(hops !== undefined ? { hops } : {}) },
      });
      return result.ok ? { success: true, event_id: result.id } : capabilityFailure("sendEvent", result.error);
    },
  };
}
