/**
 * Problems and errors: one shape for every validation and run error, rendered at the edge.
 */

export interface Problem {
  severity: "error" | "warning";
  /** JSON path into the chain document, e.g. `tasks[2].transition.branches[0].goto`. */
  path: string;
  message: string;
}

/** The provider and model an LLM call went to. */
export interface LlmTarget {
  provider: string;
  model: string;
}

/**
 * An error with a type a caller can branch on; `retryable` marks transient failures, `llm`
 * names the provider and model a failed LLM call tried.
 */
export class EngineError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly options: { path?: string; retryable?: boolean; status?: number; llm?: LlmTarget } = {},
  ) {
    super(message);
    this.name = "EngineError";
  }
}
