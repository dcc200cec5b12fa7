import { describe, expect, it } from "vitest";
import { applyMapping, readField } from "../../src/events/mapping";

const pullRequest = {
  action: "opened",
  number: 42,
  pull_request: { id: 9001, title: "Add cron", labels: [{ name: "bug" }, { name: "events" }] },
  repository: { full_name: "acme/switchyard" },
  sender: { login: "octocat" },
};

const githubHeaders = new Headers({ "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "72d3162e-cc78" });

describe("readField", () => {
  it.each([
    ["action", "opened"],
    ["pull_request.id", 9001],
    ["pull_request.labels.1.name", "events"],
    ["pull_request.labels[0].name", "bug"],
    ["repository", { full_name: "acme/switchyard" }],
    ["header:x-github-event", "pull_request"],
    ["header:X-GitHub-Delivery", "72d3162e-cc78"],
  ])("reads %j", (path, value) => {
    expect(readField(pullRequest, githubHeaders, path)).toEqual(value);
  });

  it.each(["missing", "pull_request.labels.5.name", "action.length", "number.x", "header:x-missing", "constructor", "pull_request.__proto__"])(
    "gives undefined for %j, which the payload does not have",
    (path) => {
      expect(readField(pullRequest, githubHeaders, path)).toBeUndefined();
    },
  );
});

describe("applyMapping", () => {
  it("extracts the type from a field, the aggregate id from a dotted path, and metadata", () => {
    const result = applyMapping(
      {
        path: "github.webhook",
        event_type_field: "header:x-github-event",
        event_source: "github",
        event_id_field: "header:x-github-delivery",
        aggregate_id_field: "pull_request.id",
        aggregate_type: "pull_request",
        metadata_mapping: { repo: "repository.full_name", actor: "sender.login", absent: "nope.nothing" },
      },
      pullRequest,
      githubHeaders,
    );
    expect(result).toEqual({
      ok: true,
      event: {
        source_id: "72d3162e-cc78",
        type: "pull_request",
        source: "github",
        aggregate_id: "9001",
        aggregate_type: "pull_request",
        data: pullRequest,
        metadata: { repo: "acme/switchyard", actor: "octocat" },
      },
    });
  });

  it("uses a fixed type and the path as source when no field is named", () => {
    const result = applyMapping({ path: "billing.hook", event_type: "invoice.paid" }, { amount: 3 }, new Headers());
    expect(result).toEqual({
      ok: true,
      event: { type: "invoice.paid", source: "billing.hook", aggregate_id: null, aggregate_type: null, data: { amount: 3 }, metadata: {} },
    });
  });

  it("turns a numeric type field into text", () => {
    const result = applyMapping({ path: "p", event_type_field: "kind" }, { kind: 7 }, new Headers());
    expect(result.ok && result.event.type).toBe("7");
  });

  it("fails naming the field when the type is missing or not a scalar", () => {
    for (const payload of [{}, { action: { nested: true } }, { action: "" }, [1, 2]]) {
      const result = applyMapping({ path: "github.webhook", event_type_field: "action" }, payload, new Headers());
      expect(result).toMatchObject({ ok: false, field: "event_type_field" });
      if (!result.ok) expect(result.message).toContain('"action"');
    }
  });

  it("leaves the aggregate id null when the payload lacks it", () => {
    const result = applyMapping({ path: "p", event_type: "t", aggregate_id_field: "issue.id" }, { other: 1 }, new Headers());
    expect(result.ok && result.event.aggregate_id).toBeNull();
  });
});
