import { describe, expect, it } from "vitest";
import { eventPosition, StepTokens } from "../../src/run/step-tokens";

describe("the tokens of the step in flight", () => {
  it("number each token after its step's stored event, so a Last-Event-ID of either form says where to resume", () => {
    const tokens = new StepTokens();
    tokens.begin(7);
    const ids = ["The", " fox"].map((delta) => tokens.add({ delta })?.id);
    expect(ids).toEqual(["7:1", "7:2"]);
    expect(eventPosition("7:1")).toEqual({ seq: 7, token: 1 });
    expect(eventPosition("7")).toEqual({ seq: 7, token: 0 });
    expect(eventPosition(null)).toEqual({ seq: 0, token: 0 });
    expect(eventPosition("7:x")).toEqual({ seq: 0, token: 0 });
  });

  it("give a follower that reconnects mid-step the tokens it missed, and one from before the step all of them", () => {
    const tokens = new StepTokens();
    tokens.begin(3);
    for (const delta of ["a", "b", "c"]) tokens.add({ delta });
    expect(tokens.missed(eventPosition("3:1")).map((t) => t.data)).toEqual([{ delta: "b" }, { delta: "c" }]);
    expect(tokens.missed(eventPosition("3")).map((t) => t.id)).toEqual(["3:1", "3:2", "3:3"]);
    expect(tokens.missed(eventPosition("2")).map((t) => t.id)).toEqual(["3:1", "3:2", "3:3"]);
    expect(tokens.missed(eventPosition("4"))).toEqual([]);
  });

  it("are gone once the step ends (its output is what is stored), and none are kept outside a step", () => {
    const tokens = new StepTokens();
    tokens.begin(1);
    tokens.add({ delta: "x" });
    tokens.end();
    expect(tokens.missed(eventPosition("1"))).toEqual([]);
    expect(tokens.add({ delta: "late" })).toBeUndefined();
  });
});
