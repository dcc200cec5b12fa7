/**
 * `/ui/tools`: registered tool services with their operations, and a form to register one (an
 * OpenAPI service or an MCP server). Credentials are write-only: only their names come back.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { ErrorNote } from "../components/status";
import { linesToRecord, SubmitForm } from "../components/submit-form";
import { time } from "../lib/format";
import { useApi } from "../lib/use-api";

interface ToolService {
  name: string;
  type: "openapi" | "mcp";
  url: string;
  spec_url: string | null;
  requires_approval: boolean | string[];
  credentials: { headers: string[]; inject: Record<"query" | "path" | "body", string[]> };
  tools: Array<{ name: string; operation: string; description: string | null; requires_approval: boolean; method?: string; path?: string }>;
  updated_at: number;
}

export function Tools() {
  const services = useApi<{ data: ToolService[] }>("/tools");
  return (
    <div>
      <header class="page-head">
        <h1>Tools</h1>
      </header>
      <ErrorNote error={services.error} />
      {services.data?.data.length === 0 && <p class="muted">No tool services registered yet; the built-in tools are always there.</p>}
      <div class="cards">
        {services.data?.data.map((s) => (
          <section class="panel" key={s.name} data-service={s.name}>
            <h2>
              {s.name} <span class="muted">{s.type}</span>
            </h2>
            <p class="muted">
              {s.url} · updated {time(s.updated_at)}
            </p>
            <p>Credentials: {credentialNames(s.credentials)}</p>
            <ul class="tool-list">
              {s.tools.map((t) => (
                <li key={t.name}>
                  <code>{t.name}</code> {t.method && <span class="muted">{`${t.method} ${t.path}`}</span>} {t.requires_approval && <span class="tag">needs approval</span>}
                  {t.description && <div class="muted">{t.description}</div>}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <RegisterTool onDone={services.reload} />
    </div>
  );
}

/** The API shows credentials by name only (header names, injected parameter names). */
function credentialNames({ headers, inject }: ToolService["credentials"]): string {
  const names = [...headers.map((h) => `header ${h}`), ...Object.entries(inject).flatMap(([where, keys]) => keys.map((k) => `${where} ${k}`))];
  return names.length ? names.join(", ") : "none";
}

function RegisterTool({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState<"openapi" | "mcp">("openapi");
  const [url, setUrl] = useState("");
  const [headers, setHeaders] = useState("");
  const [approval, setApproval] = useState("");
  const submit = async () => {
    const requires = approval.trim() === "*" ? true : approval.trim() ? approval.split(",").map((s) => s.trim()) : undefined;
    const credentialHeaders = linesToRecord(headers);
    const body = { name, type, url, ...(Object.keys(credentialHeaders).length ? { headers: credentialHeaders } : {}), ...(requires !== undefined ? { requires_approval: requires } : {}) };
    const saved = await api.post<ToolService>("/tools", body);
    setHeaders("");
    return `Registered ${saved.name} with ${saved.tools.length} tool(s).`;
  };
  return (
    <SubmitForm label="Register a tool service" submit={submit} onDone={onDone}>
      <label>
        Name <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.currentTarget.value as "openapi" | "mcp")}>
          <option value="openapi">OpenAPI service</option>
          <option value="mcp">MCP server</option>
        </select>
      </label>
      <label>
        URL <input required type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <label>
        Header credentials (one <code>Name: value</code> a line; write-only)
        <textarea rows={2} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} autocomplete="off" />
      </label>
      <label>
        Operations that need approval (comma-separated, or * for all)
        <input value={approval} onInput={(e) => setApproval(e.currentTarget.value)} />
      </label>
    </SubmitForm>
  );
}
