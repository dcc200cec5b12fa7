/**
 * The queue consumer. On the events queue each message (an event id) is delivered to its
 * triggers and settled on its own (see settle.ts): a failure records its error and the message
 * is retried with backoff; after the consumer's `max_retries` the platform moves it to the
 * dead-letter queue. On the dead-letter queue (any queue whose name ends in `-dlq`) each message
 * becomes a `dead_letters` row with the last recorded error, which `GET /events/dead-letters`
 * shows. A message whose body is not an event message cannot succeed on retry and is
 * dead-lettered at once.
 */
import { db } from "../db/client";
import { clearDeliveryFailure, findDeliveryFailure, findEvents, insertDeadLetter, recordDeliveryFailure } from "../db/events";
import type { Env } from "../env";
import { deliverEvent, loadEventTriggers } from "./dispatch";
import { settleEach } from "./settle";
import type { TriggerEffects } from "./trigger-effects";
import type { EventMessage } from "./types";

export const DEAD_LETTER_QUEUE_SUFFIX = "-dlq";

export function readEventMessage(body: unknown): EventMessage | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const id = (body as Record<string, unknown>).event_id;
  return typeof id === "string" && id !== "" ? { event_id: id } : undefined;
}

export async function handleQueue(batch: MessageBatch, env: Env, effects: TriggerEffects): Promise<void> {
  if (batch.queue.endsWith(DEAD_LETTER_QUEUE_SUFFIX)) await recordDeadLetters(batch, env);
  else await deliverBatch(batch, env, effects);
}

/** A message and what it carries: `event_id` is null when the body is not an event message. */
interface Received {
  message: Message;
  event_id: string | null;
}

function receive(batch: MessageBatch): Received[] {
  return batch.messages.map((message) => ({ message, event_id: readEventMessage(message.body)?.event_id ?? null }));
}

async function deliverBatch(batch: MessageBatch, env: Env, effects: TriggerEffects): Promise<void> {
  const d = db(env.DB);
  const received = receive(batch);
  const unreadable = received.filter((r) => r.event_id === null);
  const readable = received.flatMap((r) => (r.event_id === null ? [] : [{ message: r.message, event_id: r.event_id }]));
  await Promise.all(
    unreadable.map(async ({ message }) => {
      const error = "the message is not an events-queue message ({ event_id })";
      await insertDeadLetter(d, { id: message.id, event_id: null, payload: message.body ?? null, error, attempts: message.attempts, created_at: Date.now() });
      message.ack();
    }),
  );
  const [events, triggers] = await Promise.all([findEvents(d, readable.map((r) => r.event_id)), loadEventTriggers(env)]);
  await settleEach(
    readable,
    async ({ message, event_id }) => {
      const event = events.get(event_id);
      if (!event) throw new Error(`event ${event_id} is not stored`);
      await deliverEvent(env, effects, event, triggers);
      if (message.attempts > 1) await clearDeliveryFailure(d, event_id);
    },
    ({ message, event_id }, error) => recordDeliveryFailure(d, event_id, error, message.attempts, Date.now()),
  );
}

async function recordDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const d = db(env.DB);
  await settleEach(
    receive(batch),
    async ({ message, event_id }) => {
      const failure = event_id ? await findDeliveryFailure(d, event_id) : undefined;
      await insertDeadLetter(d, {
        id: message.id,
        event_id,
        payload: message.body ?? null,
        error: failure?.error ?? "delivery failed; no error was recorded",
        attempts: failure?.attempts ?? message.attempts,
        created_at: Date.now(),
      });
    },
    async (_item, error) => console.error(`could not record a dead letter: ${error}`),
  );
}
