/**
 * What every handler receives and returns.
 */
import type { Chain, Task } from "../chain";
import type { ToolSpec, Usage } from "../chat";
import type { Effects } from "../effects";
import type { RunState } from "../run-state";

/** Context every handler receives. */
export interface HandlerContext {
  task: Task;
  /** The task's input (its `input_var`'s output, else the previous output, else the run input). */
  input: unknown;
  /** Input after `prompt_template` rendering, when the task has one. */
  prompt?: string;
  /** `system_instruction` with macros expanded. */
  system?: string;
  chain: Chain;
  state: Readonly<RunState>;
  effects: Effects;
  signal?: AbortSignal;
  /** Model to use (run vars, retry fallback and defaults already applied). */
  model?: string;
  provider?: string;
  /** Tools supplied by an OpenAI-compatible client, offered only with `pass_clients_tools`. */
  client_tools?: ToolSpec[];
}

export interface HandlerOutput {
  output: unknown;
  eval: string;
  usage?: Usage;
  model?: string;
}

export type Handler = (ctx: HandlerContext) => Promise<HandlerOutput>;
