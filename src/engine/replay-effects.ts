/**
 * Effects that call nothing: they serve one step's recorded effects, in order, to a step run
 * again. Each effect asked for is compared with the record first; the first that differs (or
 * that the record does not have, or a record left over) is the step's divergence, and the step
 * is stopped there. A recorded result that was cut (a truncation marker) cannot be served: the
 * step is then "not replayable" rather than replayed wrongly. An effect that was still in flight
 * when the recorded step ended stops the step with the error it ended with.
 */
import type { ToolSpec } from "./chat";
import type { ChatResponse, EmbedRequest, EmbedResponse, Effects, SandboxEnvelope } from "./effects";
import { EngineError } from "./errors";
import { requestRecord, responseOf, thrownAgain, type LlmCall } from "./llm-calls";
import type { EffectKind, RecordedEffect, StepEffects } from "./recording";
import { isTruncated, matchesRecorded } from "./truncate";

/** An effect as compared: its kind and what was asked. */
export interface EffectRequest {
  kind: EffectKind;
  request: unknown;
}

export interface EffectDivergence {
  message: string;
  recorded: EffectRequest | null;
  replayed: EffectRequest | null;
}

export class ReplayEffects implements Effects {
  /** Set once the step asked for an effect other than the recorded one. */
  divergence?: EffectDivergence;
  /** Set when an effect the step needs was cut in the record. */
  unservable?: string;
  private readonly controller = new AbortController();
  private next = 0;

  constructor(
    private readonly step: StepEffects,
    private readonly calls: readonly LlmCall[],
  ) {}

  /** Give this to `executeStep`: a stop (divergence, cut record, recorded interruption) aborts it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Recorded effects the step has not asked for (none when it was stopped). */
  leftOver(): RecordedEffect[] {
    return this.controller.signal.aborted ? [] : this.step.effects.slice(this.next);
  }

  /** The recorded effect as compared, by its position in the record. */
  asRequest(effect: RecordedEffect): EffectRequest {
    return effect.kind === "llm" ? { kind: "llm", request: this.calls[effect.call]?.request ?? null } : { kind: effect.kind, request: effect.request };
  }

  readonly llm = {
    chat: (request: Parameters<Effects["llm"]["chat"]>[0]): Promise<ChatResponse> =>
      this.serve({ kind: "llm", request: requestRecord(request) }, (effect) => {
        const call = effect.kind === "llm" ? this.calls[effect.call] : undefined;
        if (call?.error) throw thrownAgain(call.error);
        const response = call && responseOf(call);
        if (response === undefined) return this.stop(`its LLM reply was cut in the record`);
        return response;
      }),
  };

  readonly embeddings = {
    embed: (request: EmbedRequest) => this.serve<EmbedResponse>({ kind: "embeddings", request }, (effect) => this.result(effect)),
  };

  readonly tools = {
    list: (grant: string[] | undefined) => this.serve<ToolSpec[]>({ kind: "tools.list", request: { grant: grant ?? null } }, (effect) => this.result(effect)),
    missing: (grant: string[]) => this.serve<string[]>({ kind: "tools.missing", request: { grant } }, (effect) => this.result(effect)),
    call: (name: string, args: unknown) => this.serve<unknown>({ kind: "tools.call", request: { name, args } }, (effect) => this.result(effect)),
  };

  readonly sandbox = {
    run: (code: string, options: { task: { id: string } }) =>
      this.serve<SandboxEnvelope>({ kind: "sandbox.run", request: { task_id: options.task.id, code } }, (effect) => this.result(effect)),
  };

  readonly clock = { now: () => this.step.env.now };

  private async serve<T>(asked: EffectRequest, answer: (effect: RecordedEffect) => T | Promise<T>): Promise<T> {
    const effect = this.step.effects[this.next];
    if (effect === undefined) {
      if (this.step.interrupted) return this.interrupt();
      return this.diverge({ message: `the step asked for ${describe(asked)}, which the recorded step did not`, recorded: null, replayed: asked });
    }
    const recorded = this.asRequest(effect);
    if (recorded.kind !== asked.kind || !matchesRecorded(recorded.request, asked.request)) {
      const message =
        recorded.kind === asked.kind
          ? `the step asked for ${describe(asked)} with other arguments than recorded`
          : `the step asked for ${describe(asked)} where the recorded step asked for ${describe(recorded)}`;
      return this.diverge({ message, recorded, replayed: asked });
    }
    if (effect.pending) return this.interrupt();
    this.next += 1;
    return answer(effect);
  }

  private result<T>(effect: RecordedEffect): T | Promise<T> {
    if (effect.kind === "llm") return this.stop("an LLM call was recorded where another effect was expected");
    if (effect.error) throw thrownAgain(effect.error);
    if (isTruncated(effect.result)) return this.stop(`its ${effect.kind} result was cut in the record (${effect.result.original_bytes} bytes)`);
    return structuredClone(effect.result) as T;
  }

  private diverge(divergence: EffectDivergence): Promise<never> {
    this.divergence ??= divergence;
    return this.halt(new EngineError("replay_diverged", divergence.message));
  }

  private stop(reason: string): Promise<never> {
    this.unservable ??= reason;
    return this.halt(new EngineError("replay_unservable", reason));
  }

  private interrupt(): Promise<never> {
    const { type, message, retryable } = this.step.interrupted ?? { type: "cancelled", message: "the recorded step was interrupted", retryable: false };
    return this.halt(new EngineError(type, message, { retryable }));
  }

  /** Ends the step with `reason`; the effect asked for never settles. */
  private halt(reason: EngineError): Promise<never> {
    this.controller.abort(reason);
    return new Promise<never>(() => undefined);
  }
}

function describe(effect: EffectRequest): string {
  if (effect.kind === "llm") return "an LLM call";
  if (effect.kind === "tools.call") {
    const name = (effect.request as { name?: unknown } | null)?.name;
    return typeof name === "string" ? `tool "${name}"` : "a tool call";
  }
  if (effect.kind === "sandbox.run") return "a sandbox run";
  if (effect.kind === "embeddings") return "embeddings";
  return `the tool list (${effect.kind})`;
}
