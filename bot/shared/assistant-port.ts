/**
 * The slice of the core that chat surfaces use: the core's `Assistant` (assistant/index.ts), `ask` and `feedback`.
 * Named here so a surface depends on the two calls it makes and nothing else, and surface tests can pass a small fake
 * of our own port.
 */
import type { Assistant } from '../../assistant/index.js';

export type AssistantPort = Pick<Assistant, 'ask' | 'feedback'>;
