/**
 * A form that sends one API request and shows what came back: the error (with the field the
 * API names) or a confirmation, then calls `onDone` so the list beside it reads again.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/client";

interface Props {
  label: string;
  submit: () => Promise<string>;
  onDone: () => void;
  children: ComponentChildren;
  class?: string;
  /** Beside the submit button (a Close). */
  actions?: ComponentChildren;
}

export function SubmitForm({ label, submit, onDone, children, class: className, actions }: Props) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome({ ok: true, text: await submit() });
      onDone();
    } catch (e) {
      setOutcome({ ok: false, text: e instanceof ApiError && e.path ? `${e.path}: ${e.message}` : messageOf(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class={`panel form${className ? ` ${className}` : ""}`} onSubmit={onSubmit} aria-label={label}>
      <h2>{label}</h2>
      {children}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Sending…" : label}
        </button>
        {actions}
      </div>
      {outcome && (
        <p class={outcome.ok ? "ok-note" : "error-note"} role={outcome.ok ? "status" : "alert"}>
          {outcome.text}
        </p>
      )}
    </form>
  );
}

/** `Name: value` lines as a record (header credentials, vars). */
export function linesToRecord(text: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) record[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return record;
}
