/**
 * `/ui/triggers`: cron and event triggers with what they start and when a cron trigger fires
 * next; pause or resume one, and create one from a form.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { Trigger } from "../api/types";
import { ChainSelect } from "../components/chain-select";
import { ErrorNote } from "../components/status";
import { SubmitForm } from "../components/submit-form";
import { time } from "../lib/format";
import { useApi } from "../lib/use-api";
import { Table } from "../components/table";

/** A trigger as `GET /triggers` lists it (src/api/triggers/view.ts). */
type TriggerView = Trigger & { next_fire_at: number | null };

export function Triggers() {
  const triggers = useApi<{ data: TriggerView[] }>("/triggers");
  const [error, setError] = useState<unknown>();
  const toggle = async (t: TriggerView) => {
    try {
      await api.patch(`/triggers/${t.id}`, { enabled: !t.enabled });
      triggers.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <header class="page-head">
        <h1>Triggers</h1>
      </header>
      <ErrorNote error={triggers.error ?? error} />
      <Table heads={["trigger", "when", "starts", "next", "state"]}>
        {triggers.data?.data.map((t) => (
          <tr key={t.id} data-trigger={t.name}>
            <td>{t.name}</td>
            <td>{t.type === "cron" ? <code>{t.schedule}</code> : <>event <code>{t.event_type}</code></>}</td>
            <td>{t.chain_id ? `chain ${t.chain_id}` : `function ${t.function}`}</td>
            <td>{t.next_fire_at ? time(t.next_fire_at) : "–"}</td>
            <td>
              <button type="button" onClick={() => toggle(t)} aria-label={`${t.enabled ? "Pause" : "Resume"} ${t.name}`}>
                {t.enabled ? "Pause" : "Resume"}
              </button>
            </td>
          </tr>
        ))}
      </Table>
      {triggers.data?.data.length === 0 && <p class="muted">No triggers yet.</p>}
      <CreateTrigger onDone={triggers.reload} />
    </div>
  );
}

function CreateTrigger({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState<"cron" | "event">("cron");
  const [when, setWhen] = useState("");
  const [chain, setChain] = useState("");
  const [input, setInput] = useState("");
  const submit = async () => {
    const chain_id = chain || undefined;
    const body = type === "cron" ? { name, type, schedule: when, chain_id, ...(input ? { input } : {}) } : { name, type, event_type: when, chain_id };
    const created = await api.post<TriggerView>("/triggers", body);
    return `Created ${created.name}${created.next_fire_at ? `; it fires next at ${time(created.next_fire_at)}` : ""}.`;
  };
  return (
    <SubmitForm label="Create a trigger" submit={submit} onDone={onDone}>
      <label>
        Name <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.currentTarget.value as "cron" | "event")}>
          <option value="cron">cron (a schedule, UTC)</option>
          <option value="event">event (a type of event)</option>
        </select>
      </label>
      <label>
        {type === "cron" ? "Schedule" : "Event type"}
        <input required value={when} placeholder={type === "cron" ? "0 6 * * MON-FRI" : "order.placed"} onInput={(e) => setWhen(e.currentTarget.value)} />
      </label>
      <ChainSelect value={chain} onChange={setChain} anyLabel="choose a chain" />
      {type === "cron" && (
        <label>
          Input <input value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        </label>
      )}
    </SubmitForm>
  );
}
