/**
 * Who is to blame when sandboxed code takes the whole process down. On Cloudflare a sandbox
 * isolate past its memory limit is ended alone; a local workerd has no such limit, and an isolate
 * that exhausts V8's heap aborts the process with every run in it. When the process comes back,
 * each run whose step was interrupted resumes it — and the step that crashed it would crash it
 * again, forever, taking the others along each time.
 *
 * So each step records whether its code was running, and how: sharing the process with other
 * sandboxes, or alone. A step interrupted while its code ran beside others is a suspect: its
 * code runs next time with no other sandbox beside it (this lane, one per process, makes the
 * others wait). A step interrupted while its code ran alone is the culprit, and is failed
 * (`step_crashed`); the suspects that were only beside it run again, unharmed.
 */

/** One step's turn in the lane, as the run records it (see run/chain-run.ts). */
export interface SandboxTurn {
  /** Whether this step's code must run alone: it was running beside others when the process died. */
  alone(): boolean;
  /** Recorded (durably) before the code starts, so a crash during it can be blamed. */
  started(alone: boolean): void;
  ended(): void;
}

type Waiter = { alone: boolean; admit: () => void };

/** Any number of sandboxes share the lane, or one has it alone; one waiting to be alone goes before later sharers. */
export class SandboxLane {
  private sharing = 0;
  private exclusive = false;
  private readonly waiting: Waiter[] = [];

  /** Resolves once the caller may run; call the returned function when its code has ended. */
  enter(alone: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({ alone, admit: () => resolve(() => this.leave(alone)) });
      this.admit();
    });
  }

  private leave(alone: boolean): void {
    if (alone) this.exclusive = false;
    else this.sharing--;
    this.admit();
  }

  private admit(): void {
    while (this.waiting.length > 0 && !this.exclusive) {
      const next = this.waiting[0]!;
      if (next.alone && this.sharing > 0) return;
      this.waiting.shift();
      if (next.alone) this.exclusive = true;
      else this.sharing++;
      next.admit();
    }
  }
}

/** The lane of this process: every sandbox a run or a function starts here enters it. */
export const processLane = new SandboxLane();

/** Runs `code` in its turn: entering the lane, recording the turn, and leaving both however it ends. */
export async function inTurn<T>(turn: SandboxTurn | undefined, code: () => Promise<T>, lane: SandboxLane = processLane): Promise<T> {
  const alone = turn?.alone() ?? false;
  const leave = await lane.enter(alone);
  turn?.started(alone);
  try {
    return await code();
  } finally {
    turn?.ended();
    leave();
  }
}
