/**
 * The `switchyard` CLI as a user runs it: spawned as a process (cli/bin.mjs, what `npx
 * switchyard` runs) against the e2e `wrangler dev` and the scripted mock LLM, judged by its
 * stdout, stderr and exit code. Each spawn gets an empty working and home directory, so no
 * config file of the machine's leaks in.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./dev-server";
import { api, eventually, llm, runSteps, runsOfChain, unique, waitForRun } from "./client";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "cli", "bin.mjs");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Spawned {
  done: Promise<Outcome>;
  /** Resolves once stderr contains `text`. */
  stderrShows(text: string): Promise<void>;
  signal(name: NodeJS.Signals): void;
}

function start(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Spawned {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-cli-"));
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, NO_COLOR: "1", SWITCHYARD_URL: api().baseUrl, SWITCHYARD_API_KEY: api().apiKey, ...options.env },
  });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    watchers.forEach((check) => check());
  });
  child.stdin.end(options.input ?? "");
  const done = new Promise<Outcome>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return {
    done,
    stderrShows: (text) =>
      new Promise((resolve, reject) => {
        const check = () => stderr.includes(text) && resolve();
        watchers.push(check);
        check();
        void done.then(() => reject(new Error(`the CLI ended before stderr showed ${JSON.stringify(text)}:\n${stderr}`)));
      }),
    signal: (name) => child.kill(name),
  };
}

function cli(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<Outcome> {
  return start(args, options).done;
}

function chainFile(chain: unknown, text = JSON.stringify(chain, null, 2)): string {
  const file = join(mkdtempSync(join(tmpdir(), "switchyard-chain-")), "chain.jsonc");
  writeFileSync(file, text);
  return file;
}

const end = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

describe("switchyard run", () => {
  it("runs a chain file and prints the mock's answer, with the progress on stderr", async () => {
    const { code, stdout, stderr } = await cli(["run", "--chain", join(ROOT, "chains", "default-chain.json"), "hello"]);
    expect(stderr).toContain("✓ chat");
    expect(stdout).toBe("echo: hello\n");
    expect(code).toBe(0);
  });

  it("exits 1 with the run's error when the run fails", async () => {
    const file = chainFile({ id: unique("cli-fails"), tasks: [{ id: "boom", handler: "raise_error", prompt_template: "refused: {{.input}}" }] });
    const { code, stdout, stderr } = await cli(["run", "--chain", file, "the input"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/run \S+ failed in task "boom": refused: the input/);
  });

  it("lists every task with --steps, and gives the whole run with --json", async () => {
    const id = unique("cli-steps");
    const file = chainFile({
      id,
      tasks: [
        { id: "first", handler: "noop", transition: end("second") },
        { id: "second", handler: "noop", transition: end("third") },
        { id: "third", handler: "noop", transition: end("end") },
      ],
    });
    const { code, stdout } = await cli(["run", "--chain", file, "--steps", "--var", "mood=calm", "in"]);
    expect(code).toBe(0);
    const [answer, header, ...rows] = stdout.trimEnd().split("\n");
    expect(answer).toBe("in");
    expect(header).toMatch(/^#\s+task\s+handler\s+eval\s+goto/);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 3))).toEqual([
      ["0", "first", "noop"],
      ["1", "second", "noop"],
      ["2", "third", "noop"],
    ]);
    const json = await cli(["--json", "run", "--chain", file, "--steps", "in"]);
    const run = JSON.parse(json.stdout);
    expect(run).toMatchObject({ chain_id: id, status: "succeeded", output: "in" });
    expect(run.steps.map((s: { task_id: string }) => s.task_id)).toEqual(["first", "second", "third"]);
  });

  it("reads the input from stdin with -, and leaves at once with --no-wait", async () => {
    const { code, stdout } = await cli(["run", "--chain", "default-chain", "--no-wait", "-"], { input: "from a pipe\n" });
    expect(code).toBe(0);
    const run = await waitForRun(api(), stdout.trim(), (r) => r.status === "succeeded");
    expect(run.input).toBe("from a pipe");
  });

  it("streams the answer's tokens on stderr as they arrive, and cancels the run on Ctrl-C", async () => {
    const scenario = unique("cli-slow");
    await llm().script(scenario, [{ chunks: ["first-chunk ", "second ", "third ", "fourth ", "fifth"], chunk_delay_ms: 1000 }]);
    const file = chainFile({ id: unique("cli-slow"), tasks: [{ id: "talk", handler: "chat_completion", execute_config: { model: scenario } }] });
    const cli = start(["run", "--chain", file, "go"]);
    await cli.stderrShows("first-chunk");
    cli.signal("SIGINT");
    const { code, stderr } = await cli.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/run (\S+) cancelled/);
    const runId = /run (\S+) cancelled/.exec(stderr)![1]!;
    expect((await api().get(`/runs/${runId}`)).body.status).toBe("cancelled");
  });
});

/** Two LLM turns in a row, told the run's tone; `firstGoesTo: "end"` is the edit that makes a run diverge. */
function twoTurns(id: string, model: string, firstGoesTo = "turn1") {
  const turn = (n: number, goto: string) => ({
    id: `turn${n}`,
    handler: "prompt_to_string",
    system_instruction: "Be {{var:tone}}.",
    prompt_template: `Turn ${n}: {{.input}}`,
    execute_config: { model },
    transition: end(goto),
  });
  return { id, tasks: [turn(0, firstGoesTo), turn(1, "end")] };
}

/** A finished run of a registered two-turn chain, the mock answering `answers` in order (later ones for its forks). */
async function recordedRun(answers: string[]) {
  const model = unique("cli-recorded");
  await llm().script(model, answers.map((content) => ({ content })));
  const chain = twoTurns(unique("cli-turns"), model);
  expect((await api().post("/chains", chain)).status).toBe(201);
  const run = (await api().post("/runs?wait=true", { chain_id: chain.id, input: "hi", vars: { tone: "casual" } })).body;
  expect(run.status).toBe("succeeded");
  return { model, chain, run };
}

describe("switchyard fork", () => {
  it("starts a run from a step with a changed var or a patched step before it, printing the new id", async () => {
    const { model, run } = await recordedRun(["one", "two", "TWO", "two after the patch"]);
    const { code, stdout } = await cli(["fork", run.id, "--from", "1", "--var", "tone=formal"]);
    expect(code).toBe(0);
    const fork = await waitForRun(api(), stdout.trim(), (r) => r.status === "succeeded");
    expect(fork).toMatchObject({ output: "TWO", forked_from: { run_id: run.id, step: 1 } });
    expect((await cli(["show", fork.id])).stdout).toMatch(new RegExp(`^forked\\s+from run ${run.id} at step 1$`, "m"));
    const forks = await eventually(() => cli(["--json", "runs", "--forked-from", run.id]), (listed) => JSON.parse(listed.stdout).data.length === 1, "the fork listed");
    expect(JSON.parse(forks.stdout).data[0].id).toBe(fork.id);
    const sent = await llm().requests(model);
    expect(sent).toHaveLength(3);
    expect((sent[2]!.body.messages as Array<{ content: string }>)[0]!.content).toMatch(/^Be formal\./);

    const patch = join(mkdtempSync(join(tmpdir(), "switchyard-patch-")), "patch.json");
    writeFileSync(patch, JSON.stringify("one, edited"));
    const patched = await cli(["--json", "fork", run.id, "--from", "1", "--patch", patch]);
    expect(patched.code).toBe(0);
    const answer = JSON.parse(patched.stdout);
    expect(answer.forked_from).toEqual({ run_id: run.id, step: 1 });
    await waitForRun(api(), answer.id, (r) => r.status === "succeeded");
    expect((await runSteps(api(), answer.id))[0]).toMatchObject({ output: "one, edited", patched: true, copied_from: { run_id: run.id, step: 0 } });
  });

  it("exits 2 without --from and 1 with the server's message for a step the run does not have", async () => {
    const { run } = await recordedRun(["one", "two"]);
    expect((await cli(["fork", run.id])).code).toBe(2);
    expect((await cli(["fork", run.id, "--from", "-1"])).code).toBe(2);
    const beyond = await cli(["fork", run.id, "--from", "9"]);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toMatch(/error: from_step 9 is beyond the run's 2 recorded steps.*\(at from_step\)/);
  });
});

describe("switchyard replay", () => {
  it("says a run replays the same, and with an edited chain file names the step, task, reason and message where it diverges (exit 1)", async () => {
    const { model, chain, run } = await recordedRun(["one", "two"]);
    const same = await cli(["replay", run.id]);
    expect(same.stdout).toMatch(/^result\s+same \(2 steps replayed\)$/m);
    expect(same.code).toBe(0);
    const edited = chainFile(twoTurns(chain.id, model, "end"));
    const diverged = await cli(["replay", run.id, "--chain", edited]);
    expect(diverged.code).toBe(1);
    expect(diverged.stdout).toMatch(/^result\s+diverged\nstep\s+0\ntask\s+turn0\nreason\s+transition\nmessage\s+\S.*\nrecorded\s+"turn1"\nreplayed\s+"end"$/m);
    expect(diverged.stderr).toContain(`run ${run.id} diverges from its record at step 0.`);
    const json = await cli(["--json", "replay", run.id, "--chain", edited]);
    expect(JSON.parse(json.stdout)).toMatchObject({ run_id: run.id, replayable: true, diverged: true, first_divergence: { step: 0, task_id: "turn0", reason: "transition" } });
    expect(await llm().requests(model)).toHaveLength(2);
  });
});

describe("switchyard chains replay", () => {
  it("counts the chain's runs that would behave the same, and exits 1 when a draft makes one diverge", async () => {
    const { model, chain, run } = await recordedRun(["one", "two"]);
    await eventually(() => runsOfChain(api(), chain.id), (runs) => runs.length === 1, "the run listed");
    const same = await cli(["chains", "replay", chain.id]);
    expect(same.stdout).toContain("1 run: 1 same, 0 diverged, 0 not replayable");
    expect(same.code).toBe(0);
    const draft = chainFile(twoTurns(chain.id, model, "end"));
    const diverged = await cli(["chains", "replay", chain.id, "--chain", draft, "--limit", "5"]);
    expect(diverged.code).toBe(1);
    expect(diverged.stdout.split("\n")).toContainEqual(expect.stringMatching(new RegExp(`^${run.id}\\s+diverged\\s+0\\s+turn0\\s+transition\\s+\\S`)));
    expect(diverged.stdout).toContain("1 run: 0 same, 1 diverged, 0 not replayable");
    expect(diverged.stderr).toContain(`1 of 1 run of ${chain.id} would diverge.`);
    expect((await cli(["chains", "replay", chain.id, "--limit", "many"])).code).toBe(2);
  });
});

describe("switchyard providers list", () => {
  it("shows each provider's type and live health", async () => {
    const { code, stdout } = await cli(["providers", "list"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^name\s+type\s+source\s+base url\s+default model\s+models\s+key\s+health$/m);
    expect(stdout).toMatch(/^default\s+openai-compatible\s+config\s+http:\/\/127\.0\.0\.1:\d+\/v1\s+mock-model\s/m);
  });
});

describe("switchyard contracts list", () => {
  it("shows the bundled orders contract with its entities, rules and roles", async () => {
    const { code, stdout } = await cli(["contracts", "list"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^id\s+version\s+source\s+entities\s+rules\s+roles$/m);
    expect(stdout).toMatch(/^orders\s+0\s+bundled\s+order\s+.*refund-limit.*\s+agent, manager, admin$/m);
  });
});

describe("switchyard validate", () => {
  it("prints every problem of a broken JSONC file at its line and column, and exits 1", async () => {
    const text = [
      "// a chain with mistakes",
      "{",
      '  "id": "broken",',
      '  "tasks": [',
      "    {",
      '      "id": "ask",',
      '      "hanlder": "chat_completion", // misspelt',
      '      "transition": { "branches": [{ "operator": "equals", "when": "x", "goto": "nowhere" }] },',
      "    },",
      '    { "id": "orphan", "handler": "noop" },',
      "  ],",
      "}",
    ].join("\n");
    const file = chainFile(undefined, text);
    const at = (line: number, needle: string) => `${file}:${line}:${text.split("\n")[line - 1]!.indexOf(needle) + 1}`;
    const { code, stdout } = await cli(["validate", file, join(ROOT, "chains", "default-chain.json")]);
    expect(code).toBe(1);
    const lines = stdout.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${at(7, '"hanlder"')}: error: .*did you mean "handler"`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${at(5, "{")}: error: .*"handler" is required`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${at(8, '"goto"')}: error: .*"nowhere"`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${at(10, "{")}: warning: .*never reached`)));
    expect(lines).toContain(`✓ ${join(ROOT, "chains", "default-chain.json")}`);
  });

  it("places a syntax error at its line and column", async () => {
    const file = chainFile(undefined, '{\n  "id": "x"\n  "tasks": []\n}\n');
    const { code, stdout } = await cli(["validate", file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${file}:3:3: error: syntax error`, "m"));
  });

  it("accepts the bundled chains, offline", async () => {
    const files = ["default-chain.json", "code-mode.json", "tool-loop.json"].map((name) => join(ROOT, "chains", name));
    const { code } = await cli(["validate", ...files], { env: { SWITCHYARD_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(code).toBe(0);
  });
});

describe("switchyard chat", () => {
  it("answers two turns of piped stdin, sending the history with the second", async () => {
    const scenario = unique("cli-chat");
    await llm().script(scenario, [{ content: "Hello, Ada." }, { content: "You said your name is Ada." }]);
    const chainId = unique("cli-chat");
    const registered = await api().post("/chains", { id: chainId, tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model: scenario } }] });
    expect(registered.status).toBe(201);
    const { code, stdout } = await cli(["chat", "--chain", chainId], { input: "I am Ada.\nWhat is my name?\n" });
    expect(stdout).toBe("Hello, Ada.\nYou said your name is Ada.\n");
    expect(code).toBe(0);
    const second = (await llm().requests(scenario))[1]!.body.messages as Array<{ role: string; content: string }>;
    expect(second.filter((m) => m.role !== "system").map((m) => [m.role, m.content])).toEqual([
      ["user", "I am Ada."],
      ["assistant", "Hello, Ada."],
      ["user", "What is my name?"],
    ]);
  });
});

describe("failures a script can tell apart", () => {
  it("exits 3 naming the URL when nothing answers there", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await cli(["runs"], { env: { SWITCHYARD_URL: url } });
    expect(code).toBe(3);
    expect(stderr).toContain(url);
    expect(stderr).toContain("npm run dev");
  });

  it("shows the server's message and path, not a stack trace, and exits 1", async () => {
    const { code, stderr } = await cli(["run", "--chain", "no-such-chain", "hi"]);
    expect(code).toBe(1);
    expect(stderr).toContain('error: No chain "no-such-chain" is registered or bundled. (at chain_id)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 on a usage mistake", async () => {
    expect((await cli(["run"])).code).toBe(2);
    expect((await cli(["run", "--var", "novalue", "x"])).code).toBe(2);
    expect((await cli(["no-such-command"])).code).toBe(2);
  });

  it("takes the URL and key from the config file, and a flag over both", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchyard-home-"));
    const env = { SWITCHYARD_URL: "", SWITCHYARD_API_KEY: "", HOME: home };
    const set = (key: string, value: string) => cli(["config", "set", "--global", key, value], { env });
    expect((await set("url", api().baseUrl)).code).toBe(0);
    expect((await set("key", api().apiKey)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(home, ".switchyard", "config.json"), "utf8"))).toEqual({ url: api().baseUrl, key: api().apiKey });
    const listed = await cli(["--json", "chains", "list"], { env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((c: { id: string }) => c.id)).toContain("default-chain");
    const refused = await cli(["chains", "list", "--key", "wrong-key"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The API key is not valid.");
  });
});
