import { describe, expect, it } from "vitest";
import { idFromKey } from "../../src/events/ids";
import { api, eventually, fireScheduled, registerEchoChain, runsOfChain, unique, waitForRun } from "./client";

const at = (iso: string) => Date.parse(iso);

async function createCronTrigger(chainId: string, schedule: string, extra: Record<string, unknown> = {}) {
  const res = await api().post("/triggers", { name: unique("cron"), type: "cron", schedule, chain_id: chainId, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

async function firesOf(triggerId: string): Promise<Array<Record<string, any>>> {
  const res = await api().get(`/triggers/${triggerId}`);
  expect(res.status).toBe(200);
  return res.body.fires;
}

describe("POST /triggers validation", () => {
  it.each([
    ["* 24 * * *", "hour"],
    ["*/0 * * * *", "minute"],
    ["* * 0 * *", "day-of-month"],
    ["* * * DEC-JAN *", "month"],
    ["* * * * 8", "day-of-week"],
  ])("refuses the cron expression %j with a 400 naming the %s field", async (schedule, field) => {
    const res = await api().post("/triggers", { name: "bad", type: "cron", schedule, chain_id: "default-chain" });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("schedule");
    expect(res.body.error.message).toContain(`the ${field} field`);
  });

  it("refuses a schedule without five fields", async () => {
    const res = await api().post("/triggers", { name: "bad", type: "cron", schedule: "* * * *", chain_id: "default-chain" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ path: "schedule", message: expect.stringContaining("5 fields") });
  });

  it("refuses a chain that is neither registered nor bundled", async () => {
    const res = await api().post("/triggers", { name: "x", type: "cron", schedule: "* * * * *", chain_id: unique("no-such-chain") });
    expect(res.status).toBe(404);
    expect(res.body.error.path).toBe("chain_id");
  });

  it("needs exactly one of chain_id or function on an event trigger", async () => {
    const neither = await api().post("/triggers", { name: "x", type: "event", event_type: "a" });
    expect(neither.status).toBe(400);
    expect(neither.body.error.path).toBe("chain_id");
    const both = await api().post("/triggers", { name: "x", type: "event", event_type: "a", chain_id: "default-chain", function: "f" });
    expect(both.status).toBe(400);
  });
});

describe("cron triggers", () => {
  it("starts one run in each minute the schedule matches, with the trigger's input", async () => {
    const chainId = unique("cron-echo");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "*/5 * * * *", { input: { report: "daily" } });

    await fireScheduled(api(), at("2031-01-01T10:05:07Z"));
    const [first] = await firesOf(trigger.id);
    expect(first).toMatchObject({ key: `${trigger.id}:2031-01-01T10:05Z`, error: null, run_id: expect.any(String) });
    const run = await waitForRun(api(), first!.run_id, (r) => r.status === "succeeded");
    expect(run).toMatchObject({ chain_id: chainId, input: { report: "daily" }, output: { report: "daily" } });

    await fireScheduled(api(), at("2031-01-01T10:06:00Z"));
    expect(await firesOf(trigger.id)).toHaveLength(1);

    await fireScheduled(api(), at("2031-01-01T10:10:00Z"));
    const fires = await firesOf(trigger.id);
    expect(fires.map((f) => f.key).sort()).toEqual([`${trigger.id}:2031-01-01T10:05Z`, `${trigger.id}:2031-01-01T10:10Z`]);
    expect(new Set(fires.map((f) => f.run_id)).size).toBe(2);
    expect(await runsOfChain(api(), chainId)).toHaveLength(2);
  });

  it("fires at most once per minute when the scheduled handler is delivered twice", async () => {
    const chainId = unique("cron-twice");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "30 4 * * *");
    await Promise.all([0, 7, 19, 41, 58].map((s) => fireScheduled(api(), at(`2031-02-03T04:30:${String(s).padStart(2, "0")}Z`))));
    await fireScheduled(api(), at("2031-02-03T04:30:59Z"));
    const fires = await firesOf(trigger.id);
    expect(fires).toHaveLength(1);
    const runs = await runsOfChain(api(), chainId);
    expect(runs.map((r) => r.id)).toEqual([fires[0]!.run_id]);
    // Deliveries that race past the fire check still agree on the run: its id comes from the key.
    expect(fires[0]!.run_id).toBe(await idFromKey(`${trigger.id}:2031-02-03T04:30Z`));
  });

  it("records why a trigger could not start its run and still fires the others", async () => {
    const goneChain = unique("cron-gone");
    const liveChain = unique("cron-live");
    await registerEchoChain(api(), goneChain);
    await registerEchoChain(api(), liveChain);
    const broken = await createCronTrigger(goneChain, "0 0 1 6 *");
    const working = await createCronTrigger(liveChain, "0 0 1 6 *");
    expect((await api().delete(`/chains/${goneChain}`)).status).toBe(200);

    await fireScheduled(api(), at("2031-06-01T00:00:00Z"));
    expect(await firesOf(broken.id)).toEqual([expect.objectContaining({ run_id: null, error: expect.stringContaining(`chain "${goneChain}"`) })]);
    expect(await firesOf(working.id)).toEqual([expect.objectContaining({ run_id: expect.any(String), error: null })]);
  });

  it("matches day of month or day of week when both are given", async () => {
    const chainId = unique("cron-or");
    await registerEchoChain(api(), chainId);
    // Noon on the 13th, or on any Friday.
    const trigger = await createCronTrigger(chainId, "0 12 13 * FRI");
    await fireScheduled(api(), at("2031-01-13T12:00:00Z")); // Monday the 13th
    await fireScheduled(api(), at("2031-01-17T12:00:00Z")); // Friday the 17th
    await fireScheduled(api(), at("2031-01-14T12:00:00Z")); // Tuesday the 14th
    expect((await firesOf(trigger.id)).map((f) => f.key).sort()).toEqual([`${trigger.id}:2031-01-13T12:00Z`, `${trigger.id}:2031-01-17T12:00Z`]);
  });

  it("lists triggers with their next fire time, and a deleted trigger fires no more", async () => {
    const chainId = unique("cron-deleted");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "15 3 * * *");
    const listed = await api().get("/triggers?type=cron");
    const mine = listed.body.data.find((t: { id: string }) => t.id === trigger.id);
    expect(mine).toMatchObject({ schedule: "15 3 * * *", chain_id: chainId, enabled: true });
    expect(new Date(mine.next_fire_at).toISOString()).toMatch(/T03:15:00\.000Z$/);

    expect(await api().delete(`/triggers/${trigger.id}`)).toMatchObject({ status: 200, body: { id: trigger.id, deleted: true } });
    expect((await api().get(`/triggers/${trigger.id}`)).status).toBe(404);
    expect((await api().delete(`/triggers/${trigger.id}`)).status).toBe(404);
    await fireScheduled(api(), at("2031-03-03T03:15:00Z"));
    expect(await runsOfChain(api(), chainId)).toHaveLength(0);
  });

  it("moves next_fire_at past each minute it fires for", async () => {
    const chainId = unique("cron-next");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "*/5 * * * *");
    await fireScheduled(api(), at("2031-05-05T05:05:30Z"));
    expect((await firesOf(trigger.id)).map((f) => f.key)).toEqual([`${trigger.id}:2031-05-05T05:05Z`]);
    const fired = await api().get(`/triggers/${trigger.id}`);
    expect(new Date(fired.body.next_fire_at).toISOString()).toBe("2031-05-05T05:10:00.000Z");
    const listed = (await api().get("/triggers?type=cron")).body.data.find((t: { id: string }) => t.id === trigger.id);
    expect(listed.next_fire_at).toBe(fired.body.next_fire_at);
    await api().delete(`/triggers/${trigger.id}`);
  });

  it("refuses a schedule that can never fire, saying why", async () => {
    const chainId = unique("cron-never");
    await registerEchoChain(api(), chainId);
    const res = await api().post("/triggers", { name: "never", type: "cron", schedule: "0 0 31 2 *", chain_id: chainId });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("schedule");
    expect(res.body.error.message).toContain("never fires");
  });

  it("does not fire a disabled trigger", async () => {
    const chainId = unique("cron-disabled");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "* * * * *", { enabled: false });
    expect(trigger.next_fire_at).toBeNull();
    await fireScheduled(api(), at("2031-04-04T04:04:00Z"));
    expect(await firesOf(trigger.id)).toHaveLength(0);
    await api().delete(`/triggers/${trigger.id}`);
  });
});

describe("PATCH /triggers/:id", () => {
  const patch = (id: string, body: unknown) => api().raw("PATCH", `/triggers/${id}`, body);

  it("pauses a cron trigger, which then does not fire, and resumes it", async () => {
    const chainId = unique("cron-paused");
    await registerEchoChain(api(), chainId);
    const trigger = await createCronTrigger(chainId, "20 8 * * *");

    const paused = await patch(trigger.id, { enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: trigger.id, enabled: false, next_fire_at: null, schedule: "20 8 * * *" });
    expect((await api().get(`/triggers/${trigger.id}`)).body).toMatchObject({ enabled: false });
    await fireScheduled(api(), at("2031-05-05T08:20:00Z"));
    expect(await firesOf(trigger.id)).toEqual([]);

    const resumed = await patch(trigger.id, { enabled: true });
    expect(resumed.body).toMatchObject({ enabled: true, next_fire_at: expect.any(Number) });
    await fireScheduled(api(), at("2031-05-06T08:20:00Z"));
    const fires = await firesOf(trigger.id);
    expect(fires.map((f) => f.key)).toEqual([`${trigger.id}:2031-05-06T08:20Z`]);
    expect((await runsOfChain(api(), chainId)).map((r) => r.id)).toEqual([fires[0]!.run_id]);
    await api().delete(`/triggers/${trigger.id}`);
  });

  it("pauses an event trigger, which then does not dispatch, and resumes it", async () => {
    const type = unique("paused.event");
    const pausedChain = unique("ev-paused");
    const controlChain = unique("ev-control");
    await registerEchoChain(api(), pausedChain);
    await registerEchoChain(api(), controlChain);
    const make = async (chainId: string) => (await api().post("/triggers", { name: unique("on"), type: "event", event_type: type, chain_id: chainId })).body;
    const paused = await make(pausedChain);
    const control = await make(controlChain);
    expect((await patch(paused.id, { enabled: false })).body.enabled).toBe(false);

    // Both triggers match; once the enabled one has fired for the event, the paused one was skipped.
    const first = await api().post("/events", { type, data: "while paused" });
    await eventually(() => firesOf(control.id), (f) => f.some((x) => x.event_id === first.body.id), "the enabled trigger to fire");
    expect(await firesOf(paused.id)).toEqual([]);

    expect((await patch(paused.id, { enabled: true })).body.enabled).toBe(true);
    const second = await api().post("/events", { type, data: "after resuming" });
    const [fire] = await eventually(() => firesOf(paused.id), (f) => f.length > 0, "the resumed trigger to fire");
    expect(fire!.event_id).toBe(second.body.id);
    const run = await waitForRun(api(), fire!.run_id, (r) => r.status === "succeeded");
    expect(run.input.data).toBe("after resuming");
    expect((await runsOfChain(api(), pausedChain)).map((r) => r.input.data)).toEqual(["after resuming"]);
    await Promise.all([paused, control].map((t) => api().delete(`/triggers/${t.id}`)));
  });

  it("refuses a body without a boolean enabled with a 400 naming it, and an unknown id with a 404", async () => {
    const trigger = await createCronTrigger("default-chain", "0 0 1 1 *");
    for (const body of [{}, { enabled: "no" }, { enabled: null }]) {
      const res = await patch(trigger.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: "invalid_request", path: "enabled" });
    }
    const extra = await patch(trigger.id, { enabled: false, schedule: "* * * * *" });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("schedule");
    expect((await patch(trigger.id, "{not json")).status).toBe(400);
    expect((await api().get(`/triggers/${trigger.id}`)).body).toMatchObject({ enabled: true, schedule: "0 0 1 1 *" });
    const missing = await patch(unique("no-such-trigger"), { enabled: false });
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe("not_found");
    await api().delete(`/triggers/${trigger.id}`);
  });
});
