/**
 * Name/value pairs as rows of two inputs (run vars): a row is added with a button and removed
 * with its own; names offered from `suggestions`. Empty names are left out of the record.
 */
export interface Row {
  key: string;
  value: string;
}

interface Props {
  legend: string;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  suggestions?: string[];
}

export function KeyValueRows({ legend, rows, onChange, suggestions = [] }: Props) {
  const listId = `${legend.replace(/\W+/g, "-").toLowerCase()}-names`;
  const set = (i: number, change: Partial<Row>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  return (
    <fieldset class="key-values">
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div class="key-value" key={i} data-row={i}>
          <input aria-label={`${legend}: name ${i + 1}`} placeholder="name" list={listId} value={row.key} onInput={(e) => set(i, { key: e.currentTarget.value })} />
          <input aria-label={`${legend}: value ${i + 1}`} placeholder="value" value={row.value} onInput={(e) => set(i, { value: e.currentTarget.value })} />
          <button type="button" aria-label={`Remove ${legend.toLowerCase()} row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { key: "", value: "" }])}>
        Add a row
      </button>
      <datalist id={listId}>
        {suggestions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </fieldset>
  );
}

export function rowsToRecord(rows: Row[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key.trim() !== "").map((row) => [row.key.trim(), row.value]));
}
