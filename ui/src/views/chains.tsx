/** `/ui/chains`: every chain — registered and bundled — with its version and description. */
import type { ChainView } from "../api/types";
import { ErrorNote } from "../components/status";
import { Link } from "../lib/router";
import { useApi } from "../lib/use-api";
import { Table } from "../components/table";

export function Chains() {
  const chains = useApi<{ data: ChainView[] }>("/chains");
  return (
    <div>
      <header class="page-head">
        <h1>Chains</h1>
        <Link class="button primary" href="/ui/chains/new">
          New chain
        </Link>
      </header>
      <ErrorNote error={chains.error} />
      <Table heads={["chain", "version", "tasks", "description"]}>
        {chains.data?.data.map((c) => (
          <tr key={c.id} data-chain-id={c.id}>
            <td>
              <Link href={`/ui/chains/${encodeURIComponent(c.id)}`}>{c.id}</Link>
            </td>
            <td>{c.source === "bundled" ? "bundled" : `v${c.version}`}</td>
            <td>{c.definition.tasks.length}</td>
            <td class="muted">{c.description}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
