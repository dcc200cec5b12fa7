import { describe, expect, it } from "vitest";
import { thrown } from "./fakes";
import { renderTemplate, renderTemplateValue, stringify, type TemplateScope } from "../../src/engine/templates";
import type { ChatHistory } from "../../src/engine/chat";

const chat: ChatHistory = {
  kind: "chat",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: "weather?" },
    { role: "assistant", content: "It is sunny." },
    { role: "user", content: "and tomorrow?" },
    { role: "assistant", content: [{ type: "text", text: "Rain, " }, { type: "text", text: "then sun." }] },
  ],
};

const scope: TemplateScope = {
  input: "hello",
  previous_output: { score: 7 },
  outputs: {
    chat,
    "generate-js": { code: "return 1", meta: { lines: 1, tags: ["a", "b"] } },
    fetch_user: '{"name": "Ada", "roles": ["admin"]}',
    count: 3,
    empty: null,
  },
};

describe("renderTemplate", () => {
  it("renders the run input and the previous output", () => {
    expect(renderTemplate("Q: {{.input}}", scope)).toBe("Q: hello");
    expect(renderTemplate("prev={{.previous_output}}", scope)).toBe('prev={"score":7}');
  });

  it("accepts Go template spacing", () => {
    expect(renderTemplate("{{ .input }} / {{  .previous_output.score }}", scope)).toBe("hello / 7");
  });

  it("renders a task's output by id, including ids with - and _", () => {
    expect(renderTemplate("{{.generate-js.code}} {{.fetch_user.name}} x{{.count}}", scope)).toBe("return 1 Ada x3");
  });

  it("walks nested fields and array indexes", () => {
    expect(renderTemplate("{{.generate-js.meta.lines}} {{.generate-js.meta.tags.1}}", scope)).toBe("1 b");
    expect(renderTemplate("{{.generate-js.meta}}", scope)).toBe('{"lines":1,"tags":["a","b"]}');
  });

  it("reads fields of a JSON string output", () => {
    expect(renderTemplate("{{.fetch_user.roles.0}}", scope)).toBe("admin");
  });

  it("renders a chat history as its last assistant answer, also via .content", () => {
    expect(renderTemplate("{{.chat}}", scope)).toBe("Rain, then sun.");
    expect(renderTemplate("{{.chat.content}}", scope)).toBe("Rain, then sun.");
    expect(renderTemplate("{{.chat.messages.1.content}}", scope)).toBe("weather?");
  });

  it("renders a null output as empty text", () => {
    expect(renderTemplate("[{{.empty}}]", scope)).toBe("[]");
  });

  it("leaves other Go template actions and macros alone", () => {
    const text = "{{if .input}}yes{{end}} {{var:model}} {{.}} {{ .input | upper }}";
    expect(renderTemplate(text, scope)).toBe(text);
  });

  it("names a task without output and lists the available ones", () => {
    const error = thrown(() => renderTemplate("{{.summarize}}", scope));
    expect(error.type).toBe("unknown_template_ref");
    expect(error.message).toContain('"summarize"');
    expect(error.message).toContain("input, previous_output, chat, generate-js, fetch_user, count, empty");
  });

  it("names the path of a missing field on an existing output", () => {
    const error = thrown(() => renderTemplate("{{.generate-js.meta.author}}", scope));
    expect(error.type).toBe("unknown_template_ref");
    expect(error.message).toContain("generate-js.meta.author");
    expect(error.message).toContain('no field "author"');
    expect(error.message).toContain("lines, tags");
  });

  it("rejects a field on a plain value", () => {
    expect(thrown(() => renderTemplate("{{.input.length}}", scope)).type).toBe("unknown_template_ref");
    expect(thrown(() => renderTemplate("{{.empty.x}}", scope)).type).toBe("unknown_template_ref");
  });

  it("does not treat inherited properties as fields", () => {
    expect(thrown(() => renderTemplate("{{.generate-js.constructor}}", scope)).type).toBe("unknown_template_ref");
    expect(thrown(() => renderTemplate("{{.toString}}", scope)).type).toBe("unknown_template_ref");
  });
});

describe("renderTemplateValue", () => {
  it("returns the raw referenced value for a string that is exactly one template", () => {
    expect(renderTemplateValue("{{.generate-js}}", scope)).toEqual(scope.outputs["generate-js"]);
    expect(renderTemplateValue("{{ .count }}", scope)).toBe(3);
    expect(renderTemplateValue("{{.chat}}", scope)).toBe(chat);
  });

  it("renders mixed strings as text", () => {
    expect(renderTemplateValue("n={{.count}}", scope)).toBe("n=3");
    expect(renderTemplateValue("{{.count}}{{.count}}", scope)).toBe("33");
  });

  it("deep-renders objects and arrays without mutating them", () => {
    const args = { query: "{{.input}}", limits: [{ n: "{{.count}}" }, 5, true], nothing: null };
    const before = structuredClone(args);
    expect(renderTemplateValue(args, scope)).toEqual({ query: "hello", limits: [{ n: 3 }, 5, true], nothing: null });
    expect(args).toEqual(before);
  });
});

describe("stringify", () => {
  it("turns each kind of value into prompt text", () => {
    expect(stringify("text")).toBe("text");
    expect(stringify(null)).toBe("");
    expect(stringify(undefined)).toBe("");
    expect(stringify(42)).toBe("42");
    expect(stringify(false)).toBe("false");
    expect(stringify([1, "a"])).toBe('[1,"a"]');
    expect(stringify({ a: { b: 1 } })).toBe('{"a":{"b":1}}');
    expect(stringify(chat)).toBe("Rain, then sun.");
  });

  it("renders a chat whose last assistant turn only called tools as empty text", () => {
    const calling: ChatHistory = {
      kind: "chat",
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
      ],
    };
    expect(stringify(calling)).toBe("");
    expect(stringify({ kind: "chat", messages: [] })).toBe("");
  });
});
