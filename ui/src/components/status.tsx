/** A run's status as a coloured badge. */
import type { RunStatus } from "../api/types";

export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      {status}
    </span>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error-note" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}
