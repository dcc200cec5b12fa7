/**
 * What the mock LLM answers, unscripted, to a code-writing prompt (the bundled `code-mode`
 * chain's `prompt_to_js` tasks): a believable program instead of an echo, so the README's
 * code-mode example works against the mock out of the box. It reads the tools the prompt
 * declares (`{{tools:typescript}}`), picks one that takes a single required string — a place
 * (`city`, `place`, `location`) if any does, as the demo weather service's `get_weather({ city })`
 * — calls it for every place the task names
 * ("in Oslo and in Bergen") at once, and returns `{ answer }` built from the results. With no
 * such tool it answers the task's text, as the echo would.
 */
import type { ChatRequest } from "./llm-script";

type Message = ChatRequest["messages"][number];

function textOf(message: Message | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return (message.content ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** Whether the request comes from a task that wants a program back (the code-mode prompts say so). */
export function asksForProgram(request: ChatRequest): boolean {
  const system = textOf(request.messages.find((m) => m.role === "system"));
  return system.includes("JavaScript program") && system.includes("return { answer }");
}

const PLACE = /^(city|place|location)$/;

/** `tools.<service>.<operation>` of a declared tool whose only argument is a string, a place if possible. */
function placeTool(system: string): { call: string; arg: string } | undefined {
  const declaration = /declare const tools: \{([\s\S]*?)\n\};/.exec(system)?.[1];
  if (!declaration) return undefined;
  const found: Array<{ call: string; arg: string }> = [];
  let service: string | undefined;
  for (const match of declaration.matchAll(/^ {2}(\w+): \{$|^ {4}(\w+)\(args: \{\n\s+(\w+): string;\n\s+\}\)/gm)) {
    if (match[1]) service = match[1];
    else if (service && match[2] && match[3]) found.push({ call: `tools.${service}.${match[2]}`, arg: match[3] });
  }
  return found.find((tool) => PLACE.test(tool.arg)) ?? found[0];
}

/** Capitalised words after "in", "for" or "and": the places a question names. */
function placesIn(task: string): string[] {
  return [...new Set([...task.matchAll(/\b(?:in|for|and)\s+([A-Z][\p{L}-]+)/gu)].map((m) => m[1]!))];
}

export function programFor(request: ChatRequest): string {
  const system = textOf(request.messages.find((m) => m.role === "system"));
  const task = textOf(request.messages.findLast((m) => m.role === "user"));
  const tool = placeTool(system);
  const places = placesIn(task);
  if (!tool || places.length === 0) return ["```js", `return { answer: ${JSON.stringify(`echo: ${task}`)} };`, "```"].join("\n");
  return [
    "```js",
    `const places = ${JSON.stringify(places)};`,
    `const results = await Promise.all(places.map((${tool.arg}) => ${tool.call}({ ${tool.arg} })));`,
    "const lines = results.map((result, i) => {",
    "  if (result && result.error) return `${places[i]}: not available (${result.error})`;",
    "  const facts = Object.entries(result).filter(([key]) => key !== " + JSON.stringify(tool.arg) + ").map(([key, value]) => `${key.replace(/_/g, \" \")} ${value}`);",
    "  return `${places[i]}: ${facts.join(\", \")}`;",
    "});",
    'console.log("asked about", places.length, "places");',
    'return { answer: lines.join("\\n") };',
    "```",
  ].join("\n");
}
