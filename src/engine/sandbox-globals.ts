/**
 * The globals every sandboxed program gets, declared once: this file is the contract of the
 * Sandbox effect. Its types are the host side's (`sandbox/capabilities.ts` builds on them), and
 * its text, module comment and `export`s removed, is what the model reads under
 * `{{tools:typescript}}` (`scripts/sandbox-globals.mjs` writes it to sandbox-globals-text.ts;
 * a unit test fails when that is stale). So: declarations only, no imports, and doc comments
 * written for the model. The granted tools (`tools`, `callTool`) depend on the grant and are
 * declared per task by tool-types.ts.
 */

/** An HTTP request through the egress gate (public hosts only, unless the operator allows more). Never throws: a refused or failed request has ok: false and error. */
export declare function httpFetch(url: string, init?: HttpFetchInit): Promise<HttpFetchResult>;

export interface HttpFetchInit {
  method?: string;
  headers?: Record<string, string> | [string, string][];
  /** A string is sent as is; any other value is sent as JSON. */
  body?: unknown;
}

export interface HttpFetchResult {
  ok: boolean;
  status: number;
  statusText: string;
  /** The final URL, after redirects. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Set when the body was cut off at the response size limit (a marker ends the body). */
  truncated?: boolean;
  error?: string;
}

/** Asks the LLM one question and resolves to its answer. */
export declare function executeTask(prompt: string, model?: string, provider?: string): Promise<ExecuteTaskResult>;

export interface ExecuteTaskResult {
  success: boolean;
  response: string;
  error?: string;
  task_id: string;
}

/** Turns text (or each text of a list) into an embedding vector, with the given embedding model or the first one configured. */
export declare function embed(textOrList: string | string[], model?: string): Promise<EmbedResult>;

export interface EmbedResult {
  success: boolean;
  /** One vector per text, in order. */
  vectors: number[][];
  error?: string;
}

/** Runs another chain to its end with the given input and resolves to its output. */
export declare function executeTaskChain(chainId: string, input: unknown): Promise<ExecuteTaskChainResult>;

export interface ExecuteTaskChainResult {
  success: boolean;
  output: unknown;
  error?: string;
  run_id: string;
}

/** Publishes an event that triggers and functions can react to. */
export declare function sendEvent(type: string, data: unknown): Promise<SendEventResult>;

export interface SendEventResult {
  success: boolean;
  event_id: string;
  error?: string;
}

/** Captured into the run's logs. */
export declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  debug(...values: unknown[]): void;
  trace(...values: unknown[]): void;
  dir(...values: unknown[]): void;
  table(...values: unknown[]): void;
  assert(condition: unknown, ...values: unknown[]): void;
};
