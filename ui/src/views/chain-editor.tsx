/**
 * `/ui/chains/<id>` (and `/ui/chains/new`): a chain's graph, its source in an editor checked by
 * `POST /chains/validate` as you type (problems marked at their place), saving as a new version,
 * and its version history, each version openable and comparable with the text being edited.
 */
import { parse } from "jsonc-parser";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api, messageOf } from "../api/client";
import type { Chain, ChainVersion, ChainView, Problem } from "../api/types";
import { ChainGraph } from "../components/chain-graph";
import { SideBySideDiff } from "../components/program-diff";
import { SourceEditor } from "../components/source-editor";
import { ErrorNote } from "../components/status";
import { time } from "../lib/format";
import { chainGraph, sketchChain } from "../lib/graph-model";
import { placeProblem } from "../lib/problem-place";
import { navigate } from "../lib/router";
import { useApi } from "../lib/use-api";

const NEW_CHAIN = `{
  "id": "my-chain",
  "description": "Chat with the model.",
  "tasks": [
    {
      "id": "chat",
      "handler": "chat_completion",
      "system_instruction": "You are a helpful assistant.",
      "execute_config": { "model": "{{var:model}}" },
      "transition": { "branches": [{ "operator": "default", "when": "", "goto": "end" }] }
    }
  ]
}
`;

const VALIDATE_DELAY_MS = 250;

const pretty = (chain: Chain) => `${JSON.stringify(chain, null, 2)}\n`;

export function ChainEditor({ id }: { id: string | null }) {
  const stored = useApi<ChainView>(id ? `/chains/${encodeURIComponent(id)}` : null);
  const versions = useApi<{ data: ChainVersion[] }>(id ? `/chains/${encodeURIComponent(id)}/versions` : null);
  const [text, setText] = useState(id ? "" : NEW_CHAIN);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState<"checking" | "valid" | "invalid">("checking");
  const [saved, setSaved] = useState<string>();
  const [saveError, setSaveError] = useState<unknown>();
  const [compare, setCompare] = useState<ChainVersion>();

  useEffect(() => {
    if (stored.data) setText(pretty(stored.data.definition));
  }, [stored.data]);

  useEffect(() => {
    if (!text) return;
    setChecked("checking");
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const result = await api.post<{ problems: Problem[] }>("/chains/validate", text);
        if (current) (setProblems(result.problems), setChecked("valid"));
      } catch (e) {
        if (current) (setProblems(e instanceof ApiError && e.problems ? e.problems : [{ severity: "error", path: "", message: messageOf(e) }]), setChecked("invalid"));
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  const placed = useMemo(() => problems.map((problem) => ({ problem, place: placeProblem(text, problem) })), [problems, text]);
  const graph = useGraph(text);

  const save = async () => {
    setSaveError(undefined);
    try {
      const chainId = (parse(text) as { id?: unknown } | undefined)?.id;
      const result = id ? await api.put<ChainView>(`/chains/${encodeURIComponent(id)}`, text) : await api.post<ChainView>("/chains", text);
      setSaved(`Saved ${result.id} as version ${result.version}.`);
      if (!id && typeof chainId === "string") navigate(`/ui/chains/${encodeURIComponent(chainId)}`);
      else versions.reload();
    } catch (e) {
      setSaveError(e);
    }
  };

  if (stored.error) return <ErrorNote error={stored.error} />;
  return (
    <div class="chain-editor">
      <header class="page-head">
        <h1>{id ? `Chain ${id}` : "New chain"}</h1>
        {stored.data && <span class="muted">{stored.data.source === "bundled" ? "bundled (saving overrides it)" : `version ${stored.data.version}`}</span>}
        <button type="button" class="primary" onClick={save} disabled={checked !== "valid"}>
          Save as new version
        </button>
      </header>
      {saved && <p class="ok-note">{saved}</p>}
      <ErrorNote error={saveError} />
      <div class="editor-layout">
        <section class="panel" aria-label="Source">
          <h2>
            Source <span class={`check check-${checked}`}>{checked === "checking" ? "checking…" : checked === "valid" ? "valid" : `${problems.filter((p) => p.severity === "error").length} problem(s)`}</span>
          </h2>
          <SourceEditor label="Chain source (JSONC)" value={text} onInput={(value) => (setText(value), setSaved(undefined))} problems={placed} />
          <ul class="problems" aria-label="Problems">
            {placed.map(({ problem, place }, i) => (
              <li key={i} class={`problem problem-${problem.severity}`} data-path={problem.path} data-line={place?.line ?? ""}>
                <span class="problem-where">{place ? `line ${place.line}` : "–"}</span> <code>{problem.path || "(chain)"}</code> {problem.message}
              </li>
            ))}
          </ul>
        </section>
        <section class="panel graph-panel" aria-label="Graph">
          <h2>Graph</h2>
          {graph ? <ChainGraph graph={graph} /> : <p class="muted">The graph appears once the source reads as a chain.</p>}
        </section>
      </div>
      {versions.data && versions.data.data.length > 0 && (
        <section class="panel" aria-label="Versions">
          <h2>Versions</h2>
          <ul class="versions">
            {versions.data.data.map((v) => (
              <li key={v.version} data-version={v.version}>
                <strong>v{v.version}</strong> <span class="muted">{time(v.created_at)}</span>{" "}
                <button type="button" onClick={() => setText(pretty(v.definition))}>
                  Open
                </button>{" "}
                <button type="button" onClick={() => setCompare(compare?.version === v.version ? undefined : v)} aria-pressed={compare?.version === v.version}>
                  Compare with the editor
                </button>
              </li>
            ))}
          </ul>
          {compare && <SideBySideDiff before={pretty(compare.definition)} after={text} language="json" labels={[`version ${compare.version}`, "editor"]} />}
        </section>
      )}
    </div>
  );
}

/** The graph of the text being edited, kept from the last time it read as a chain. */
function useGraph(text: string) {
  const [chain, setChain] = useState<Chain>();
  useEffect(() => {
    const sketch = sketchChain(parse(text, [], { allowTrailingComma: true }));
    if (sketch) setChain(sketch);
  }, [text]);
  return useMemo(() => (chain ? chainGraph(chain) : undefined), [chain]);
}
