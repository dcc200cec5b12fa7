/**
 * The domain contract's vocabulary: the document as people write it (entities with their
 * lifecycle, rules, roles) and a contract as a run binds it (a document at a version). What the
 * gate decided about one call is a run record and lives with the others in engine/records.ts.
 */

/** How to read an entity's current state from the system of record, with a read operation. */
export interface EntityRead {
  /** The read operation, e.g. `shop__get_order`. */
  tool: string;
  /** The read's arguments: read argument → dotted path into the governed call's arguments (`{"order_id": "order_id"}`). */
  args: Record<string, string>;
  /** Dotted path of the state in the read's result, e.g. `status`. */
  state: string;
}

/** An operation that moves an entity from one of `from` to `to`. */
export interface LifecycleTransition {
  tool: string;
  from: string[];
  to: string;
}

export interface Entity {
  description?: string;
  states: string[];
  read: EntityRead;
  transitions: LifecycleTransition[];
}

/** A condition (CEL) every call to one of `tools` must meet; `message` tells a person why not. */
export interface Rule {
  id: string;
  /** Operations the rule governs; `"*"` for every one. */
  tools: string[];
  condition: string;
  message: string;
}

export interface Contract {
  id: string;
  description?: string;
  entities: Record<string, Entity>;
  rules: Rule[];
  /**
   * Which operations each role may use at all, in the grant grammar of a task's tools (`"*"`,
   * an operation, a service, `"!name"`). Absent: every role may use every operation; present: a
   * role it does not name may use none.
   */
  roles?: Record<string, string[]>;
}

/** A contract as a run binds it: the document and the registry version it had (0 when bundled). */
export interface BoundContract {
  contract: Contract;
  version: number;
}

/** The role of a caller that presents a key without one, and of runs recorded before roles. */
export const ADMIN_ROLE = "admin";
