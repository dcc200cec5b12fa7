/**
 * A run's progress as it happens, drawn from its events: the task running now (behind a spinner
 * when the stream is a terminal), the tokens a chat task receives as they stream, each finished
 * step with its eval, transition and duration, and the tool calls that wait for a decision.
 */
import ora, { type Ora } from "ora";
import type { RunEventFrame } from "../src/run/sse";
import { colorsFor, duration, whereTo, type Colors } from "./output";

interface StepEvent {
  task_id?: string;
  attempt?: number;
  eval?: string;
  goto?: string | null;
  duration_ms?: number;
  error?: { message?: string } | null;
}

interface TokenEvent {
  task_id?: string;
  handler?: string;
  delta?: string;
}

interface ApprovalEvent {
  call_id?: string;
  tool?: string;
  status?: string;
  reason?: string | null;
}

export class RunProgress {
  private readonly colors: Colors;
  private readonly spinner: Ora | undefined;
  /** The task whose tokens are being written, so the next line starts on a fresh one. */
  private streaming: string | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly runId: string,
  ) {
    this.colors = colorsFor(stream);
    // stdin is left alone, so Ctrl-C stays the terminal's (the run command cancels on it).
    this.spinner = stream.isTTY ? ora({ stream, discardStdin: false }) : undefined;
  }

  show(frame: RunEventFrame): void {
    switch (frame.event) {
      case "step.started":
        return this.started(frame.data as StepEvent);
      case "token":
        return this.token(frame.data as TokenEvent);
      case "step.completed":
        return this.completed(frame.data as StepEvent);
      case "approval.requested": {
        const { tool, call_id } = frame.data as ApprovalEvent;
        return this.line(`${this.colors.yellow("⏸")} ${tool} waits for a decision: switchyard approve|deny ${this.runId} ${call_id}`);
      }
      case "approval.decided": {
        const { tool, status, reason } = frame.data as ApprovalEvent;
        return this.line(`${this.colors.cyan("•")} ${tool} ${status}${reason ? ` (${reason})` : ""}`);
      }
      case "run.finished":
        return this.stop();
    }
  }

  stop(): void {
    this.endTokens();
    this.spinner?.stop();
  }

  private started({ task_id, attempt }: StepEvent): void {
    const text = `${task_id}${attempt && attempt > 1 ? ` (attempt ${attempt})` : ""}`;
    if (this.spinner) this.spinner.start(text);
    else this.line(`${this.colors.dim("▸")} ${text}`);
  }

  private token({ task_id, handler, delta }: TokenEvent): void {
    // Only chat turns stream: the other LLM handlers ask the model for the chain's own use.
    if (handler !== "chat_completion" || !delta) return;
    if (this.streaming !== task_id) {
      this.endTokens();
      if (this.spinner) this.line(`${this.colors.dim("▸")} ${task_id}`);
      this.streaming = task_id;
    }
    this.stream.write(this.colors.dim(delta));
  }

  private completed({ task_id, eval: verdict, goto, duration_ms, error }: StepEvent): void {
    const took = this.colors.dim(duration(duration_ms ?? 0));
    if (error) return this.line(`${this.colors.red("✗")} ${task_id}  ${error.message ?? "failed"}  ${took}`);
    this.line(`${this.colors.green("✓")} ${task_id}  ${this.colors.dim("eval")} ${JSON.stringify(verdict ?? "")} → ${whereTo(goto, false)}  ${took}`);
  }

  private endTokens(): void {
    if (this.streaming === undefined) return;
    this.stream.write("\n");
    this.streaming = undefined;
  }

  private line(text: string): void {
    this.endTokens();
    this.spinner?.stop();
    this.stream.write(`${text}\n`);
  }
}
