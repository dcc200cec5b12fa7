/**
 * The event bridge's vocabulary: the domain event every source is turned into, the mapping
 * that turns an ingested payload into one, and the queue message that carries it to triggers.
 */

/** Metadata every event carries; sources add their own keys. */
export interface EventMetadata {
  /**
   * How many `sendEvent` hops separate this event from one that came from outside (ingest,
   * `POST /events`): 0 for those, parent + 1 for an event sent by code an event triggered.
   */
  hops: number;
  /** For an event sent by code an event caused: the outside event its cascade began with (events/cascade.ts). */
  root?: string;
  [key: string]: unknown;
}

export interface DomainEvent {
  id: string;
  type: string;
  source: string | null;
  aggregate_id: string | null;
  aggregate_type: string | null;
  version: number;
  data: unknown;
  metadata: EventMetadata;
  /** Epoch milliseconds. */
  created_at: number;
}

/**
 * How `POST /ingest?path=` turns a payload into a domain event. Field paths are dotted paths
 * into the JSON payload (`pull_request.number`, `commits.0.id`), or `header:<name>` to read a
 * request header (`header:x-github-event`).
 */
export interface MappingConfig {
  path: string;
  /** A fixed event type; or `event_type_field` to read it from the payload. */
  event_type?: string;
  event_type_field?: string;
  /** Defaults to the ingest path. */
  event_source?: string;
  /** Where a source's own delivery id is; redeliveries with the same id become one event. */
  event_id_field?: string;
  aggregate_id_field?: string;
  aggregate_type?: string;
  /** Metadata key → field path. */
  metadata_mapping?: Record<string, string>;
  /** Header carrying the HMAC-SHA256 signature when a secret is set (GitHub's by default). */
  signature_header?: string;
}

/** What the events queue carries: the event is read back from D1, so large payloads fit. */
export interface EventMessage {
  event_id: string;
}

/** A cron trigger starts `chain_id` on its schedule; an event trigger runs a chain or a function. */
export interface Trigger {
  id: string;
  name: string;
  type: "cron" | "event";
  schedule: string | null;
  /** An exact type, `*`, or a prefix ending in `*` (`github.*`). */
  event_type: string | null;
  chain_id: string | null;
  function: string | null;
  /** A cron run's input (an event run's input is the event). */
  input: unknown;
  vars: Record<string, string>;
  /** The role the runs (and functions) it starts act as. */
  role: string;
  enabled: boolean;
  created_at: number;
}

/** A stored JS function and what it may use. */
export interface StoredFunction {
  name: string;
  code: string;
  /** SHA-256 of the code: the key its normalised form is cached under. */
  hash: string;
  grant: FunctionGrant;
  created_at: number;
  updated_at: number;
}

export interface FunctionGrant {
  /** Tool grant, as a chain task's `execute_config.tools` (`"*"`, names, `"!name"`). */
  tools: string[];
  /** Hosts the function may reach; absent means any public host. */
  egress_allow?: string[];
  /** Sandbox limit overrides (see src/sandbox/limits.ts). */
  limits?: Record<string, number>;
  /** The domain contract that governs its tool calls, acting as its trigger's role. */
  contract?: string;
}
