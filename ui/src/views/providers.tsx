/** `/ui/providers`: the LLM providers, configured and registered, with their models; keys never show. */
import { ErrorNote } from "../components/status";
import { useApi } from "../lib/use-api";

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
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>provider</th>
              <th>endpoint</th>
              <th>models</th>
              <th>default model</th>
              <th>key</th>
              <th>from</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
    </div>
  );
}
