import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, eventSendingChain, eventTrigger, eventually, firesOfEvent, registerEchoChain, runsOfChain, unique, waitForRun } from "./client";

/** The hop limit (src/events/build.ts): events sent this many hops from an outside one are the last. */
const MAX_EVENT_HOPS = 8;

async function saveFunction(name: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await api().post("/functions", { name, code, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

describe("POST /functions", () => {
  it("refuses code that does not parse, naming the position", async () => {
    const res = await api().post("/functions", { name: "broken", code: "export default (event) => {" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ path: "code", message: expect.stringContaining("SyntaxError at 1:") });
  });

  it("refuses an import, a bad name, bad limits and a bad egress allow-list", async () => {
    expect((await api().post("/functions", { name: "imp", code: "import x from 'y'; export default () => x" })).body.error.path).toBe("code");
    expect((await api().post("/functions", { name: "9lives", code: "1" })).body.error.path).toBe("name");
    expect((await api().post("/functions", { name: "lim", code: "1", limits: { wall_ms: 0 } })).body.error.path).toBe("limits");
    expect((await api().post("/functions", { name: "egr", code: "1", egress_allow: ["not a host!"] })).body.error.path).toBe("egress_allow");
  });

  it("stores, replaces, lists and deletes a function, but not while a trigger runs it", async () => {
    const name = unique("fn");
    const first = await saveFunction(name, "export default (event) => event.type", { tools: [], limits: { wall_ms: 5000 } });
    expect(first).toMatchObject({ name, hash: expect.stringMatching(/^[0-9a-f]{64}$/), grant: { tools: [], limits: { wall_ms: 5000 } } });
    const replaced = await api().post("/functions", { name, code: "export default (event) => event.id" });
    expect(replaced.status).toBe(200);
    expect(replaced.body.hash).not.toBe(first.hash);
    expect(replaced.body.created_at).toBe(first.created_at);

    const listed = (await api().get("/functions")).body.data.find((f: { name: string }) => f.name === name);
    expect(listed).toMatchObject({ name, hash: replaced.body.hash });
    expect(listed.code).toBeUndefined();
    expect((await api().get(`/functions/${name}`)).body.code).toBe("export default (event) => event.id");

    const t = await eventTrigger(api(), unique("uses"), { function: name });
    const refused = await api().delete(`/functions/${name}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(t.id);
    await api().delete(`/triggers/${t.id}`);
    expect((await api().delete(`/functions/${name}`)).status).toBe(200);
    expect((await api().get(`/functions/${name}`)).status).toBe(404);
  });

  it("refuses an event trigger for a function that does not exist", async () => {
    const res = await api().post("/triggers", { name: "x", type: "event", event_type: "a", function: unique("nothing") });
    expect(res.status).toBe(404);
    expect(res.body.error.path).toBe("function");
  });
});

describe("functions on events", () => {
  it("runs a function with the event; the event it sends starts a chain", async () => {
    const incoming = unique("order.placed");
    const outgoing = unique("order.relayed");
    const chainId = unique("relayed-chain");
    const name = unique("relay");
    await registerEchoChain(api(), chainId);
    await saveFunction(
      name,
      `export default async function (event) {
        console.log("relaying", event.type);
        const sent = await sendEvent(${JSON.stringify(outgoing)}, { order: event.data.order, from: event.id });
        return sent.event_id;
      }`,
    );
    await eventTrigger(api(), incoming, { function: name });
    await eventTrigger(api(), outgoing, { chain_id: chainId });

    const posted = await api().post("/events", { type: incoming, data: { order: 5 } });
    const [fire] = await eventually(() => firesOfEvent(api(), posted.body.id), (f) => f.length > 0, "the function to run");
    expect(fire!.run_id).toBeNull();
    expect(fire!.result).toMatchObject({ ok: true, logs: [`relaying ${incoming}`], calls: [{ name: "sendEvent", ok: true }] });
    const sentId = fire!.result.result;

    const sent = (await api().get(`/events/${sentId}`)).body;
    expect(sent).toMatchObject({ type: outgoing, data: { order: 5, from: posted.body.id }, metadata: { hops: 1 } });
    const [chainFire] = await eventually(() => firesOfEvent(api(), sentId), (f) => f.length > 0, "the chain trigger to fire");
    const run = await waitForRun(api(), chainFire!.run_id, (r) => r.status === "succeeded");
    expect(run).toMatchObject({ chain_id: chainId, input: { id: sentId, type: outgoing, data: { order: 5 } } });
  });

  it(`cuts a sendEvent loop off after ${MAX_EVENT_HOPS} hops`, async () => {
    const type = unique("ping");
    const name = unique("echo-back");
    await saveFunction(name, "export default async (event) => sendEvent(event.type, { n: event.data.n + 1 })");
    const t = await eventTrigger(api(), type, { function: name });
    await api().post("/events", { type, data: { n: 0 } });

    const fires = await eventually(
      async () => (await api().get(`/triggers/${t.id}`)).body.fires as Array<Record<string, any>>,
      (list) => list.some((f) => f.result?.result?.success === false),
      "the send past the hop limit to be refused",
    );
    const refused = fires.find((f) => f.result.result.success === false)!;
    expect(refused.result.result.error).toContain("hop limit");
    await api().delete(`/triggers/${t.id}`);

    const events = (await api().get(`/events?type=${type}&limit=100`)).body.data as Array<Record<string, any>>;
    const hops = events.map((e) => e.metadata.hops).sort((a, b) => a - b);
    expect(hops).toEqual(Array.from({ length: MAX_EVENT_HOPS + 1 }, (_, i) => i));
    expect(events.map((e) => e.data.n).sort((a, b) => a - b)).toEqual(hops);
  });

  it("retries a function that throws, then dead-letters the event with the function's error", async () => {
    const type = unique("explodes");
    const name = unique("thrower");
    await saveFunction(name, "export default (event) => { throw new Error('boom ' + event.data.k) }");
    await eventTrigger(api(), type, { function: name });
    const posted = await api().post("/events", { type, data: { k: 7 } });

    const letters = await eventually(
      async () => (await api().get("/events/dead-letters?limit=500")).body.data as Array<Record<string, any>>,
      (data) => data.some((d) => d.event_id === posted.body.id),
      "the dead letter",
    );
    const letter = letters.find((d) => d.event_id === posted.body.id)!;
    expect(letter).toMatchObject({ attempts: 4, error: expect.stringContaining(`function "${name}" failed: Error: boom 7`) });
    expect(await firesOfEvent(api(), posted.body.id)).toEqual([]);
  });

  it(`cuts a loop through executeTaskChain off after ${MAX_EVENT_HOPS} hops, recording the refusal`, async () => {
    const type = unique("via-sub-run");
    const chainId = unique("sends-back");
    const name = unique("start-sub-run");
    expect((await api().post("/chains", eventSendingChain(chainId, type))).status).toBe(201);
    // The function sends nothing itself: each hop is an event sent by the sub-run it starts.
    await saveFunction(name, `export default async (event) => (await executeTaskChain(${JSON.stringify(chainId)}, event.data)).output.result`);
    const t = await eventTrigger(api(), type, { function: name });
    await api().post("/events", { type, data: {} });

    const fires = await eventually(
      async () => (await api().get(`/triggers/${t.id}`)).body.fires as Array<Record<string, any>>,
      (list) => list.some((f) => f.result?.result?.success === false),
      "the sub-run's send past the hop limit to be refused",
      60_000,
    );
    await api().delete(`/triggers/${t.id}`);
    const refused = fires.find((f) => f.result.result.success === false)!;
    expect(refused.result.result.error).toContain(`hop limit reached: this event would be ${MAX_EVENT_HOPS + 1} sendEvent hops`);

    const events = (await api().get(`/events?type=${type}&limit=100`)).body.data as Array<Record<string, any>>;
    expect(events.map((e) => e.metadata.hops).sort((a, b) => a - b)).toEqual(Array.from({ length: MAX_EVENT_HOPS + 1 }, (_, i) => i));
    const runs = await runsOfChain(api(), chainId);
    expect(runs).toHaveLength(MAX_EVENT_HOPS + 1);
  });
});

describe("a function redelivered after a failure", () => {
  let notes: ToolService;
  const svc = `notes${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    notes = await startToolService({ records: 3 });
    expect((await api().post("/tools", { name: svc, type: "openapi", url: notes.url })).status).toBe(201);
  });

  afterAll(async () => {
    await api().delete(`/tools/${svc}`);
    await notes?.close();
  });

  it("re-sends the events of its failed run with the same ids, so they happen once", async () => {
    const incoming = unique("flaky.in");
    const outgoing = unique("flaky.out");
    const chainId = unique("after-flaky");
    const name = unique("flaky");
    await registerEchoChain(api(), chainId);
    // The mock numbers the notes it creates: the first run of the function gets note-1 and throws
    // after it has sent its event; the redelivered run gets note-2 and succeeds.
    await saveFunction(
      name,
      `export default async (event) => {
        const sent = await sendEvent(${JSON.stringify(outgoing)}, { from: event.id });
        const note = await callTool("${svc}__createNote", { title: "attempt" });
        if (note.id === "note-1") throw new Error("failing after the send");
        return { sent: sent.event_id, note: note.id };
      }`,
      { tools: [`${svc}__createNote`] },
    );
    const t = await eventTrigger(api(), incoming, { function: name });
    await eventTrigger(api(), outgoing, { chain_id: chainId });
    const posted = await api().post("/events", { type: incoming, data: {} });

    const [fire] = await eventually(() => firesOfEvent(api(), posted.body.id), (f) => f.length > 0, "the redelivered function to succeed");
    expect(fire!.result.result.note).toBe("note-2");
    const events = (await api().get(`/events?type=${outgoing}&limit=100`)).body.data as Array<Record<string, any>>;
    expect(events.map((e) => e.id)).toEqual([fire!.result.result.sent]);
    const [downstream] = await eventually(() => firesOfEvent(api(), fire!.result.result.sent), (f) => f.length > 0, "the sent event's trigger to fire");
    await waitForRun(api(), downstream!.run_id, (r) => r.status === "succeeded");
    expect(await runsOfChain(api(), chainId)).toHaveLength(1);
    await api().delete(`/triggers/${t.id}`);
  });
});
