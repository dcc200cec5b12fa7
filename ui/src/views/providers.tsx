/** `/ui/providers`: the LLM providers, configured and registered, with their models; keys never show. */
import { ErrorNote } from "../components/status";
import { useApi } from "../lib/use-api";
import { Table } from "../components/table";

interface Provider {
  name: string;
  type?: string;
  base_url: string;
  models: Array<{ id: string; context_length?: number; capabilities?: string[] }>;
  default_model: string | null;
  has_api_key: boolean;
  source: string;
}

export function Providers() {
  const providers = useApi<{ data: Provider[] }>("/providers");
  return (
    <div>
      <header class="page-head">
        <h1>Providers</h1>
      </header>
      <ErrorNote error={providers.error} />
      <Table heads={["provider", "endpoint", "models", "default model", "key", "from"]}>
        {providers.data?.data.map((p) => (
          <tr key={p.name} data-provider={p.name}>
            <td>
              {p.name} {p.type && <span class="muted">{p.type}</span>}
            </td>
            <td>
              <code>{p.base_url}</code>
            </td>
            <td>{p.models.map((m) => m.id).join(", ") || "–"}</td>
            <td>{p.default_model ?? "–"}</td>
            <td>{p.has_api_key ? "set" : "none"}</td>
            <td>{p.source}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
