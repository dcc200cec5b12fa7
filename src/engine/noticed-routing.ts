/**
 * Effects that notice routing: the LLM and embeddings effects of one step, wrapped so the step
 * can record the routing facts of its last model call — answered or failed — without any
 * handler passing them on.
 */
import type { Effects } from "./effects";
import { routingOf, type Routing } from "./routing";

export function noticingRouting(effects: Effects): { effects: Effects; routing: () => { routing?: Routing } } {
  let last: Routing | undefined;
  const notice = async <T extends { routing?: Routing }>(call: Promise<T>): Promise<T> => {
    try {
      const answer = await call;
      last = answer.routing ?? last;
      return answer;
    } catch (error) {
      last = routingOf(error) ?? last;
      throw error;
    }
  };
  return {
    effects: {
      ...effects,
      llm: { chat: (request, signal, onDelta) => notice(effects.llm.chat(request, signal, onDelta)) },
      embeddings: { embed: (request, signal) => notice(effects.embeddings.embed(request, signal)) },
    },
    routing: () => (last ? { routing: last } : {}),
  };
}
