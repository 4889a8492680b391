/**
 * The slice of the core that chat surfaces use. It is structurally the core's `Assistant` (assistant/index.ts), named
 * here so that a surface depends on the two calls it makes and nothing else, and so surface tests can pass a small fake
 * of our own port.
 */
import type { Asker, Conversation, Reply } from '../../assistant/reply.js';

export interface AssistantPort {
  ask(question: string, asker: Asker, conversation?: Conversation): Promise<Reply>;
  feedback(auditId: string, helpful: boolean, asker: Asker, comment?: string): Promise<void>;
}
