/**
 * Every example request in the README, run against the e2e server in the order the README gives
 * them, so the README cannot drift from what the server does. Each `curl` of a `sh` block is
 * parsed and sent with `fetch`; it must succeed, and where the README shows the JSON answer (the
 * next `json` block), the real answer must have every field the README shows.
 *
 * What differs from a reader's terminal is only where things are: the server's URL and key, the
 * mock LLM's URL for `127.0.0.1:8788`, a demo tool service started here for `127.0.0.1:9000`, and
 * any other URL in a request body pointed at the mock, so no test traffic leaves loopback.
 * `$RUN` / `<id>` stand for the last run an example answered with. A block preceded by
 * `<!-- not run here: … -->` is skipped for the reason it gives, which names the test that covers it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api } from "./client";

interface Example {
  line: number;
  command: string;
  /** The JSON answer the README shows right after the example, when it shows one. */
  shown?: unknown;
}

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

/** `sh` blocks' curl commands (continuation lines joined), each with the JSON block that follows it. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  let match: RegExpExecArray | null;
  let last: Example[] = [];
  while ((match = fence.exec(markdown))) {
    const [, lang, body] = match;
    const line = markdown.slice(0, match.index).split("\n").length;
    if (lang === "json" && last.length > 0) {
      last.at(-1)!.shown = JSON.parse(body!);
      last = [];
      continue;
    }
    if (lang !== "sh") continue;
    last = [];
    const before = markdown.slice(0, match.index).trimEnd();
    if (/<!-- not run here: [^>]*-->$/.test(before)) continue;
    for (const command of shellCommands(body!).filter((c) => c.startsWith("curl "))) {
      const example = { line, command };
      found.push(example);
      last.push(example);
    }
  }
  return found;
}

/**
 * The commands of a shell block: a newline outside quotes ends one (a quoted argument may span
 * lines), a trailing backslash continues it, and `#` outside quotes starts a comment.
 */
function shellCommands(block: string): string[] {
  const commands: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < block.length; i++) {
    const ch = block[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === "\\" && block[i + 1] === "\n") {
      current += " ";
      i++;
    } else if (ch === "#" && (current === "" || /\s$/.test(current))) {
      while (i < block.length && block[i] !== "\n") i++;
      i--;
    } else if (ch === "\n") {
      if (current.trim()) commands.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) commands.push(current.trim());
  return commands;
}

/** Words of a shell command line: single and double quotes, backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; line[j] !== '"'; j++) word += line[j] === "\\" && /["\\$`]/.test(line[j + 1] ?? "") ? line[++j] : line[j];
      i = j;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch === "\\" ? line[++i] : ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

function parseCurl(command: string): Request {
  const words = shellWords(command).slice(1);
  const request: Request = { method: "", url: "", headers: {} };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "-H") {
      const [name, ...value] = words[++i]!.split(":");
      request.headers[name!.trim().toLowerCase()] = value.join(":").trim();
    } else if (word === "-d" || word === "--data" || word === "--data-binary") request.body = words[++i];
    else if (word === "-X") request.method = words[++i]!;
    else if (word.startsWith("-")) continue;
    else request.url = word;
  }
  request.method ||= request.body === undefined ? "GET" : "POST";
  return request;
}

/** Every field the README shows is in the answer (values vary: ids, times). */
function hasShownFields(actual: unknown, shown: unknown, at = "$"): string[] {
  if (shown === null || typeof shown !== "object" || Array.isArray(shown)) return [];
  if (actual === null || typeof actual !== "object") return [`${at} is not an object`];
  return Object.entries(shown).flatMap(([key, value]) => (key in actual ? hasShownFields((actual as Record<string, unknown>)[key], value, `${at}.${key}`) : [`${at}.${key} is missing`]));
}

let tools: ToolService;
const created: string[] = [];

beforeAll(async () => {
  tools = await startToolService({ records: 100 });
});

afterAll(async () => {
  for (const path of created.reverse()) await api().delete(path);
  await tools?.close();
});

describe("the README's example requests", () => {
  const all = examples(README);

  it("are found: the README has examples to check", () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it("each succeed against the server, answering with the fields the README shows", async () => {
    const server = inject("baseUrl");
    const llm = inject("llmUrl").replace(/\/v1\/?$/, "");
    let lastRun = "";
    for (const example of all) {
      const request = parseCurl(example.command.replaceAll("$RUN", lastRun).replaceAll("<id>", lastRun));
      const url = request.url.replace("http://127.0.0.1:8787", server).replace("http://127.0.0.1:8788", llm);
      const headers = { ...request.headers };
      if (headers.authorization) headers.authorization = `Bearer ${inject("apiKey")}`;
      const body = request.body
        ?.replaceAll("http://127.0.0.1:9000", tools.url)
        .replace(/https?:\/\/(?!127\.0\.0\.1)[^"\s]+/g, `${llm}/v1`);
      const res = await fetch(url, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      const where = `README line ${example.line}: ${request.method} ${request.url} answered ${res.status} ${text.slice(0, 300)}`;
      expect(res.status, where).toBeLessThan(400);
      const answer = res.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      if (example.shown !== undefined) expect(hasShownFields(answer, example.shown), where).toEqual([]);
      if (answer && typeof answer.id === "string" && "chain_id" in answer && "status" in answer) lastRun = answer.id;
      else if (answer && typeof answer.id === "string" && url.endsWith("/fork")) lastRun = answer.id;
      const path = new URL(url).pathname;
      if (request.method === "POST" && res.status === 201) {
        const name = answer?.id ?? answer?.name ?? answer?.path;
        if (typeof name === "string" && /^\/(triggers|functions|tools|providers|mappings|groups|contracts)$/.test(path)) created.push(`${path}/${encodeURIComponent(name)}`);
      }
    }
  });
});
