import { describe, expect, it } from "vitest";
import { boundEnvelope, callRecord, ENVELOPE_BOUNDS } from "../../src/sandbox/envelope";

describe("what an envelope carries", () => {
  it("keeps small call records as they are", () => {
    const call = { name: "httpFetch", args: ["https://x.test/"], ok: true, duration_ms: 3 };
    expect(callRecord(call)).toEqual(call);
  });

  it("shortens a call's arguments to a preview and its error to its first characters, with the full length", () => {
    const record = callRecord({ name: "httpFetch", args: ["y".repeat(120_000)], ok: false, error: `egress refused: ${"y".repeat(120_000)}`, duration_ms: 1 });
    expect(typeof record?.args).toBe("string");
    expect(String(record?.args)).toMatch(/^\["yyy.*… \(120004 characters\)$/);
    expect(record?.error).toMatch(/^egress refused: y+… \(120016 characters\)$/);
    expect(record?.error!.length).toBeLessThan(ENVELOPE_BOUNDS.call_error_chars + 40);
  });

  it("drops what is not a call record (the isolate's answer is not trusted)", () => {
    expect(callRecord("nope")).toBeUndefined();
    expect(callRecord({ name: 5, ok: true })).toBeUndefined();
  });

  it("keeps all call records within their byte budget and says how many more there were", () => {
    const calls = Array.from({ length: 1000 }, (_, i) => callRecord({ name: "httpFetch", args: ["z".repeat(1000) + i], ok: false, error: "e".repeat(1000), duration_ms: 0 })!);
    const { calls: kept } = boundEnvelope({ logs: [], calls }, { max_log_bytes: 65536 });
    expect(JSON.stringify(kept).length).toBeLessThan(ENVELOPE_BOUNDS.calls_bytes + 4096);
    expect(kept.at(-1)!.name).toBe(`[… ${1000 - kept.length + 1} more calls not recorded: the call records exceed ${ENVELOPE_BOUNDS.calls_bytes} bytes]`);
  });

  it("cuts logs an isolate returned over max_log_bytes", () => {
    const { logs } = boundEnvelope({ logs: Array.from({ length: 100 }, () => "x".repeat(1000)), calls: [] }, { max_log_bytes: 10_000 });
    expect(logs).toHaveLength(11);
    expect(logs.at(-1)).toBe("[… logs truncated: more than 10000 bytes (limits.max_log_bytes)]");
  });
});
