/** The events layer's effects on Workers: runs start in their ChainRun objects, functions in fresh isolates. */
import type { Env } from "../env";
import type { TriggerEffects } from "../events/trigger-effects";
import { startRun } from "../run/start";
import { runFunction } from "./event-functions";

export function triggerEffects(env: Env): TriggerEffects {
  return {
    startRun: (request) => startRun(env, request),
    runFunction: (fn, event, replay, role) => runFunction(env, fn, event, replay, role),
  };
}
