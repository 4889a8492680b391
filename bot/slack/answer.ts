/**
 * One question from Slack, start to finish: resolve who asks, decide whose access applies (DM: the asker's; shared
 * channel: what every member may read; private-mode channel: the asker's, answered ephemerally), show progress, ask
 * the core, render, post. Any failure ends in a short apology rather than silence.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { personalAccess, sharedChannelAccess, type ChannelAccess } from '../../assistant/channel-policy.js';
import type { AssistantPort } from '../shared/assistant-port.js';
import type { ConversationMemory } from '../shared/conversations.js';
import type { ServerMetrics } from '../shared/surface.js';
import type { SlackDirectory, SlackPerson } from './identity.js';
import { renderApology, renderProgress, renderReply, type SlackMessage, type RenderOptions } from './render.js';
import type { ChannelSettings } from './settings.js';

export interface AnswerDeps {
  assistant: AssistantPort;
  directory: SlackDirectory;
  memory: ConversationMemory;
  settings: ChannelSettings;
  metrics: ServerMetrics;
  logger: Logger;
  render: RenderOptions;
  /** Most members resolved for a shared-channel answer; bigger channels get public documents only. */
  maxChannelMembers?: number;
}

export interface SlackQuestion {
  client: webApi.WebClient;
  botUserId: string | undefined;
  teamId: string | undefined;
  channel: string;
  user: string;
  question: string;
  /** Thread to answer in; undefined starts a new thread with the answer as its root (slash commands). */
  threadTs: string | undefined;
  /** For slash commands: posts to the command's response_url (ephemeral answers work even where the bot is absent). */
  respond?: (message: SlackMessage & { response_type: 'ephemeral' | 'in_channel' }) => Promise<unknown>;
  /** Shown above a slash-command answer posted in a channel, so others see who asked what. */
  askedBy?: boolean;
}

export type ChannelKind = 'dm' | 'shared' | 'private';

export async function channelKind(channel: string, settings: ChannelSettings): Promise<ChannelKind> {
  if (channel.startsWith('D')) return 'dm';
  return (await settings.mode(channel)) === 'private' ? 'private' : 'shared';
}

async function channelMemberIds(client: webApi.WebClient, channel: string, max: number): Promise<string[] | null> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({ channel, limit: 200, ...(cursor ? { cursor } : {}) });
    ids.push(...(page.members ?? []));
    if (ids.length > max) return null;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return ids;
}

async function sharedAccess(q: SlackQuestion, me: SlackPerson, deps: AnswerDeps): Promise<ChannelAccess> {
  const ids = await channelMemberIds(q.client, q.channel, deps.maxChannelMembers ?? 500);
  const principalSets: string[][] = [];
  if (ids === null) {
    principalSets.push(['public']);
  } else {
    for (const id of ids) {
      if (id === q.user || id === q.botUserId) continue;
      const member = await deps.directory.person(id, q.teamId);
      if (!member.isBot) principalSets.push(member.asker.principals);
    }
  }
  return sharedChannelAccess(me.asker, principalSets, 'this channel');
}

const PRIVATE_NOTE = 'Private answer: only you can see it, from everything your role may read.';

export async function answerInSlack(q: SlackQuestion, deps: AnswerDeps): Promise<void> {
  // Unknown until the stored mode is read; if even that fails, the apology goes to the asker alone.
  let kind: ChannelKind = 'private';
  let log = deps.logger.child({ channel: q.channel });
  let placeholderTs: string | undefined;
  try {
    kind = await channelKind(q.channel, deps.settings);
    log = log.child({ kind });
    const me = await deps.directory.person(q.user, q.teamId);
    if (me.isBot) return;

    let access: ChannelAccess | undefined;
    if (kind === 'shared') {
      try {
        access = await sharedAccess(q, me, deps);
        const posted = await q.client.chat.postMessage({ channel: q.channel, ...(q.threadTs ? { thread_ts: q.threadTs } : {}), ...renderProgress(q.question) });
        placeholderTs = posted.ts;
      } catch (err) {
        // A slash command where the bot cannot read the members or post (not invited): answer the asker privately
        // through the command's response_url instead, which only the asker sees.
        if (!q.respond) throw err;
        log.info({ err }, 'cannot answer in the channel; answering privately through response_url');
        kind = 'private';
        access = undefined;
      }
    } else if (kind === 'dm') {
      const posted = await q.client.chat.postMessage({ channel: q.channel, ...(q.threadTs ? { thread_ts: q.threadTs } : {}), ...renderProgress(q.question) });
      placeholderTs = posted.ts;
    }
    access ??= kind === 'private' ? personalAccess(me.asker, PRIVATE_NOTE) : personalAccess(me.asker);

    const threadKey = `${q.channel}:${q.threadTs ?? placeholderTs ?? 'ephemeral'}`;
    const conversation = deps.memory.get(threadKey);
    const reply = await deps.assistant.ask(q.question, access.asker, conversation, {
      scope: access.scope,
      principalSets: access.principalSets,
    });
    deps.memory.remember(threadKey, q.question);

    const message = renderReply(reply, deps.render);
    if (q.askedBy && placeholderTs) {
      message.blocks.unshift({ type: 'context', elements: [{ type: 'mrkdwn', text: `<@${q.user}> asked with /sop` }] });
    }
    await deliver(q, kind, placeholderTs, message);
  } catch (err) {
    deps.metrics.errors.inc({ surface: 'slack' });
    log.error({ err }, 'answering a Slack question failed');
    try {
      await deliver(q, kind, placeholderTs, renderApology());
    } catch (apologyErr) {
      log.error({ err: apologyErr }, 'could not even post the apology');
    }
  }
}

async function deliver(q: SlackQuestion, kind: ChannelKind, placeholderTs: string | undefined, message: SlackMessage) {
  if (placeholderTs) {
    await q.client.chat.update({ channel: q.channel, ts: placeholderTs, ...message });
  } else if (q.respond) {
    await q.respond({ response_type: 'ephemeral', ...message });
  } else if (kind === 'private') {
    await q.client.chat.postEphemeral({ channel: q.channel, user: q.user, ...(q.threadTs ? { thread_ts: q.threadTs } : {}), ...message });
  } else {
    await q.client.chat.postMessage({ channel: q.channel, ...(q.threadTs ? { thread_ts: q.threadTs } : {}), ...message });
  }
}
