/**
 * Per-message settlement of a queue batch: each message is acknowledged or retried on its own,
 * so one failure never holds back the rest of its batch, and a retry waits an exponential
 * backoff (1 s, 2 s, 4 s, … capped) by its attempt count.
 */

const MAX_RETRY_DELAY_SECONDS = 300;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 2 ** Math.max(0, attempts - 1));
}

/** The part of a queue message settling needs (`Message` on Workers). */
export interface Settleable {
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * `handle` succeeding acks the item's message; throwing calls `onFailure` with the error and
 * retries the message after the backoff for its attempt count.
 */
export async function settleEach<T extends { message: Settleable }>(
  items: readonly T[],
  handle: (item: T) => Promise<void>,
  onFailure: (item: T, error: string) => Promise<void>,
): Promise<void> {
  await Promise.all(
    items.map(async (item) => {
      try {
        await handle(item);
        item.message.ack();
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown.message : String(thrown);
        try {
          await onFailure(item, error);
        } finally {
          item.message.retry({ delaySeconds: retryDelaySeconds(item.message.attempts) });
        }
      }
    }),
  );
}
