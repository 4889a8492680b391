/**
 * One question from Teams, after the turn has returned: decide whose access applies (personal chat: the asker's;
 * channel or group chat: what every member may read; a channel in private mode: the asker's, answered in their
 * personal chat), ask the core, render the card and post it as a reply to the question. Runs outside the turn because Teams re-sends an activity it has not had a 200 for within ~15 s. Any
 * failure ends in a short apology rather than silence.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { personalAccess, sharedChannelAccess, type ChannelAccess } from '../../assistant/channel-policy.js';
import type { ServerMetrics } from '../shared/surface.js';
import { findPostedAnswer, rememberPostedAnswer, type Db } from '../../store/index.js';
import type { AssistantPort } from '../shared/assistant-port.js';
import type { ConversationMemory } from '../shared/conversations.js';
import { UNKNOWN_PRINCIPALS } from '../shared/identity.js';
import type { TeamsMember, TeamsPeople } from './identity.js';
import { renderApology, renderReply, type TeamsRenderOptions } from './render.js';

/**
 * A message in Teams. Both ids are needed to name it: message ids are epoch-millisecond timestamps, unique only
 * within their conversation.
 */
export interface TeamsMessageRef {
  conversationId: string;
  activityId: string;
}

/** Where answers go once the turn is over (the surface implements it with the adapter's proactive calls). */
export interface TeamsOutbox {
  /** Posts `activity` as a reply to the activity the reference points at; returns where it landed. */
  reply(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<TeamsMessageRef | undefined>;
  /** Opens a 1:1 chat between the bot and `userId` (29:… or Entra object id), posts `activity` there, returns where it landed. */
  direct(
    reference: Partial<ConversationReference>,
    userId: string,
    activity: Partial<Activity>,
  ): Promise<TeamsMessageRef | undefined>;
}

/**
 * Maps a posted answer to its audit record, for Teams' own feedback buttons (message/submitAction), which arrive with
 * only the id of the message they are on and the conversation they come from. Kept in the store (`posted_answers`) so
 * feedback on answers posted before a restart still reaches their audit record; entries older than
 * POSTED_ANSWER_KEEP_DAYS are pruned.
 */
export interface AnswerLog {
  remember(message: TeamsMessageRef, entry: { auditId: string }): Promise<void>;
  get(message: TeamsMessageRef): Promise<{ auditId: string } | undefined>;
}

/**
 * The conversation an answer is filed under: a channel thread's id (`19:…@thread.tacv2;messageid=<root>`) without the
 * thread part. Message ids are unique across the whole channel, and keying on the channel means a feedback activity
 * that names the channel without the thread still finds its answer.
 */
export function answerConversation(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

export function createAnswerLog(db: Db): AnswerLog {
  const key = (message: TeamsMessageRef) => ({
    surface: 'teams' as const,
    conversation: answerConversation(message.conversationId),
    messageId: message.activityId,
  });
  return {
    remember: (message, entry) => rememberPostedAnswer(db, { ...key(message), auditId: entry.auditId }),
    get: (message) => findPostedAnswer(db, key(message)),
  };
}

export interface AnswerDeps {
  assistant: AssistantPort;
  people: TeamsPeople;
  memory: ConversationMemory;
  outbox: TeamsOutbox;
  answers: AnswerLog;
  metrics: ServerMetrics;
  logger: Logger;
  render: TeamsRenderOptions;
}

export interface TeamsQuestion {
  question: string;
  /** The question's conversation reference; the answer replies to it. */
  reference: Partial<ConversationReference>;
  tenantId: string | undefined;
  asker: TeamsMember;
  /** `personal` chats use the asker's access; `channel` and `groupChat` what every member may read. */
  kind: 'personal' | 'channel' | 'groupChat';
  /** A channel in private mode: the asker's own access, answered in a 1:1 chat instead of the channel. */
  privately?: boolean;
  /** Members of the chat or team (shared kinds); null when too many to resolve. */
  roster: TeamsMember[] | null;
  /** Thread memory key: the conversation id (a channel thread has its own id, `…;messageid=<root>`). */
  threadKey: string;
}

async function accessFor(q: TeamsQuestion, deps: AnswerDeps): Promise<ChannelAccess> {
  const me = await deps.people.resolve(q.asker, q.tenantId);
  if (q.kind === 'personal') return personalAccess(me.asker);
  if (q.privately)
    return personalAccess(
      me.asker,
      'Private answer: only you can see it, from everything your role may read.',
    );
  const principalSets: string[][] = [];
  if (q.roster === null) {
    principalSets.push([...UNKNOWN_PRINCIPALS]);
  } else {
    for (const member of q.roster) {
      if (member.id === q.asker.id) continue;
      principalSets.push((await deps.people.resolve(member, q.tenantId)).asker.principals);
    }
  }
  return sharedChannelAccess(me.asker, principalSets, q.kind === 'channel' ? 'this channel' : 'this chat');
}

/** Sends the answer to the asker's 1:1 chat and says so in the thread — or, if that chat cannot be opened, says only that. */
async function answerPrivately(
  q: TeamsQuestion,
  message: Partial<Activity>,
  deps: AnswerDeps,
): Promise<TeamsMessageRef | undefined> {
  let posted: TeamsMessageRef | undefined;
  try {
    posted = await deps.outbox.direct(q.reference, q.asker.id, message);
  } catch (err) {
    deps.logger.warn({ err }, 'could not open a private chat with the asker');
    await deps.outbox.reply(q.reference, {
      type: 'message',
      text: 'This channel gets private answers, but I could not reach you in a personal chat. Add SOP Assistant for yourself (Apps) and ask me there.',
    });
    return undefined;
  }
  await deps.outbox.reply(q.reference, {
    type: 'message',
    text: 'This channel gets private answers: I have sent you mine in our personal chat.',
  });
  return posted;
}

/** The answer is already posted: failing to remember it costs only Teams-button feedback on it, never an apology. */
async function rememberAnswer(
  posted: TeamsMessageRef,
  auditId: string,
  deps: AnswerDeps,
  log: Logger,
): Promise<void> {
  try {
    await deps.answers.remember(posted, { auditId });
  } catch (err) {
    deps.metrics.errors.inc({ surface: 'teams' });
    log.error({ err }, 'could not record the answer for feedback');
  }
}

export async function answerInTeams(q: TeamsQuestion, deps: AnswerDeps): Promise<void> {
  const log = deps.logger.child({ kind: q.kind });
  try {
    const access = await accessFor(q, deps);
    const reply = await deps.assistant.ask(q.question, access.asker, deps.memory.get(q.threadKey), {
      scope: access.scope,
      principalSets: access.principalSets,
    });
    deps.memory.remember(q.threadKey, q.question);
    const message = renderReply(reply, deps.render);
    const posted = q.privately
      ? await answerPrivately(q, message, deps)
      : await deps.outbox.reply(q.reference, message);
    if (posted) await rememberAnswer(posted, reply.auditId, deps, log);
  } catch (err) {
    deps.metrics.errors.inc({ surface: 'teams' });
    log.error({ err }, 'answering a Teams question failed');
    try {
      await deps.outbox.reply(q.reference, renderApology());
    } catch (apologyErr) {
      log.error({ err: apologyErr }, 'could not even post the apology');
    }
  }
}
