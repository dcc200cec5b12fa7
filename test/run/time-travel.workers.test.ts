/**
 * Time travel over a run's own store (real Durable Object SQLite): a run recorded before
 * effects were — step rows without effect rows — replays as not replayable with the reason, and
 * a fork seed copies the prefix, the patch and the files written before the step.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StartRun, StepRecord } from "../../src/engine/records";
import { initialState } from "../../src/engine/step";
import { RunStore } from "../../src/run/store";
import { forkSeed, replayRecorded } from "../../src/run/time-travel";

async function withStore(test: (store: RunStore, storage: DurableObjectStorage) => Promise<void> | void): Promise<void> {
  const stub = env.STORAGE.get(env.STORAGE.newUniqueId());
  await runInDurableObject(stub, (_object, state) => test(new RunStore(state.storage), state.storage));
}

const next = (goto: string) => ({ branches: [{ operator: "default" as const, when: "", goto }] });
const START: StartRun = {
  run_id: "old-run",
  chain: { id: "two", tasks: [{ id: "a", handler: "noop", transition: next("b") }, { id: "b", handler: "noop", transition: next("end") }] },
  chain_version: 1,
  input: "hi",
  vars: {},
  created_at: 1,
};

function step(index: number, task: string, goto: string | null): StepRecord {
  return { index, task_id: task, handler: "noop", input: "hi", output: "hi", eval: "hi", goto: goto as string, started_at: 1, duration_ms: 0, error: null, attempt: 1, model: null, usage: null };
}

/** What a run's storage held before effects were recorded: step rows only, `goto: null` at the end. */
function oldRun(store: RunStore, storage: DurableObjectStorage): void {
  const state = initialState(START.chain, { run_id: START.run_id, input: "hi" });
  store.initialise(START, { ...state, status: "succeeded", current_task: null }, { started_at: 1, finished_at: 2, retry_at: null, cancel_requested: false });
  for (const record of [step(0, "a", "b"), step(1, "b", null)]) storage.sql.exec("INSERT INTO steps (idx, record) VALUES (?, ?)", record.index, JSON.stringify(record));
}

describe("a run recorded before effects were", () => {
  it("replays as not replayable, saying why", async () => {
    await withStore(async (store, storage) => {
      oldRun(store, storage);
      const report = await replayRecorded(store);
      expect(report).toMatchObject({ replayable: false, diverged: false, first_divergence: null, steps: [] });
      expect(report?.reason).toMatch(/step 0 \(task "a"\) was recorded without its effects/);
    });
  });

  it("can still be forked: its results fold into the state before the step", async () => {
    await withStore((store, storage) => {
      oldRun(store, storage);
      // Asking makes the table, which every older run's storage had from its start.
      expect(store.fileWritesBefore(1)).toEqual([]);
      storage.sql.exec("INSERT INTO file_writes (step, path, content, updated_at) VALUES (0, 'x.md', 'from step 0', 5)");
      const seeded = forkSeed(store, { from_step: 1, patch: "patched" }, { defaults: {}, maxOutputBytes: 1024 });
      if (!seeded.ok) throw new Error(seeded.message);
      expect(seeded.seed.state).toMatchObject({ current_task: "b", outputs: { a: "patched" }, previous_output: "patched", edge_counts: { "a->b": 1 } });
      expect(seeded.seed.prefix.steps).toEqual([{ ...step(0, "a", "b"), output: "patched", patched: true, copied_from: { run_id: "old-run", step: 0 } }]);
      expect(seeded.seed.prefix.effects).toEqual([undefined]);
      expect(seeded.seed.prefix.files).toEqual([{ step: 0, path: "x.md", content: "from step 0", updated_at: 5 }]);
    });
  });
});
