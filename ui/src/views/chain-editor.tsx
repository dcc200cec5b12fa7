/**
 * `/ui/chains/<id>` (and `/ui/chains/new`): a chain's graph, its source in an editor checked by
 * `POST /chains/validate` as you type (problems marked at their place), saving as a new version,
 * replaying the text being edited against the chain's recent runs, and its version history,
 * each version openable and comparable with the text being edited.
 */
import { parse } from "jsonc-parser";
import { useEffect, useMemo, useState } from "preact/hooks";
import { api } from "../api/client";
import type { Chain, ChainVersion, ChainView } from "../api/types";
import { ChainGraph } from "../components/chain-graph";
import { ChainSource, CheckVerdict, chainText, useChainCheck } from "../components/chain-source";
import { SideBySideDiff } from "../components/program-diff";
import { ErrorNote } from "../components/status";
import { time } from "../lib/format";
import { chainGraph, sketchChain } from "../lib/graph-model";
import { navigate } from "../lib/router";
import { useApi } from "../lib/use-api";
import { ChainReplay } from "./chain-replay";

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

export function ChainEditor({ id }: { id: string | null }) {
  const stored = useApi<ChainView>(id ? `/chains/${encodeURIComponent(id)}` : null);
  const versions = useApi<{ data: ChainVersion[] }>(id ? `/chains/${encodeURIComponent(id)}/versions` : null);
  const [text, setText] = useState(id ? "" : NEW_CHAIN);
  const [saved, setSaved] = useState<string>();
  const [saveError, setSaveError] = useState<unknown>();
  const [compare, setCompare] = useState<ChainVersion>();

  useEffect(() => {
    if (stored.data) setText(chainText(stored.data.definition));
  }, [stored.data]);

  const checked = useChainCheck(text);
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
        <button type="button" class="primary" onClick={save} disabled={checked.check !== "valid"}>
          Save as new version
        </button>
      </header>
      {saved && <p class="ok-note">{saved}</p>}
      <ErrorNote error={saveError} />
      <div class="editor-layout">
        <section class="panel" aria-label="Source">
          <h2>
            Source <CheckVerdict {...checked} />
          </h2>
          <ChainSource label="Chain source (JSONC)" value={text} onInput={(value) => (setText(value), setSaved(undefined))} checked={checked} />
        </section>
        <section class="panel graph-panel" aria-label="Graph">
          <h2>Graph</h2>
          {graph ? <ChainGraph graph={graph} /> : <p class="muted">The graph appears once the source reads as a chain.</p>}
        </section>
      </div>
      {id && <ChainReplay chainId={id} draft={text} valid={checked.check === "valid"} />}
      {versions.data && versions.data.data.length > 0 && (
        <section class="panel" aria-label="Versions">
          <h2>Versions</h2>
          <ul class="versions">
            {versions.data.data.map((v) => (
              <li key={v.version} data-version={v.version}>
                <strong>v{v.version}</strong> <span class="muted">{time(v.created_at)}</span>{" "}
                <button type="button" onClick={() => setText(chainText(v.definition))}>
                  Open
                </button>{" "}
                <button type="button" onClick={() => setCompare(compare?.version === v.version ? undefined : v)} aria-pressed={compare?.version === v.version}>
                  Compare with the editor
                </button>
              </li>
            ))}
          </ul>
          {compare && <SideBySideDiff before={chainText(compare.definition)} after={text} language="json" labels={[`version ${compare.version}`, "editor"]} />}
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
