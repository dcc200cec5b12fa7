/**
 * The run's SQLite store over real Durable Object storage (workerd, through the `workers` test
 * project): what one step writes lands together or not at all, values past SQLite's 2 MB row
 * limit come back whole, and approvals, events and workspace files read back in the order and
 * under the filters the run relies on. Each test gets a fresh object with empty storage.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RunState } from "../../src/engine/run-state";
import type { Approval, StartRun, StepRecord } from "../../src/engine/records";
import type { StepEffects } from "../../src/engine/recording";
import { RunStore, type RunTimes } from "../../src/run/store";

/** Runs `test` inside a new object, over a store opened on its storage. */
async function withStore(test: (store: RunStore, storage: DurableObjectStorage) => void): Promise<void> {
  const stub = env.STORAGE.get(env.STORAGE.newUniqueId());
  await runInDurableObject(stub, (_object, state) => test(new RunStore(state.storage), state.storage));
}

const START: StartRun = {
  run_id: "run-1",
  chain: { id: "greet", tasks: [{ id: "hello", handler: "noop" }, { id: "bye", handler: "noop" }] },
  chain_version: 1,
  input: "hi",
  vars: { lang: "en" },
  created_at: 1_000,
};

function state(extra: Partial<RunState> = {}): RunState {
  return {
    run_id: "run-1",
    chain_id: "greet",
    status: "running",
    current_task: "hello",
    input: "hi",
    vars: { lang: "en" },
    outputs: {},
    previous_output: null,
    edge_counts: {},
    step_count: 0,
    attempt: 1,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    ...extra,
  };
}

function times(extra: Partial<RunTimes> = {}): RunTimes {
  return { started_at: 2_000, finished_at: null, retry_at: null, cancel_requested: false, ...extra };
}

function step(index: number, taskId: string, output: unknown = `out-${index}`): StepRecord {
  return { index, task_id: taskId, handler: "noop", input: "hi", output, eval: String(output), goto: "end", started_at: 3_000 + index, duration_ms: 1, error: null, attempt: 1, model: null, usage: null };
}

function effects(extra: Partial<StepEffects> = {}): StepEffects {
  return { env: { now: 3_000, toolNames: [], defaults: {} }, random: 0.5, effects: [], ...extra };
}

function approval(key: string, callId: string, extra: Partial<Approval> = {}): Approval {
  return { call_id: callId, key, task_id: "hello", tool: "send_mail", arguments: { to: key }, status: "pending", reason: null, requested_at: 4_000, decided_at: null, ...extra };
}

function partRows(storage: DurableObjectStorage, key: string): number {
  return storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meta_parts WHERE key = ?", key).one().n;
}

describe("a new run", () => {
  it("reads back what initialise wrote, also through a store reopened on the same storage", async () => {
    await withStore((store, storage) => {
      expect(store.start()).toBeUndefined();
      expect(store.state()).toBeUndefined();
      expect(store.times()).toEqual({ started_at: null, finished_at: null, retry_at: null, cancel_requested: false });

      store.initialise(START, state(), times());
      for (const opened of [store, new RunStore(storage)]) {
        expect(opened.start()).toEqual(START);
        expect(opened.state()).toEqual(state());
        expect(opened.times()).toEqual(times());
        expect(opened.steps()).toEqual([]);
        expect(opened.nextStepIndex()).toBe(0);
        expect(opened.d1Copy()).toMatchObject({ revision: 0, steps: 0, attempts: 0 });
        expect(opened.revision()).toBe(1);
      }
    });
  });

  it("makes the tables only some runs use when first used, and again after a transaction that made one rolled back", async () => {
    await withStore((store, storage) => {
      const tables = () => storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name").toArray().map((r) => r.name);
      const everyRun = ["events", "meta", "meta_parts", "step_effects", "steps"];
      store.initialise(START, state(), times());
      expect(tables()).toEqual(everyRun);

      // JSON cannot hold a BigInt: the pause fails after making the approvals table, and takes it back.
      const unstorable = approval("k1", "call-1", { arguments: { n: 1n } });
      expect(() => store.pauseForApprovals([unstorable], state({ status: "waiting" }), times(), [])).toThrow();
      expect(tables()).toEqual(everyRun);

      const request = approval("k1", "call-1");
      store.pauseForApprovals([request], state({ status: "waiting" }), times(), []);
      expect(store.approvals()).toEqual([request]);
      expect(store.files.read("notes.md")).toBeUndefined();
      expect(store.descendants()).toEqual([]);
      expect(tables()).toEqual([...everyRun, "approvals", "descendants", "files"].sort());
    });
  });

  it("keeps the step in flight until it is cleared", async () => {
    await withStore((store) => {
      const inflight = { index: 0, task_id: "hello", attempt: 1, started_at: 2_500, starts: 1 };
      store.setInFlight(inflight);
      expect(store.inFlight()).toEqual(inflight);
      store.setInFlight({ ...inflight, starts: 2 });
      expect(store.inFlight()?.starts).toBe(2);
      store.setInFlight(undefined);
      expect(store.inFlight()).toBeUndefined();
    });
  });
});

describe("recordStep", () => {
  it("appends the step, saves state and times, stores the events and clears the step in flight", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.setInFlight({ index: 0, task_id: "hello", attempt: 1, started_at: 2_500, starts: 1 });
      const next = state({ current_task: "bye", step_count: 1, outputs: { hello: "out-0" }, previous_output: "out-0" });

      const events = store.recordStep(step(0, "hello"), effects(), next, times({ retry_at: 9_000 }), [
        { type: "step", data: { index: 0 } },
        { type: "state", data: { status: "running" } },
      ]);

      expect(events.map((e) => e.type)).toEqual(["step", "state"]);
      expect(events[1]!.id).toBe(events[0]!.id + 1);
      expect(store.steps()).toEqual([step(0, "hello")]);
      expect(store.stepEffects()).toEqual(new Map([[0, effects()]]));
      expect(store.state()).toEqual(next);
      expect(store.times().retry_at).toBe(9_000);
      expect(store.inFlight()).toBeUndefined();
      expect(store.eventsAfter(0)).toEqual(events);
    });
  });

  it("writes nothing when any part of the record fails", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      const inflight = { index: 0, task_id: "hello", attempt: 1, started_at: 2_500, starts: 1 };
      store.setInFlight(inflight);

      // The last write of the transaction, the event, cannot be serialised.
      expect(() => store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times({ finished_at: 5_000 }), [{ type: "step", data: { n: 1n } }])).toThrow();

      expect(store.steps()).toEqual([]);
      expect(store.stepsFrom(0)).toEqual([]);
      expect(store.stepEffects().size).toBe(0);
      expect(store.state()).toEqual(state());
      expect(store.times()).toEqual(times());
      expect(store.inFlight()).toEqual(inflight);
      expect(store.eventsAfter(0)).toEqual([]);
    });
  });

  it("refuses a second record at the same index, leaving the first", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), []);
      expect(() => store.recordStep(step(0, "bye", "other"), effects(), state({ step_count: 2 }), times(), [])).toThrow();
      expect(store.steps()).toEqual([step(0, "hello")]);
      expect(store.state()?.step_count).toBe(1);
    });
  });
});

describe("the step log", () => {
  it("gives the next index, the steps from an index (at most a limit), and what D1 already holds", async () => {
    await withStore((store, storage) => {
      store.initialise(START, state(), times());
      for (const [index, task] of [[0, "hello"], [1, "hello"], [2, "bye"]] as const) store.recordStep(step(index, task), effects(), state({ step_count: index + 1 }), times(), []);

      // The store that wrote the steps answers from what it kept for D1; a reopened one from SQLite.
      for (const opened of [store, new RunStore(storage)]) {
        expect(opened.nextStepIndex()).toBe(3);
        expect(opened.stepsFrom(1).map((s) => [s.index, s.task_id])).toEqual([
          [1, "hello"],
          [2, "bye"],
        ]);
        expect(opened.stepsFrom(3)).toEqual([]);
        expect(opened.stepsFrom(0, 2).map((s) => s.index)).toEqual([0, 1]);
      }
      const copy = { revision: store.revision(), steps: 2, attempts: 1, last_error: "busy", gave_up_at: null };
      store.setD1Copy(copy);
      expect(store.d1Copy()).toEqual(copy);
      store.recordStep(step(3, "bye"), effects(), state({ step_count: 4 }), times(), []);
      for (const opened of [store, new RunStore(storage)]) {
        expect(opened.stepsFrom(2).map((s) => s.index)).toEqual([2, 3]);
        expect(opened.stepsFrom(0, 1)).toEqual([step(0, "hello")]);
      }
    });
  });

  it("counts a new revision of the run's view with every change to it, and none with an event alone", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      const initial = store.revision();
      store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), []);
      store.saveState(state({ step_count: 1, status: "succeeded" }), times({ finished_at: 9 }), []);
      store.setTimes(times({ cancel_requested: true }));
      expect(store.revision()).toBe(initial + 3);
      store.appendEvent("token", { delta: "x" });
      expect(store.revision()).toBe(initial + 3);
    });
  });
});

describe("values past SQLite's 2 MB row limit", () => {
  // 1.5 M emoji: 3 M UTF-16 units, 6 MB of UTF-8, and a surrogate pair at every other unit.
  const big = "😀".repeat(1_500_000);

  it("are stored in parts and read back intact", async () => {
    await withStore((store, storage) => {
      expect(() => storage.sql.exec("INSERT INTO meta (key, value) VALUES ('probe', ?)", JSON.stringify(big))).toThrow(/TOOBIG/);

      store.initialise(START, state(), times());
      const grown = state({ outputs: { hello: big }, previous_output: "x" });
      store.recordStep(step(0, "hello", "x"), effects(), grown, times(), []);

      expect(partRows(storage, "state")).toBeGreaterThan(1);
      expect(store.state()).toEqual(grown);
      expect(new RunStore(storage).state()?.outputs.hello).toBe(big);
    });
  });

  it("hold a step's recorded effects in parts, read back intact", async () => {
    await withStore((store, storage) => {
      store.initialise(START, state(), times());
      const recorded = effects({ effects: [{ kind: "tools.call", request: { name: "read", args: {} }, result: big }] });
      store.recordStep(step(0, "hello"), recorded, state({ step_count: 1 }), times(), []);
      expect(new RunStore(storage).stepEffects().get(0)).toEqual(recorded);
    });
  });

  it("leave no parts behind once the value fits one row again", async () => {
    await withStore((store, storage) => {
      store.initialise(START, state({ outputs: { hello: big } }), times());
      expect(partRows(storage, "state")).toBeGreaterThan(1);

      store.saveState(state({ step_count: 1 }), times(), []);
      expect(partRows(storage, "state")).toBe(0);
      expect(store.state()).toEqual(state({ step_count: 1 }));
    });
  });
});

describe("approvals", () => {
  it("pauses with its requests and the waiting state together, oldest request first", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.setInFlight({ index: 0, task_id: "hello", attempt: 1, started_at: 2_500, starts: 1 });
      const waiting = state({ status: "waiting" });

      const events = store.pauseForApprovals([approval("k-b", "call-1"), approval("k-a", "call-1"), approval("k-c", "call-2")], waiting, times({ waiting_since: 4_000 }), [
        { type: "approval", data: { pending: 3 } },
      ]);

      expect(events).toHaveLength(1);
      expect(store.state()).toEqual(waiting);
      expect(store.times().waiting_since).toBe(4_000);
      expect(store.inFlight()).toBeUndefined();
      expect(store.approvals().map((a) => a.key)).toEqual(["k-b", "k-a", "k-c"]);
      expect(store.approvalsForCall("call-1").map((a) => a.key)).toEqual(["k-b", "k-a"]);
      expect(store.approvalsForCall("call-3")).toEqual([]);
      expect(store.approval("k-c")).toEqual(approval("k-c", "call-2"));
      expect(store.approval("k-missing")).toBeUndefined();
    });
  });

  it("records a decision in place, keeping the request's position", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.pauseForApprovals([approval("k-1", "call-1"), approval("k-2", "call-2")], state({ status: "waiting" }), times(), []);

      const approved = approval("k-1", "call-1", { status: "approved", decided_at: 5_000 });
      store.decideApproval(approved, state({ status: "running" }), times({ waited_ms: 1_000 }), [{ type: "approval", data: { key: "k-1" } }]);

      expect(store.approval("k-1")).toEqual(approved);
      expect(store.approvals().map((a) => [a.key, a.status])).toEqual([
        ["k-1", "approved"],
        ["k-2", "pending"],
      ]);
      expect(store.approvals("pending").map((a) => a.key)).toEqual(["k-2"]);
      expect(store.approvals("denied")).toEqual([]);
      expect(store.state()?.status).toBe("running");
      expect(store.times().waited_ms).toBe(1_000);
      expect(store.eventsAfter(0).map((e) => e.data)).toEqual([{ key: "k-1" }]);
    });
  });

  it("adds a later pause's requests after the earlier ones", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.pauseForApprovals([approval("k-1", "call-1")], state({ status: "waiting" }), times(), []);
      store.decideApproval(approval("k-1", "call-1", { status: "denied", reason: "no", decided_at: 5_000 }), state(), times(), []);
      store.pauseForApprovals([approval("k-0", "call-2")], state({ status: "waiting" }), times(), []);

      expect(store.approvals().map((a) => [a.key, a.status])).toEqual([
        ["k-1", "denied"],
        ["k-0", "pending"],
      ]);
    });
  });
});

describe("events", () => {
  it("numbers events in order and replays those after a sequence number", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      const first = store.appendEvent("state", { status: "running" });
      const [second] = store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), [{ type: "step", data: { index: 0, nested: { list: [1, "two"] } } }]);
      const third = store.appendEvent("done", null);

      expect([first.id, second!.id, third.id]).toEqual([first.id, first.id + 1, first.id + 2]);
      expect(store.eventsAfter(0)).toEqual([first, second, third]);
      expect(store.eventsAfter(first.id)).toEqual([second, third]);
      expect(store.eventsAfter(third.id)).toEqual([]);
    });
  });

  it("numbers on after the stored events, after a write that rolled back and in a store reopened on the same storage", async () => {
    await withStore((store, storage) => {
      store.initialise(START, state(), times());
      const first = store.appendEvent("state", { status: "running" });
      expect(() => store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), [{ type: "a", data: 1 }, { type: "b", data: { n: 1n } }])).toThrow();
      const after = store.appendEvent("after", null);
      const reopened = new RunStore(storage);
      const [again] = reopened.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), [{ type: "step", data: 0 }]);

      expect([after.id, again!.id]).toEqual([first.id + 1, first.id + 2]);
      expect(reopened.eventsAfter(0)).toEqual([first, after, again]);
    });
  });

  it("stores more events at once than one statement can bind, in order", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      const many = Array.from({ length: 70 }, (_, i) => ({ type: "approval.requested", data: { i } }));
      const stored = store.saveState(state(), times(), many);

      expect(stored.map((e) => e.data)).toEqual(many.map((e) => e.data));
      expect(store.eventsAfter(0)).toEqual(stored);
      expect(new Set(stored.map((e) => e.id)).size).toBe(70);
    });
  });
});

describe("workspace files", () => {
  it("reads, overwrites and measures files in UTF-8 bytes", async () => {
    await withStore((store) => {
      expect(store.files.read("notes.md")).toBeUndefined();
      store.files.write("notes.md", "café", 10);
      expect(store.files.read("notes.md")).toEqual({ content: "café", updated_at: 10 });
      expect(store.files.list("")).toEqual([{ path: "notes.md", bytes: 5, updated_at: 10 }]);

      store.files.write("notes.md", "tea", 20);
      expect(store.files.read("notes.md")).toEqual({ content: "tea", updated_at: 20 });
      expect(store.files.list("")).toEqual([{ path: "notes.md", bytes: 3, updated_at: 20 }]);
    });
  });

  it("lists and greps only what lies under a folder prefix, in path order", async () => {
    await withStore((store) => {
      for (const path of ["docs/b.md", "docsx/c.md", "a.md", "docs/sub/d.md", "docs"]) store.files.write(path, `in ${path}`, 1);

      expect(store.files.list("").map((f) => f.path)).toEqual(["a.md", "docs", "docs/b.md", "docs/sub/d.md", "docsx/c.md"]);
      expect(store.files.list("docs").map((f) => f.path)).toEqual(["docs", "docs/b.md", "docs/sub/d.md"]);
      expect(store.files.list("docs/sub").map((f) => f.path)).toEqual(["docs/sub/d.md"]);
      expect(store.files.list("docs/b.md").map((f) => f.path)).toEqual(["docs/b.md"]);
      expect(store.files.list("doc")).toEqual([]);
      expect(store.files.contents("docs/sub")).toEqual([{ path: "docs/sub/d.md", content: "in docs/sub/d.md" }]);
      expect(store.files.contents("").map((f) => f.path)).toHaveLength(5);
    });
  });

  it("remembers which step wrote what, so the files before a step can be rebuilt", async () => {
    await withStore((store) => {
      store.initialise(START, state(), times());
      store.files.write("a.md", "first", 1);
      store.recordStep(step(0, "hello"), effects(), state({ step_count: 1 }), times(), []);
      store.files.write("a.md", "second", 2);
      store.files.write("b.md", "new", 3);
      store.recordStep(step(1, "bye"), effects(), state({ step_count: 2 }), times(), []);

      expect(store.fileWritesBefore(1)).toEqual([{ step: 0, path: "a.md", content: "first", updated_at: 1 }]);
      expect(store.fileWritesBefore(2).map((w) => [w.step, w.path, w.content])).toEqual([
        [0, "a.md", "first"],
        [1, "a.md", "second"],
        [1, "b.md", "new"],
      ]);
    });
  });
});

describe("a fork's store", () => {
  it("starts with the copied steps, their effects, the files as they were and its seed state, all at once", async () => {
    await withStore((store) => {
      const copied = { ...step(0, "hello"), copied_from: { run_id: "run-0", step: 0 } };
      const seed = state({ current_task: "bye", step_count: 1, outputs: { hello: "out-0" } });
      store.initialiseFork({ ...START, forked_from: { run_id: "run-0", step: 1 } }, seed, times(), {
        steps: [copied],
        effects: [effects()],
        files: [{ step: 0, path: "a.md", content: "v1", updated_at: 1 }, { step: 0, path: "a.md", content: "v2", updated_at: 2 }],
      });
      expect(store.steps()).toEqual([copied]);
      expect(store.nextStepIndex()).toBe(1);
      expect(store.stepEffects().get(0)).toEqual(effects());
      expect(store.files.read("a.md")).toEqual({ content: "v2", updated_at: 2 });
      expect(store.fileWritesBefore(1)).toHaveLength(2);
      expect(store.seed()).toEqual(seed);
      expect(store.state()).toEqual(seed);
      expect(store.start()?.forked_from).toEqual({ run_id: "run-0", step: 1 });
    });
  });
});
