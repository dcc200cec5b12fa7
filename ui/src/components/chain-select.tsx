/** A labelled choice of chain, from `GET /chains`; `anyLabel` adds a first option meaning "no chain in particular". */
import type { ChainView } from "../api/types";
import { useApi } from "../lib/use-api";

interface Props {
  value: string;
  onChange: (chainId: string) => void;
  anyLabel?: string;
}

export function ChainSelect({ value, onChange, anyLabel }: Props) {
  const chains = useApi<{ data: ChainView[] }>("/chains");
  return (
    <label>
      Chain
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {chains.data?.data.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id}
          </option>
        ))}
      </select>
    </label>
  );
}
