import { describe, expect, it } from "vitest";
import { inTurn, SandboxLane, type SandboxTurn } from "../../src/sandbox/lane";

/** A turn that records what the run would store. */
function recordingTurn(alone: boolean) {
  const log: string[] = [];
  const turn: SandboxTurn = { alone: () => alone, started: (a) => void log.push(a ? "started alone" : "started shared"), ended: () => void log.push("ended") };
  return { turn, log };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("the sandbox lane", () => {
  it("lets any number of sandboxes share it", async () => {
    const lane = new SandboxLane();
    const order: string[] = [];
    const run = (name: string) => inTurn(undefined, async () => (order.push(`${name} in`), await tick(), order.push(`${name} out`)), lane);
    await Promise.all([run("a"), run("b"), run("c")]);
    expect(order.slice(0, 3)).toEqual(["a in", "b in", "c in"]);
  });

  it("runs a suspect alone: it waits for the sharers, and later sharers wait for it", async () => {
    const lane = new SandboxLane();
    const order: string[] = [];
    const run = (name: string, alone: boolean) =>
      inTurn({ alone: () => alone, started: () => {}, ended: () => {} }, async () => (order.push(`${name} in`), await tick(), order.push(`${name} out`)), lane);
    const first = run("shared-1", false);
    const suspect = run("suspect", true);
    const later = run("shared-2", false);
    await Promise.all([first, suspect, later]);
    expect(order).toEqual(["shared-1 in", "shared-1 out", "suspect in", "suspect out", "shared-2 in", "shared-2 out"]);
  });

  it("records the turn before the code runs and ends it however the code ends", async () => {
    const { turn, log } = recordingTurn(true);
    await expect(inTurn(turn, async () => { log.push("code"); throw new Error("boom"); }, new SandboxLane())).rejects.toThrow("boom");
    expect(log).toEqual(["started alone", "code", "ended"]);
  });
});
