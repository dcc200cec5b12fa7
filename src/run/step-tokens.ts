/**
 * The tokens a step streams are not stored: the step's output is what a run keeps, so a token
 * costs no write on its way to followers (and waits for none). The tokens of the step in flight
 * are kept in memory, so a follower that connects or reconnects mid-step gets those it missed.
 *
 * Their event ids extend the stored events' sequence: `<seq>:<n>` is the n-th token after the
 * stored event `seq` (its step's `step.started`; nothing else is stored while a step runs), so a
 * `Last-Event-ID` of either form says where to resume. Once the object is gone, so are they: a
 * step interrupted that way starts again, with a new `step.started`.
 */
import type { RunEvent } from "./store";

export interface TokenEvent {
  id: string;
  type: "token";
  data: unknown;
}

/** What a run's followers are sent: stored events and the tokens of the step in flight. */
export type StreamedEvent = RunEvent | TokenEvent;

/** Where a follower stands: after stored event `seq`, and after `token` tokens that followed it. */
export interface EventPosition {
  seq: number;
  token: number;
}

/** A `Last-Event-ID` (`12` or `12:3`) as a position; anything else is the start. */
export function eventPosition(lastEventId: string | null): EventPosition {
  const match = /^(\d+)(?::(\d+))?$/.exec(lastEventId ?? "");
  return match ? { seq: Number(match[1]), token: Number(match[2] ?? 0) } : { seq: 0, token: 0 };
}

export class StepTokens {
  private step: { after: number; tokens: TokenEvent[] } | undefined;

  /** A step has started: its tokens follow the stored event `after`. */
  begin(after: number): void {
    this.step = { after, tokens: [] };
  }

  end(): void {
    this.step = undefined;
  }

  /** The token event for `data`, kept for followers still to come; none outside a step. */
  add(data: unknown): TokenEvent | undefined {
    if (!this.step) return undefined;
    const event: TokenEvent = { id: `${this.step.after}:${this.step.tokens.length + 1}`, type: "token", data };
    this.step.tokens.push(event);
    return event;
  }

  /** The tokens of the step in flight that a follower at `position` has not had. */
  missed(position: EventPosition): TokenEvent[] {
    if (!this.step || position.seq > this.step.after) return [];
    return position.seq === this.step.after ? this.step.tokens.slice(position.token) : this.step.tokens;
  }
}
