/**
 * `/ui/events`: recent domain events (filter by type), each openable to see what it fired, and
 * the dead letters — events whose delivery failed every attempt — with their last error.
 */
import { useState } from "preact/hooks";
import type { DeadLetter, DomainEvent, Fire } from "../api/types";
import { JsonView } from "../components/json-view";
import { ErrorNote } from "../components/status";
import { time } from "../lib/format";
import { Link, navigate, withQuery, type Location } from "../lib/router";
import { useApi } from "../lib/use-api";

export function Events({ location }: { location: Location }) {
  const type = location.query.get("type") ?? "";
  const events = useApi<{ data: DomainEvent[] }>(`/events?limit=50${type ? `&type=${encodeURIComponent(type)}` : ""}`);
  const dead = useApi<{ data: DeadLetter[] }>("/events/dead-letters");
  const [draftType, setDraftType] = useState(type);
  return (
    <div>
      <header class="page-head">
        <h1>Events</h1>
      </header>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), navigate(withQuery({ type: draftType || undefined }), { replace: true }))}>
        <label>
          Type <input value={draftType} onInput={(e) => setDraftType(e.currentTarget.value)} placeholder="any" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={events.error} />
      <ul class="event-list">
        {events.data?.data.map((e) => (
          <EventItem key={e.id} event={e} />
        ))}
      </ul>
      {events.data?.data.length === 0 && <p class="muted">No events.</p>}
      <section class="panel" aria-label="Dead letters">
        <h2>Dead letters</h2>
        <ErrorNote error={dead.error} />
        {dead.data?.data.length === 0 && <p class="muted">None: every event was delivered.</p>}
        <ul class="event-list">
          {dead.data?.data.map((d) => (
            <li key={d.id} class="dead-letter" data-dead-letter={d.id}>
              <strong>{d.event_id ?? d.id}</strong> <span class="muted">{time(d.created_at)} · {d.attempts} attempts</span>
              <p class="error-note">{d.error}</p>
              <JsonView value={d.payload} open={0} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function EventItem({ event }: { event: DomainEvent }) {
  const [open, setOpen] = useState(false);
  const detail = useApi<{ fires: Fire[] }>(open ? `/events/${encodeURIComponent(event.id)}` : null);
  return (
    <li data-event-id={event.id}>
      <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <code>{event.type}</code> <span class="muted">{time(event.created_at)}{event.source ? ` · ${event.source}` : ""}</span>
        </summary>
        <JsonView value={event.data} />
        <h4>Fired</h4>
        {detail.data?.fires.length === 0 && <p class="muted">Nothing matched this event.</p>}
        <ul>
          {detail.data?.fires.map((f, i) => (
            <li key={i}>
              trigger <code>{f.trigger_id}</code>: {f.run_id ? <Link href={`/ui/runs/${f.run_id}`}>run {f.run_id.slice(0, 8)}</Link> : f.error ? <span class="error-note">{f.error}</span> : <JsonView value={f.result} open={0} />}
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}
