/**
 * The run's own SQLite: a small key/value table for the run, its chain snapshot and state,
 * the append-only step log with each step's recorded effects, the event log SSE clients replay
 * from, the approvals its tool calls wait for, the contract gate's decisions about its calls,
 * and its workspace files with the history of their writes by step (what a fork copies). Each step's record, its effects, the new state and
 * its events are written in one synchronous transaction; so are a pause for approval and its
 * requests, and a fork's copied prefix.
 */
import type { RunState } from "../engine/run-state";
import type { FileInfo, FileStore } from "../tools/builtins/workspace";
import type { Approval, ContractDecision, StartRun, StepRecord } from "../engine/records";
import type { StepEffects } from "../engine/recording";
import { splitText } from "./split-text";

export interface RunEvent {
  id: number;
  type: string;
  data: unknown;
}

/** A step that started but whose result is not recorded yet (survives a crash). */
export interface InFlight {
  index: number;
  task_id: string;
  attempt: number;
  started_at: number;
  /** How many times this same step has been started; > 1 means it was re-run after a crash. */
  starts: number;
  /** While the step's sandboxed code runs: beside other sandboxes, or alone (see sandbox/lane.ts). */
  sandbox?: { alone: boolean; running: number };
  /** The process died while this step's code ran beside others: it runs alone until it has ended. */
  suspect?: boolean;
}

/**
 * What D1 holds of this run: the revision of the run's view and the number of step records it
 * last wrote, and how catching up has gone since it fell behind.
 */
export interface D1CopyState {
  revision: number;
  steps: number;
  /** Failed writes in a row; 0 when the last write succeeded. */
  attempts: number;
  last_error: string | null;
  /** Set when the bounded retries ran out; a resync (or the scheduled sweep) starts them again. */
  gave_up_at: number | null;
}

const D1_IN_SYNC: D1CopyState = { revision: 0, steps: 0, attempts: 0, last_error: null, gave_up_at: null };

export interface RunTimes {
  started_at: number | null;
  finished_at: number | null;
  /** When a retry's backoff ends (the alarm is set for it). */
  retry_at: number | null;
  cancel_requested: boolean;
  /** Since when the run has been waiting for approvals (absent or null when it is not). */
  waiting_since?: number | null;
  /** Time spent waiting for approvals so far; it does not count against the run's wall time. */
  waited_ms?: number;
}

/** The tables every run uses, made with its store. */
const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS meta_parts (key TEXT NOT NULL, idx INTEGER NOT NULL, part TEXT NOT NULL, PRIMARY KEY (key, idx))",
  "CREATE TABLE IF NOT EXISTS steps (idx INTEGER PRIMARY KEY, record TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS step_effects (idx INTEGER NOT NULL, part INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (idx, part))",
].join(";");

/**
 * The tables only some runs use (approvals, the workspace, contracts, sub-runs), made on first
 * use: making them all costs a fresh run's object about a millisecond before its first step.
 */
const LATER_TABLES = {
  approvals: "CREATE TABLE IF NOT EXISTS approvals (key TEXT PRIMARY KEY, call_id TEXT NOT NULL, status TEXT NOT NULL, record TEXT NOT NULL, seq INTEGER NOT NULL)",
  files: "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, content TEXT NOT NULL, bytes INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
  file_writes: "CREATE TABLE IF NOT EXISTS file_writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, step INTEGER NOT NULL, path TEXT NOT NULL, content TEXT NOT NULL, updated_at INTEGER NOT NULL)",
  // ok: null while a call is pending or when it was refused, 1 when it succeeded (result kept), 0 when it failed.
  contract_calls: "CREATE TABLE IF NOT EXISTS contract_calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, step INTEGER NOT NULL, decision TEXT NOT NULL, ok INTEGER, result TEXT)",
  descendants: "CREATE TABLE IF NOT EXISTS descendants (run_id TEXT PRIMARY KEY)",
};

/** One write of a workspace file, by the step (its index) that made it. */
export interface FileWrite {
  step: number;
  path: string;
  content: string;
  updated_at: number;
}

/** What a fork's object starts with besides its own start and state: the copied prefix. */
export interface ForkPrefix {
  steps: StepRecord[];
  /** Each copied step's recorded effects, by position (none for steps recorded before effects were). */
  effects: Array<StepEffects | undefined>;
  files: FileWrite[];
}

/**
 * A Durable Object's SQLite refuses a value over 2 MB, and a run's state can outgrow that (a
 * chat history holding large tool results is kept per task). Longer JSON is stored in parts of
 * at most this many UTF-16 units, at most 3 UTF-8 bytes each, with an empty `meta` value
 * saying where it went.
 */
const PART_UNITS = 500_000;
/** A statement binds at most 100 values in a Durable Object's SQLite; an event row binds three. */
const EVENTS_PER_STATEMENT = 33;
/** The most step-record JSON kept in memory for the D1 copy (see `unsynced`), in UTF-16 units. */
const UNSYNCED_UNITS = 2_000_000;

export class RunStore {
  /**
   * What this store last read or wrote of each `meta` key (parsed; `undefined` when absent), and
   * the step count. The object is the only writer of its storage, so these are what is stored;
   * a transaction that throws, rolled back, drops them. Values are shared, never mutated: every
   * caller builds a new state, new times.
   */
  private readonly known = new Map<string, unknown>();
  private stepCount: number | undefined;
  /** The last event's `seq`, read once: events are numbered here rather than by SQLite's RETURNING. */
  private lastSeq: number | undefined;
  /** Keys whose value is stored in parts, so a rewrite must remove them. */
  private readonly parted = new Set<string>();
  /** The later tables (LATER_TABLES) known to exist. */
  private readonly made = new Set<string>();
  /**
   * The step records this store wrote that D1 may lack, the first being step `from`: the D1 copy
   * takes them from here rather than reading them back from SQLite. Trimmed as D1 acknowledges
   * them; started over (SQLite answers for those before) past UNSYNCED_UNITS, and forgotten when
   * a transaction throws.
   */
  private unsynced: { from: number; steps: StepRecord[]; units: number } | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(SCHEMA);
    this.readParted();
  }

  /** The SQL handle for a statement on `table`, made first if this store has not yet. */
  private sql(table: keyof typeof LATER_TABLES): SqlStorage {
    if (!this.made.has(table)) {
      this.storage.sql.exec(LATER_TABLES[table]);
      this.made.add(table);
    }
    return this.storage.sql;
  }

  private readParted(): void {
    this.parted.clear();
    for (const row of this.storage.sql.exec<{ key: string }>("SELECT DISTINCT key FROM meta_parts")) this.parted.add(row.key);
  }

  private get<T>(key: string): T | undefined {
    if (this.known.has(key)) return this.known.get(key) as T | undefined;
    const row = this.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    const text = !row ? undefined : row.value !== "" ? row.value : this.storage.sql.exec<{ part: string }>("SELECT part FROM meta_parts WHERE key = ? ORDER BY idx", key).toArray().map((r) => r.part).join("");
    const value = text === undefined ? undefined : (JSON.parse(text) as T);
    this.known.set(key, value);
    return value;
  }

  /** Stores each key's value, every row of `meta` in one statement (a step saves three). */
  private put(values: Record<string, unknown>): void {
    const rows: unknown[] = [];
    for (const [key, value] of Object.entries(values)) {
      const text = JSON.stringify(value);
      if (this.parted.delete(key)) this.storage.sql.exec("DELETE FROM meta_parts WHERE key = ?", key);
      const parts = splitText(text, PART_UNITS);
      rows.push(key, parts.length === 1 ? text : "");
      if (parts.length > 1) {
        parts.forEach((part, idx) => this.storage.sql.exec("INSERT INTO meta_parts (key, idx, part) VALUES (?, ?, ?)", key, idx, part));
        this.parted.add(key);
      }
      this.known.set(key, value);
    }
    this.storage.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ${rowPlaceholders(rows.length / 2, 2)}`, ...rows);
  }

  private remove(key: string): void {
    if (this.known.has(key) && this.known.get(key) === undefined) return;
    this.storage.sql.exec("DELETE FROM meta WHERE key = ?", key);
    this.known.set(key, undefined);
  }

  /** Runs `writes` as one transaction; if it throws, what was remembered of it is forgotten with it. */
  private transaction<T>(writes: () => T): T {
    try {
      return this.storage.transactionSync(writes);
    } catch (error) {
      this.known.clear();
      this.stepCount = undefined;
      this.lastSeq = undefined;
      this.unsynced = undefined;
      this.made.clear();
      this.readParted();
      throw error;
    }
  }

  start(): StartRun | undefined {
    return this.get<StartRun>("start");
  }

  state(): RunState | undefined {
    return this.get<RunState>("state");
  }

  times(): RunTimes {
    return this.get<RunTimes>("times") ?? { started_at: null, finished_at: null, retry_at: null, cancel_requested: false };
  }

  inFlight(): InFlight | undefined {
    return this.get<InFlight>("inflight");
  }

  initialise(start: StartRun, state: RunState, times: RunTimes): void {
    this.transaction(() => {
      this.put({ start });
      this.putView(state, times);
    });
  }

  setTimes(times: RunTimes): void {
    this.transaction(() => this.putView(undefined, times));
  }

  /**
   * Saves what the run's view is made of and counts a new revision of it, so the D1 copy can
   * tell whether it is behind (see `d1Copy`).
   */
  private putView(state: RunState | undefined, times: RunTimes): void {
    this.put({ ...(state ? { state } : {}), times, revision: this.revision() + 1 });
  }

  /** Counts every change to the run's view (state, times, approvals). */
  revision(): number {
    return this.get<number>("revision") ?? 0;
  }

  setInFlight(inflight: InFlight | undefined): void {
    if (inflight) this.put({ inflight });
    else this.remove("inflight");
  }

  /** Stores a fork: its start and state, the copied steps with their effects, the workspace as it was. */
  initialiseFork(start: StartRun, state: RunState, times: RunTimes, prefix: ForkPrefix): void {
    this.transaction(() => {
      prefix.steps.forEach((step, i) => this.insertStep(step, prefix.effects[i]));
      for (const write of prefix.files) this.writeFile(write);
      this.put({ start, seed: state });
      this.putView(state, times);
    });
  }

  /** A fork's state when it started: its replay begins there, after the copied steps. */
  seed(): RunState | undefined {
    return this.get<RunState>("seed");
  }

  /** Appends the step with its effects and saves the state it led to, atomically; returns the stored events. */
  recordStep(step: StepRecord, effects: StepEffects, state: RunState, times: RunTimes, events: Array<{ type: string; data: unknown }>): RunEvent[] {
    return this.transaction(() => {
      this.insertStep(step, effects);
      this.putView(state, times);
      this.remove("inflight");
      return this.insertEvents(events);
    });
  }

  private insertStep(step: StepRecord, effects: StepEffects | undefined): void {
    const record = JSON.stringify(step);
    this.storage.sql.exec("INSERT INTO steps (idx, record) VALUES (?, ?)", step.index, record);
    if (this.stepCount !== undefined) this.stepCount++;
    const tail = this.unsynced;
    if (tail && tail.from + tail.steps.length === step.index && tail.units + record.length <= UNSYNCED_UNITS) {
      tail.steps.push(step);
      tail.units += record.length;
    } else {
      this.unsynced = { from: step.index, steps: [step], units: record.length };
    }
    if (effects) splitText(JSON.stringify(effects), PART_UNITS).forEach((part, idx) => this.storage.sql.exec("INSERT INTO step_effects (idx, part, text) VALUES (?, ?, ?)", step.index, idx, part));
  }

  /** Each step's recorded effects, by step index (absent for a step recorded without them). */
  stepEffects(): Map<number, StepEffects> {
    const texts = new Map<number, string>();
    for (const row of this.storage.sql.exec<{ idx: number; text: string }>("SELECT idx, text FROM step_effects ORDER BY idx, part")) {
      texts.set(row.idx, (texts.get(row.idx) ?? "") + row.text);
    }
    return new Map([...texts].map(([idx, text]) => [idx, JSON.parse(text) as StepEffects]));
  }

  saveState(state: RunState, times: RunTimes, events: Array<{ type: string; data: unknown }>): RunEvent[] {
    return this.transaction(() => {
      this.putView(state, times);
      return this.insertEvents(events);
    });
  }

  /** Stores new approval requests and the waiting state in one transaction; returns the stored events. */
  pauseForApprovals(requests: Approval[], state: RunState, times: RunTimes, events: Array<{ type: string; data: unknown }>): RunEvent[] {
    return this.transaction(() => {
      for (const approval of requests) this.putApproval(approval);
      this.putView(state, times);
      this.remove("inflight");
      return this.insertEvents(events);
    });
  }

  /** Records a decision, and the state it leads to, in one transaction. */
  decideApproval(approval: Approval, state: RunState, times: RunTimes, events: Array<{ type: string; data: unknown }>): RunEvent[] {
    return this.transaction(() => {
      this.putApproval(approval);
      this.putView(state, times);
      return this.insertEvents(events);
    });
  }

  private putApproval(approval: Approval): void {
    this.sql("approvals").exec(
      "INSERT OR REPLACE INTO approvals (key, call_id, status, record, seq) VALUES (?, ?, ?, ?, COALESCE((SELECT seq FROM approvals WHERE key = ?), (SELECT COUNT(*) FROM approvals)))",
      approval.key,
      approval.call_id,
      approval.status,
      JSON.stringify(approval),
      approval.key,
    );
  }

  approval(key: string): Approval | undefined {
    return this.approvalRows("SELECT record FROM approvals WHERE key = ?", key)[0];
  }

  /** Every approval, oldest request first; with a status, only those. */
  approvals(status?: Approval["status"]): Approval[] {
    return status === undefined ? this.approvalRows("SELECT record FROM approvals ORDER BY seq") : this.approvalRows("SELECT record FROM approvals WHERE status = ? ORDER BY seq", status);
  }

  approvalsForCall(callId: string): Approval[] {
    return this.approvalRows("SELECT record FROM approvals WHERE call_id = ? ORDER BY seq", callId);
  }

  private approvalRows(query: string, ...bindings: unknown[]): Approval[] {
    return this.sql("approvals")
      .exec<{ record: string }>(query, ...bindings)
      .toArray()
      .map((r) => JSON.parse(r.record) as Approval);
  }

  /** The run's workspace files (tools/builtins/workspace.ts); at most a thousand, so prefixes are filtered here. */
  readonly files: FileStore = {
    read: (path) => this.sql("files").exec<{ content: string; updated_at: number }>("SELECT content, updated_at FROM files WHERE path = ?", path).toArray()[0],
    // A write belongs to the step in flight: the next one the log will hold.
    write: (path, content, now) => this.writeFile({ step: this.nextStepIndex(), path, content, updated_at: now }),
    list: (prefix) =>
      this.sql("files")
        .exec<{ path: string; bytes: number; updated_at: number }>("SELECT path, bytes, updated_at FROM files ORDER BY path")
        .toArray()
        .filter((f) => underPrefix(f.path, prefix))
        .map((f): FileInfo => ({ path: f.path, bytes: f.bytes, updated_at: f.updated_at })),
    contents: (prefix) =>
      this.sql("files")
        .exec<{ path: string; content: string }>("SELECT path, content FROM files ORDER BY path")
        .toArray()
        .filter((f) => underPrefix(f.path, prefix)),
  };

  private writeFile(write: FileWrite): void {
    const { step, path, content, updated_at } = write;
    this.sql("files").exec("INSERT OR REPLACE INTO files (path, content, bytes, updated_at) VALUES (?, ?, ?, ?)", path, content, new TextEncoder().encode(content).length, updated_at);
    this.sql("file_writes").exec("INSERT INTO file_writes (step, path, content, updated_at) VALUES (?, ?, ?, ?)", step, path, content, updated_at);
  }

  /** The workspace writes steps before `step` made, oldest first: replayed in order, they give the files as they were. */
  fileWritesBefore(step: number): FileWrite[] {
    return this.sql("file_writes").exec<{ step: number; path: string; content: string; updated_at: number }>("SELECT step, path, content, updated_at FROM file_writes WHERE step < ? ORDER BY seq", step).toArray();
  }

  /** Records what the contract's gate decided about a call made during step `step`; the decision gets its `seq`. */
  recordDecision(step: number, decision: Omit<ContractDecision, "seq">): ContractDecision {
    const row = this.sql("contract_calls").exec<{ seq: number }>("INSERT INTO contract_calls (step, decision) VALUES (?, '') RETURNING seq", step).one();
    const recorded: ContractDecision = { seq: row.seq, ...decision };
    this.sql("contract_calls").exec("UPDATE contract_calls SET decision = ? WHERE seq = ?", JSON.stringify(recorded), row.seq);
    return recorded;
  }

  /** How an allowed call ended; a success keeps its result for the rules' `history`. */
  settleDecision(decision: ContractDecision, ok: boolean, result: unknown): void {
    const settled: ContractDecision = { ...decision, outcome: ok ? "ok" : "error" };
    this.sql("contract_calls").exec("UPDATE contract_calls SET decision = ?, ok = ?, result = ? WHERE seq = ?", JSON.stringify(settled), ok ? 1 : 0, ok ? JSON.stringify(result ?? null) : null, decision.seq);
  }

  /** The gate's decisions about the calls step `step` made, in order. */
  decisions(step: number): ContractDecision[] {
    return this.sql("contract_calls").exec<{ decision: string }>("SELECT decision FROM contract_calls WHERE step = ? ORDER BY seq", step).toArray().map((r) => JSON.parse(r.decision) as ContractDecision);
  }

  /** The calls that went ahead and succeeded, oldest first. */
  contractHistory(): Array<{ tool: string; args: unknown; result: unknown }> {
    return this.sql("contract_calls")
      .exec<{ decision: string; result: string }>("SELECT decision, result FROM contract_calls WHERE ok = 1 ORDER BY seq")
      .toArray()
      .map((r) => {
        const { tool, args } = JSON.parse(r.decision) as ContractDecision;
        return { tool, args, result: JSON.parse(r.result) as unknown };
      });
  }

  /** On a root run: every sub-run started below it, at any depth (see run/descendants.ts). */
  descendants(): string[] {
    return this.sql("descendants").exec<{ run_id: string }>("SELECT run_id FROM descendants").toArray().map((r) => r.run_id);
  }

  /** Adds a sub-run unless it is known; returns how many there are now. */
  addDescendant(runId: string): number {
    this.sql("descendants").exec("INSERT OR IGNORE INTO descendants (run_id) VALUES (?)", runId);
    return this.sql("descendants").exec<{ n: number }>("SELECT COUNT(*) AS n FROM descendants").one().n;
  }

  appendEvent(type: string, data: unknown): RunEvent {
    return this.insertEvents([{ type, data }])[0]!;
  }

  /** Stores events in one statement, numbered on from the last stored one (the object is the only writer). */
  private insertEvents(events: ReadonlyArray<{ type: string; data: unknown }>): RunEvent[] {
    if (events.length === 0) return [];
    let seq = (this.lastSeq ??= this.storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0);
    const stored = events.map((e) => ({ id: ++seq, type: e.type, data: e.data }));
    for (let at = 0; at < stored.length; at += EVENTS_PER_STATEMENT) {
      const rows = stored.slice(at, at + EVENTS_PER_STATEMENT);
      const values: unknown[] = [];
      for (const e of rows) values.push(e.id, e.type, JSON.stringify(e.data));
      this.storage.sql.exec(`INSERT INTO events (seq, type, data) VALUES ${rowPlaceholders(rows.length, 3)}`, ...values);
    }
    this.lastSeq = seq;
    return stored;
  }

  /** Index the next step record gets: the log is append-only, retries included. */
  nextStepIndex(): number {
    this.stepCount ??= this.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM steps").one().n;
    return this.stepCount;
  }

  /** What D1 holds of this run; later revisions and steps go with the next sync. */
  d1Copy(): D1CopyState {
    return this.get<D1CopyState>("d1_copy") ?? D1_IN_SYNC;
  }

  setD1Copy(copy: D1CopyState): void {
    this.put({ d1_copy: copy });
    const tail = this.unsynced;
    if (tail && copy.steps > tail.from) {
      const steps = tail.steps.slice(copy.steps - tail.from);
      // The units stay an over-count until the tail empties: it only starts over sooner.
      this.unsynced = { from: copy.steps, steps, units: steps.length === 0 ? 0 : tail.units };
    }
  }

  stepsFrom(index: number, limit = -1): StepRecord[] {
    const tail = this.unsynced;
    if (tail && index >= tail.from && index <= tail.from + tail.steps.length) {
      const at = index - tail.from;
      return tail.steps.slice(at, limit < 0 ? undefined : at + limit);
    }
    return this.storage.sql
      .exec<{ record: string }>("SELECT record FROM steps WHERE idx >= ? ORDER BY idx LIMIT ?", index, limit)
      .toArray()
      .map((r) => JSON.parse(r.record) as StepRecord);
  }

  steps(): StepRecord[] {
    return this.storage.sql
      .exec<{ record: string }>("SELECT record FROM steps ORDER BY idx")
      .toArray()
      .map((r) => JSON.parse(r.record) as StepRecord);
  }

  eventsAfter(seq: number): RunEvent[] {
    return this.storage.sql
      .exec<{ seq: number; type: string; data: string }>("SELECT seq, type, data FROM events WHERE seq > ? ORDER BY seq", seq)
      .toArray()
      .map((r) => ({ id: r.seq, type: r.type, data: JSON.parse(r.data) as unknown }));
  }
}

/** `(?, ?), (?, ?)` for `rows` rows of `columns` values; kept per shape, since a step asks for the same few. */
function rowPlaceholders(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let text = placeholderTexts.get(key);
  if (text === undefined) {
    const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
    placeholderTexts.set(key, (text = Array.from({ length: rows }, () => row).join(", ")));
  }
  return text;
}
const placeholderTexts = new Map<string, string>();

function underPrefix(path: string, prefix: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}
