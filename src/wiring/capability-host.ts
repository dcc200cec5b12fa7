/**
 * The capability host behind the sandbox's executeTask, executeTaskChain, embed, callTool and
 * sendEvent globals, built per call from the Worker's bindings and the execution's props.
 * Every failure is a value; the grant in `props.tools` bounds what callTool can reach.
 *
 * What the code sends carries its hop count on: an event one hop further than the event that
 * caused the code, a sub-run the same count as its caller, so a loop through sub-runs ends at
 * the hop limit too; both stay in the cascade of the outside event that caused the code
 * (events/cascade.ts). A sub-run nests at most `SUB_RUN_MAX_DEPTH` below its root run, which
 * adopts it first (run/descendants.ts). Code a redelivery may run again (`props.replay`) is a
 * stored function's, not a run's: it sends with ids that repeat, and its sub-runs are roots.
 */
import { chainToRun } from "../chains/resolve";
import { readConfig } from "../config";
import { stringify } from "../engine/templates";
import type { Env } from "../env";
import { appendEvent } from "../events/append";
import { effectId } from "../events/replay";
import { isTerminal, type RunLineage } from "../engine/records";
import { startRun } from "../run/start";
import { runStub } from "../run/stub";
import { capabilityFailure } from "../sandbox/capabilities";
import type { CapabilityHost, CapabilityProps } from "../sandbox/capabilities";
import { functionContractGate } from "./function-governance";
import { workerRouter } from "./router";
import { runContractGate } from "./run-governance";
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

  /** The run whose code this is, with its root and depth; none for a function. */
  function callerRun(): Promise<(RunLineage & { run_id: string }) | undefined> {
    return props.replay ? Promise.resolve(undefined) : runStub(env, props.runId).lineage();
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
      const found = await chainToRun(env, String(chainId));
      if (!found) return capabilityFailure("executeTaskChain", `No chain "${chainId}" is registered or bundled.`);
      const parent = await callerRun();
      if (parent && parent.depth + 1 > config.limits.subRunDepth) {
        return capabilityFailure(
          "executeTaskChain",
          `Sub-run refused: sub-runs nest at most ${config.limits.subRunDepth} levels below their root run (SUB_RUN_MAX_DEPTH), and run ${parent.run_id} is already ${parent.depth} levels below root run ${parent.root_run_id}.`,
        );
      }
      const runId = (await replayId()) ?? crypto.randomUUID();
      if (parent) {
        const adopted = await runStub(env, parent.root_run_id).adoptDescendant(runId);
        if (!adopted.ok) return capabilityFailure("executeTaskChain", `Sub-run refused: ${adopted.error}.`);
      }
      const eventRoot = parent?.event_root ?? props.eventRoot;
      const run = await startRun(env, {
        chain: found.chain,
        chain_version: found.version,
        input,
        run_id: runId,
        ...(parent ? { parent } : {}),
        ...(hops !== undefined ? { event_hops: hops } : {}),
        ...(eventRoot !== undefined ? { event_root: eventRoot } : {}),
        ...(props.principal !== undefined ? { principal: props.principal } : {}),
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
      const gate = props.governed ? runContractGate(env, props.runId) : props.contract ? functionContractGate(env, { ...props, contract: props.contract }, config.maxStepOutputBytes) : undefined;
      const tools = toolsForRun(env, config, props.runId, gate ? { gate } : {});
      const granted = await tools.list(props.tools);
      if (!granted.some((t) => t.name === name)) {
        return capabilityFailure("callTool", `Tool "${name}" is not granted to this code (granted: ${granted.map((t) => t.name).join(", ") || "none"}).`);
      }
      return tools.call(String(name), args, { runId: props.runId, taskId: props.taskId, idempotencyKey: `${props.runId}:${props.taskId}:${crypto.randomUUID()}` });
    },

    async sendEvent(type, data) {
      const id = await replayId();
      const root = props.eventRoot ?? (hops !== undefined ? (await callerRun())?.event_root : undefined);
      const result = await appendEvent(env, {
        type: String(type),
        data,
        ...(id !== undefined ? { id } : {}),
        metadata: { source_run_id: props.runId, ...(hops !== undefined ? { hops } : {}), ...(root !== undefined ? { root } : {}) },
      });
      return result.ok ? { success: true, event_id: result.id } : capabilityFailure("sendEvent", result.error);
    },
  };
}
