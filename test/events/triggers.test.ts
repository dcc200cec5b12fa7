import { describe, expect, it } from "vitest";
import { cronDue, eventFires, matchesEventType } from "../../src/events/triggers";
import type { Trigger } from "../../src/events/types";

const base: Trigger = {
  id: "t1",
  name: "t",
  type: "event",
  schedule: null,
  event_type: null,
  chain_id: "c",
  function: null,
  role: "admin",
  input: null,
  vars: {},
  enabled: true,
  created_at: 0,
};

describe("matchesEventType", () => {
  it.each([
    ["pull_request", "pull_request", true],
    ["pull_request", "pull_request.opened", false],
    ["github.*", "github.push", true],
    ["github.*", "github.", true],
    ["github.*", "gitlab.push", false],
    ["github*", "githubber", true],
    ["*", "anything.at.all", true],
    ["a.b", "a.bc", false],
  ])("pattern %j against %j: %s", (pattern, type, expected) => {
    expect(matchesEventType(pattern, type)).toBe(expected);
  });
});

describe("which triggers fire", () => {
  const cron: Trigger = { ...base, type: "cron", schedule: "*/10 * * * *", event_type: null };
  const tenPast = Date.parse("2026-05-01T12:10:30Z");
  const elevenPast = Date.parse("2026-05-01T12:11:00Z");

  it("fires a cron trigger in a matching minute only", () => {
    expect(cronDue(cron, tenPast)).toBe(true);
    expect(cronDue(cron, elevenPast)).toBe(false);
  });

  it("never fires a disabled trigger, nor one of the other kind", () => {
    expect(cronDue({ ...cron, enabled: false }, tenPast)).toBe(false);
    expect(cronDue({ ...cron, type: "event" }, tenPast)).toBe(false);
    const onPush: Trigger = { ...base, event_type: "push" };
    expect(eventFires(onPush, "push")).toBe(true);
    expect(eventFires({ ...onPush, enabled: false }, "push")).toBe(false);
    expect(eventFires({ ...onPush, type: "cron" }, "push")).toBe(false);
  });

  it("does not fire a cron trigger whose stored schedule no longer parses", () => {
    expect(cronDue({ ...cron, schedule: "not a schedule" }, tenPast)).toBe(false);
  });
});
