/**
 * `switchyard chat [--chain ID]`: a conversation through the runtime's OpenAI-compatible endpoint
 * (with the official `openai` client), the answer's tokens printed as they stream, the history
 * sent with every turn. `/reset` forgets it, `/chain ID` talks to another chain, `/run` shows the
 * steps of the last turn's run, Ctrl-D leaves. Piped stdin works too: one message per line, one
 * answer per line on stdout.
 */
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { isPathLike } from "../config-file";
import { contextOf, type Context } from "../context";
import { ApiFailure, CliError, Unreachable } from "../errors";
import { print, printError, stderrColors, stdoutColors } from "../output";
import { DEFAULT_CHAIN } from "../settings";
import { fetchSteps, printSteps } from "./steps";

const HELP = "/reset forgets the conversation, /chain ID talks to another chain, /run shows the last run's steps, Ctrl-D leaves";

interface Conversation {
  chain: string;
  messages: ChatCompletionMessageParam[];
  lastRun?: string;
  /** Aborts the answer being streamed. */
  answering?: AbortController;
}

export function registerChat(program: Command): void {
  program
    .command("chat")
    .description("talk to a chain through the OpenAI-compatible endpoint")
    .option("-c, --chain <id>", "the chain to talk to; default: the config's default-chain when it is an id, else default-chain")
    .action(async (options: { chain?: string }, command: Command) => {
      const context = contextOf(command);
      const configured = context.settings["default-chain"].value;
      const conversation: Conversation = { chain: options.chain ?? (configured && !isPathLike(configured) ? configured : DEFAULT_CHAIN), messages: [] };
      const openai = new OpenAI({ baseURL: `${context.client.baseUrl}/v1`, apiKey: context.client.key ?? "", maxRetries: 0 });
      const interactive = process.stdin.isTTY === true;
      const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: interactive, prompt: interactive ? stderrColors.bold("you› ") : "" });
      // Ctrl-C stops the answer being streamed; at the prompt it leaves, as Ctrl-D does.
      lines.on("SIGINT", () => (conversation.answering ? conversation.answering.abort() : lines.close()));
      if (interactive) printError(stderrColors.dim(`chatting with ${conversation.chain} at ${context.client.baseUrl} (${HELP})`));
      lines.prompt();
      for await (const line of lines) {
        if (line.trim() !== "") await handle(line.trim(), conversation, openai, context, interactive);
        lines.prompt();
      }
    });
}

async function handle(line: string, conversation: Conversation, openai: OpenAI, context: Context, interactive: boolean): Promise<void> {
  if (line === "/reset") {
    conversation.messages = [];
    return printError(stderrColors.dim("conversation forgotten"));
  }
  if (line.startsWith("/chain")) {
    const chain = line.slice("/chain".length).trim();
    if (chain) conversation.chain = chain;
    return printError(stderrColors.dim(`talking to ${conversation.chain}`));
  }
  if (line === "/run") {
    if (!conversation.lastRun) return printError(stderrColors.dim("no run yet"));
    printError(stderrColors.dim(`run ${conversation.lastRun}`));
    return printSteps(await fetchSteps(context, conversation.lastRun));
  }
  if (line.startsWith("/")) return printError(stderrColors.dim(HELP));
  conversation.messages.push({ role: "user", content: line });
  conversation.answering = new AbortController();
  try {
    const answer = await turn(conversation, openai, conversation.answering.signal, interactive);
    conversation.messages.push({ role: "assistant", content: answer });
  } catch (err) {
    conversation.messages.pop();
    if (err instanceof OpenAI.APIUserAbortError) return printError(stderrColors.dim("\n(stopped)"));
    const failure = asCliFailure(err, context);
    // At a terminal the conversation goes on; a script learns of the failure by the exit code.
    if (!interactive || failure instanceof Unreachable) throw failure;
    printError(stderrColors.red(failure.message));
  } finally {
    conversation.answering = undefined;
  }
}

/** One exchange: the answer's tokens on stdout as they arrive, then a newline. */
async function turn(conversation: Conversation, openai: OpenAI, signal: AbortSignal, interactive: boolean): Promise<string> {
  const request = { model: conversation.chain, messages: conversation.messages, stream: true } as const;
  const { data: stream, response } = await openai.chat.completions.create(request, { signal }).withResponse();
  conversation.lastRun = response.headers.get("x-switchyard-run-id") ?? conversation.lastRun;
  let answer = "";
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta.content ?? "";
    answer += delta;
    process.stdout.write(interactive ? stdoutColors.cyan(delta) : delta);
  }
  print("");
  return answer;
}

/** The SDK's errors in the CLI's terms: no connection is `Unreachable`, a refusal the server's message and path. */
function asCliFailure(err: unknown, context: Context): Error {
  if (err instanceof OpenAI.APIConnectionError) return new Unreachable(context.client.baseUrl, err.cause instanceof Error ? err.cause.message : err.message);
  if (err instanceof OpenAI.APIError) {
    const body = err.error as { message?: string; param?: string | null } | undefined;
    return new ApiFailure(err.status ?? 0, err.code ?? "api_error", body?.message ?? err.message, body?.param ?? undefined);
  }
  return err instanceof Error ? err : new CliError(String(err));
}
