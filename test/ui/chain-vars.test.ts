import { describe, expect, it } from "vitest";
import type { Chain } from "../../ui/src/api/types";
import { chainVarNames } from "../../ui/src/lib/chain-vars";

describe("chainVarNames", () => {
  it("finds each var a chain reads, with or without a fallback, once each, sorted", () => {
    const chain = {
      id: "c",
      tasks: [
        { id: "a", handler: "prompt_to_string", system_instruction: "Be {{var:tone}}, {{ var: tone }}.", execute_config: { model: "{{var:model|gpt}}" } },
        { id: "b", handler: "noop", print: "{{now:2006}} {{.a}} {{var:city}}" },
      ],
    } as unknown as Chain;
    expect(chainVarNames(chain)).toEqual(["city", "model", "tone"]);
  });
});
