import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, eventSendingChain, eventTrigger, eventually, firesOfEvent, registerEchoChain, runsOfChain, unique, waitForRun } from "./client";

async function deadLetterFor(eventId: string) {
  const letters = await eventually(
    async () => (await api().get("/events/dead-letters?limit=500")).body.data as Array<Record<string, any>>,
    (data) => data.some((d) => d.event_id === eventId),
    `a dead letter for ${eventId}`,
  );
  return letters.find((d) => d.event_id === eventId)!;
}

describe("POST /events and event triggers", () => {
  it("starts the triggered chain with the event as its input", async () => {
    const chainId = unique("on-order");
    const type = unique("order.placed");
    await registerEchoChain(api(), chainId);
    await eventTrigger(api(), type, { chain_id: chainId });

    const posted = await api().post("/events", { type, data: { order: 7 }, aggregate_id: "7", aggregate_type: "order" });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ type, data: { order: 7 }, source: "api", metadata: { hops: 0 }, duplicate: false });

    const [fire] = await eventually(() => firesOfEvent(api(), posted.body.id), (f) => f.length > 0, "the trigger to fire");
    const run = await waitForRun(api(), fire!.run_id, (r) => r.status === "succeeded");
    expect(run.chain_id).toBe(chainId);
    expect(run.input).toMatchObject({ id: posted.body.id, type, data: { order: 7 }, aggregate_id: "7", aggregate_type: "order" });
  });

  it("matches a trigger pattern ending in *", async () => {
    const chainId = unique("on-prefix");
    const prefix = unique("shop");
    await registerEchoChain(api(), chainId);
    await eventTrigger(api(), `${prefix}.*`, { chain_id: chainId });
    const matching = await api().post("/events", { type: `${prefix}.refund`, data: {} });
    const [fire] = await eventually(() => firesOfEvent(api(), matching.body.id), (f) => f.length === 1, "the prefix trigger to fire");
    expect((await waitForRun(api(), fire!.run_id, (r) => r.status === "succeeded")).input.type).toBe(`${prefix}.refund`);
  });

  it("appends an event id only once: the second POST is a 200 duplicate and starts nothing", async () => {
    const chainId = unique("dup-chain");
    const type = unique("dup");
    const id = unique("evt");
    await registerEchoChain(api(), chainId);
    await eventTrigger(api(), type, { chain_id: chainId });
    const first = await api().post("/events", { id, type, data: { n: 1 } });
    const second = await api().post("/events", { id, type, data: { n: 2 } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id, duplicate: true, data: { n: 1 } });
    await eventually(() => firesOfEvent(api(), id), (f) => f.length === 1, "the trigger to fire");
    expect(await runsOfChain(api(), chainId)).toHaveLength(1);
  });

  it("lists events by type and time", async () => {
    const type = unique("listed");
    const before = Date.now() - 1;
    const a = await api().post("/events", { type, data: 1 });
    const b = await api().post("/events", { type, data: 2 });
    const listed = await api().get(`/events?type=${type}&since=${before}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((e: { id: string }) => e.id).sort()).toEqual([a.body.id, b.body.id].sort());
    const future = await api().get(`/events?type=${type}&since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.data).toEqual([]);
    expect((await api().get("/events?since=yesterday")).status).toBe(400);
  });

  it("refuses an event without a type, and one past the hop limit", async () => {
    expect((await api().post("/events", { data: {} })).body.error.path).toBe("type");
    const looping = await api().post("/events", { type: "t", metadata: { hops: 99 } });
    expect(looping.status).toBe(400);
    expect(looping.body.error).toMatchObject({ path: "metadata.hops", message: expect.stringContaining("hop limit") });
  });
});

describe("event loops", () => {
  it("stops a chain whose code sends the event type that triggers it at the hop limit", async () => {
    const type = unique("again");
    const chainId = unique("loop-chain");
    expect((await api().post("/chains", eventSendingChain(chainId, type))).status).toBe(201);
    const t = await eventTrigger(api(), type, { chain_id: chainId });
    await api().post("/events", { type, data: {} });

    const refused = await eventually(
      async () => (await runsOfChain(api(), chainId)).filter((r) => r.status === "succeeded" && r.output?.result?.success === false),
      (runs) => runs.length > 0,
      "a run whose send is refused",
      60_000,
    );
    expect(refused[0]!.output.result.error).toContain("hop limit");
    await api().delete(`/triggers/${t.id}`);
    const events = (await api().get(`/events?type=${type}&limit=100`)).body.data as Array<{ metadata: { hops: number } }>;
    expect(events.map((e) => e.metadata.hops).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("stops a loop through a sub-run that a triggered chain starts with executeTaskChain", async () => {
    const type = unique("nested");
    const outer = unique("outer-chain");
    const inner = unique("inner-chain");
    const jsChain = (id: string, code: string) => ({
      id,
      tasks: [{ id: "js", handler: "run_js", execute_config: { code }, transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }],
    });
    expect((await api().post("/chains", jsChain(inner, `return await sendEvent(${JSON.stringify(type)}, { at: Date.now() })`))).status).toBe(201);
    expect((await api().post("/chains", jsChain(outer, `return await executeTaskChain(${JSON.stringify(inner)}, "go")`))).status).toBe(201);
    const t = await eventTrigger(api(), type, { chain_id: outer });
    await api().post("/events", { type, data: {} });

    const refused = await eventually(
      async () => (await runsOfChain(api(), inner)).filter((r) => r.status === "succeeded" && r.output?.result?.success === false),
      (runs) => runs.length > 0,
      "a sub-run whose send is refused",
      60_000,
    );
    await api().delete(`/triggers/${t.id}`);
    expect(refused[0]!.output.result.error).toContain("hop limit");
    expect((await api().get(`/runs/${refused[0]!.id}`)).body.event_hops).toBe(9);
    const events = (await api().get(`/events?type=${type}&limit=100`)).body.data as Array<{ metadata: { hops: number } }>;
    expect(events.map((e) => e.metadata.hops).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe("delivery failures", () => {
  it("retries a failing message, dead-letters it with its error, and never starts a redelivered event's chain twice", async () => {
    const goodChain = unique("good");
    const goneChain = unique("gone");
    const failingType = unique("fails");
    const okType = unique("ok");
    await registerEchoChain(api(), goodChain);
    await registerEchoChain(api(), goneChain);
    // The failing event fires a working trigger too: every redelivery reaches it again.
    await eventTrigger(api(), failingType, { chain_id: goodChain });
    await eventTrigger(api(), failingType, { chain_id: goneChain });
    await eventTrigger(api(), okType, { chain_id: goodChain });
    expect((await api().delete(`/chains/${goneChain}`)).status).toBe(200);

    // Sent together, so they share a batch: the failing one must not hold back the others.
    const [before, failing, after] = await Promise.all([
      api().post("/events", { type: okType, data: "before" }),
      api().post("/events", { type: failingType, data: "fails" }),
      api().post("/events", { type: okType, data: "after" }),
    ]);

    const letter = await deadLetterFor(failing!.body.id);
    expect(letter).toMatchObject({ payload: { event_id: failing!.body.id }, attempts: 4 });
    expect(letter.error).toContain(`chain "${goneChain}" is no longer registered or bundled`);

    for (const ok of [before!, after!]) expect(await firesOfEvent(api(), ok.body.id)).toHaveLength(1);
    const runs = await runsOfChain(api(), goodChain);
    expect(runs.map((r) => r.input.data).sort()).toEqual(["after", "before", "fails"]);
    const dead = await api().get("/events/dead-letters?limit=500");
    expect(dead.body.data.filter((d: { event_id: string }) => d.event_id === before!.body.id || d.event_id === after!.body.id)).toEqual([]);
  });
});

describe("POST /ingest and mappings", () => {
  const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

  async function github(path: string, body: string, headers: Record<string, string>) {
    return fetch(`${api().baseUrl}/ingest?path=${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", ...headers },
      body,
    });
  }

  it("maps a signed GitHub webhook to a domain event; a bad signature is 401 and stores nothing", async () => {
    const path = unique("github.webhook");
    const secret = "It's a Secret to Everybody";
    const saved = await api().post("/mappings", {
      path,
      event_type_field: "header:x-github-event",
      event_source: "github",
      event_id_field: "header:x-github-delivery",
      aggregate_id_field: "pull_request.number",
      aggregate_type: "pull_request",
      metadata_mapping: { repo: "repository.full_name", actor: "sender.login" },
      secret,
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ path, has_secret: true });
    expect(JSON.stringify(saved.body)).not.toContain(secret);

    const body = JSON.stringify({ action: "opened", pull_request: { number: 42, title: "Add cron" }, repository: { full_name: "acme/app" }, sender: { login: "octocat" } });
    const delivery = unique("delivery");
    for (const signature of [sign("wrong secret", body), "sha256=00", ""]) {
      const refused = await github(path, body, { "x-github-delivery": delivery, "x-hub-signature-256": signature });
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.type).toBe("invalid_signature");
    }
    const tampered = await github(path, body.replace("42", "43"), { "x-github-delivery": delivery, "x-hub-signature-256": sign(secret, body) });
    expect(tampered.status).toBe(401);
    expect((await api().get(`/events?type=pull_request&since=0&limit=500`)).body.data.filter((e: any) => e.metadata.ingest_path === path)).toEqual([]);

    const accepted = await github(path, body, { "x-github-delivery": delivery, "x-hub-signature-256": sign(secret, body) });
    expect(accepted.status).toBe(202);
    const { event_id, raw_event_id } = await accepted.json();
    const event = (await api().get(`/events/${event_id}`)).body;
    expect(event).toMatchObject({
      type: "pull_request",
      source: "github",
      aggregate_id: "42",
      aggregate_type: "pull_request",
      data: JSON.parse(body),
      metadata: { hops: 0, repo: "acme/app", actor: "octocat", raw_event_id, ingest_path: path, source_event_id: delivery },
    });

    const redelivered = await github(path, body, { "x-github-delivery": delivery, "x-hub-signature-256": sign(secret, body) });
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toMatchObject({ event_id, duplicate: true });
  });

  it("needs the API key on a path without a secret, and uses the path as the type without a mapping", async () => {
    const path = unique("plain.hook");
    const anonymous = await fetch(`${api().baseUrl}/ingest?path=${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    const res = await api().post(`/ingest?path=${path}`, { anything: [1, 2] });
    expect(res.status).toBe(202);
    const event = (await api().get(`/events/${res.body.event_id}`)).body;
    expect(event).toMatchObject({ type: path, source: path, data: { anything: [1, 2] } });
  });

  it("extracts the type and aggregate id from dotted paths, and says which field is missing", async () => {
    const path = unique("shop.hook");
    await api().post("/mappings", { path, event_type_field: "kind", aggregate_id_field: "order.items[0].sku", aggregate_type: "sku" });
    const mapped = await api().post(`/ingest?path=${path}`, { kind: "order.created", order: { items: [{ sku: "A-1" }, { sku: "B-2" }] } });
    expect(mapped.status).toBe(202);
    expect((await api().get(`/events/${mapped.body.event_id}`)).body).toMatchObject({ type: "order.created", aggregate_id: "A-1", aggregate_type: "sku" });

    const unmappable = await api().post(`/ingest?path=${path}`, { order: {} });
    expect(unmappable.status).toBe(422);
    expect(unmappable.body.error).toMatchObject({ type: "mapping_failed", path: "event_type_field", message: expect.stringContaining('"kind"') });
  });

  it("validates mappings and lists them without secrets", async () => {
    const both = await api().post("/mappings", { path: "p.q", event_type: "a", event_type_field: "b" });
    expect(both.status).toBe(400);
    expect(both.body.error.path).toBe("event_type");
    expect((await api().post("/mappings", { path: "has space", event_type: "a" })).body.error.path).toBe("path");
    const path = unique("listed.hook");
    await api().post("/mappings", { path, event_type: "fixed", secret: "hidden-value" });
    const listed = await api().get("/mappings");
    expect(listed.body.data.find((m: { path: string }) => m.path === path)).toMatchObject({ event_type: "fixed", has_secret: true });
    expect(JSON.stringify(listed.body)).not.toContain("hidden-value");
    expect((await api().delete(`/mappings/${path}`)).status).toBe(200);
    expect((await api().delete(`/mappings/${path}`)).status).toBe(404);
  });
});
