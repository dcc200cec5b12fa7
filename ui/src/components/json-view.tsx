/**
 * JSON, readable: scalars inline, objects and arrays folded (open at the top, closed below), long
 * strings kept with their line breaks, and the step log's truncation marker shown for what it is.
 */
import { isTruncated } from "../../../src/engine/truncate";

interface Props {
  value: unknown;
  /** Levels shown unfolded. */
  open?: number;
}

export function JsonView({ value, open = 1 }: Props) {
  return (
    <div class="json">
      <Node value={value} depth={0} open={open} />
    </div>
  );
}

function Node({ value, depth, open }: { value: unknown; depth: number; open: number }) {
  if (value === null || typeof value !== "object") return <Scalar value={value} />;
  if (isTruncated(value)) {
    return (
      <span class="json-truncated">
        truncated ({value.original_bytes} bytes); starts: <Scalar value={value.preview} />
      </span>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length} item${entries.length === 1 ? "" : "s"}]` : `{${entries.length} key${entries.length === 1 ? "" : "s"}}`;
  if (entries.length === 0) return <span class="json-punct">{Array.isArray(value) ? "[]" : "{}"}</span>;
  return (
    <details open={depth < open}>
      <summary class="json-punct">{summary}</summary>
      <ul>
        {entries.map(([key, child]) => (
          <li key={key}>
            <span class="json-key">{key}</span>: <Node value={child} depth={depth + 1} open={open} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === "string") {
    return value.includes("\n") ? <pre class="json-string">{value}</pre> : <span class="json-string">"{value}"</span>;
  }
  return <span class={`json-${value === null ? "null" : typeof value}`}>{String(value)}</span>;
}
