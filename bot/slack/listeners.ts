/**
 * Bolt listeners. Events are acked by Bolt before these run; commands, buttons and modals call `ack()` first, so every
 * request is answered well inside Slack's 3 s and the real work happens afterwards. Deliveries are deduplicated on
 * `event_id` (Slack retries) and on channel+ts (one message can arrive as both app_mention and message).
 */
import type { App } from '@slack/bolt';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { DeliveryDedupe } from '../shared/dedupe.js';
import { superUsersFor, type SuperUser } from '../shared/super-users.js';
import { answerInSlack, type AnswerDeps } from './answer.js';
import { escapeMrkdwn, clip } from './mrkdwn.js';
import { ACTION_IDS, decodeButtonValue } from './render.js';

export const ESCALATE_VIEW = 'sop_escalate_submit';

interface ListenerOptions {
  dedupe: DeliveryDedupe;
  superUsers: SuperUser[];
  /** Registers an answer in progress, so a shutdown can let it finish posting. */
  track?: (work: Promise<void>) => Promise<void>;
}

/** Removes the bot's own mention(s) from the text. */
export function stripMentions(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

const USAGE =
  'Ask me how to do something in Odoo, e.g. `/sop how do I receive a partial delivery against a PO?`\n' +
  '`/sop private on` — in this channel, answer privately from what each asker may read; `/sop private off` — answer in the channel from what every member may read.';

export function registerSlackListeners(app: App, deps: AnswerDeps, opts: ListenerOptions): void {
  const track = opts.track ?? ((work: Promise<void>) => work);
  const once = (eventId: string | undefined, channel: string, ts: string) => {
    const fresh = eventId ? opts.dedupe.firstTime(`ev:${eventId}`) : true;
    // Both keys are recorded so whichever delivery comes second is dropped.
    const freshMessage = opts.dedupe.firstTime(`msg:${channel}:${ts}`);
    return fresh && freshMessage;
  };

  app.event('app_mention', async ({ event, body, client, context }) => {
    if (event.bot_id) return;
    if (!event.user || !once(body.event_id, event.channel, event.ts)) return;
    const question = stripMentions(event.text, context.botUserId);
    await track(answerInSlack(
      {
        client,
        botUserId: context.botUserId,
        teamId: context.teamId,
        channel: event.channel,
        user: event.user,
        question: question || 'help',
        threadTs: event.thread_ts ?? event.ts,
      },
      deps,
    ));
  });

  app.event('message', async ({ event, body, client, context }) => {
    // Only direct messages; channel questions come as app_mention. Edits, joins and bot posts are ignored.
    if (event.channel_type !== 'im') return;
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if ('bot_id' in event && event.bot_id) return;
    if (!('user' in event) || !event.user || !('text' in event) || !event.text) return;
    if (!once(body.event_id, event.channel, event.ts)) return;
    await track(answerInSlack(
      {
        client,
        botUserId: context.botUserId,
        teamId: context.teamId,
        channel: event.channel,
        user: event.user,
        question: stripMentions(event.text, context.botUserId),
        threadTs: ('thread_ts' in event ? event.thread_ts : undefined) ?? event.ts,
      },
      deps,
    ));
  });

  app.command('/sop', async ({ command, ack, respond, client, context }) => {
    const text = command.text.trim();
    const setting = /^private\s+(on|off)$/i.exec(text);
    if (!text || /^help$/i.test(text)) {
      await ack({ response_type: 'ephemeral', text: USAGE });
      return;
    }
    if (setting) {
      if (command.channel_id.startsWith('D')) {
        await ack({ response_type: 'ephemeral', text: 'Direct messages are always private.' });
        return;
      }
      const mode = setting[1]?.toLowerCase() === 'on' ? 'private' : 'shared';
      try {
        await deps.settings.setMode(command.channel_id, mode);
      } catch (err) {
        // Confirming a mode that was never saved would leave the channel answered the old way without anyone knowing.
        deps.metrics.errors.inc({ surface: 'slack' });
        deps.logger.error({ err }, 'saving the channel mode failed');
        await ack({ response_type: 'ephemeral', text: 'Sorry — I could not save that setting. Please try again in a moment.' });
        return;
      }
      await ack({
        response_type: 'in_channel',
        text:
          mode === 'private'
            ? 'From now on I answer questions in this channel privately, from what each asker may read.'
            : 'From now on I answer questions in this channel openly, using only SOPs every member may read.',
      });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `Looking through the SOPs for _${escapeMrkdwn(clip(text, 200))}_…` });
    await track(answerInSlack(
      {
        client,
        botUserId: context.botUserId,
        teamId: command.team_id,
        channel: command.channel_id,
        user: command.user_id,
        question: text,
        threadTs: undefined,
        respond: (m) => respond({ ...m, replace_original: false }),
        askedBy: true,
      },
      deps,
    ));
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${ACTION_IDS.helpful}|${ACTION_IDS.notHelpful})$`),
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const value = decodeButtonValue(action.value);
      if (!value) return;
      try {
        const { asker } = await deps.directory.person(body.user.id, body.team?.id);
        const helpful = action.action_id === ACTION_IDS.helpful;
        await deps.assistant.feedback(value.auditId, helpful, asker);
        const text = helpful ? 'Thanks — glad it helped.' : 'Thanks — your feedback goes to the SOP owners.';
        const channel = body.channel?.id ?? body.container.channel_id;
        const threadTs = body.message?.thread_ts ?? body.message?.ts;
        if (channel && !body.container.is_ephemeral) {
          await client.chat.postEphemeral({ channel, user: body.user.id, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
        } else {
          await respond({ response_type: 'ephemeral', replace_original: false, text });
        }
      } catch (err) {
        deps.metrics.errors.inc({ surface: 'slack' });
        deps.logger.error({ err }, 'storing feedback failed');
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.escalate, async ({ ack, action, body, client }) => {
    await ack();
    const value = decodeButtonValue(action.value);
    const channel = body.channel?.id ?? body.container.channel_id;
    const threadTs = body.message?.thread_ts ?? body.message?.ts;
    // The trigger id expires after ~3 s: open the modal before anything slow.
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: ESCALATE_VIEW,
        private_metadata: JSON.stringify({ a: value?.auditId ?? '', q: clip(value?.question ?? '', 1000), channel, threadTs }),
        title: { type: 'plain_text', text: 'Ask a super user' },
        submit: { type: 'plain_text', text: 'Send' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*Your question:* ${escapeMrkdwn(clip(value?.question ?? '', 2000))}` } },
          {
            type: 'input',
            block_id: 'details',
            optional: true,
            label: { type: 'plain_text', text: 'What is still unclear?' },
            element: { type: 'plain_text_input', action_id: 'details_input', multiline: true, max_length: 1500 },
          },
        ],
      },
    });
  });

  app.view(ESCALATE_VIEW, async ({ ack, view, body, client }) => {
    await ack();
    let meta: { a?: string; q?: string; channel?: string; threadTs?: string } = {};
    try {
      meta = JSON.parse(view.private_metadata) as typeof meta;
    } catch {
      // Metadata is ours; if it is unreadable we still notify, just without the thread link.
    }
    const details = view.state.values['details']?.['details_input']?.value ?? '';
    try {
      const { asker } = await deps.directory.person(body.user.id, body.team?.id);
      const targets = superUsersFor(opts.superUsers, asker.roles).filter((u) => u.slack);
      const where = meta.channel && !meta.channel.startsWith('D') ? ` in <#${meta.channel}>` : '';
      const note =
        `:sos: <@${body.user.id}> still needs help${where} with: _${escapeMrkdwn(meta.q ?? '')}_` +
        (details ? `\n>${escapeMrkdwn(details).replace(/\n/g, '\n>')}` : '');
      for (const su of targets) await client.chat.postMessage({ channel: su.slack!, text: note });
      const confirmation = targets.length
        ? `I've asked ${targets.map((u) => `<@${u.slack}>`).join(', ')} to help with this.`
        : 'No super user is configured for your department yet — please contact the service desk.';
      if (meta.channel) {
        await client.chat.postMessage({ channel: meta.channel, text: confirmation, ...(meta.threadTs ? { thread_ts: meta.threadTs } : {}) });
      }
    } catch (err) {
      deps.metrics.errors.inc({ surface: 'slack' });
      deps.logger.error({ err }, 'escalation failed');
    }
  });

  app.error(async (err) => {
    deps.metrics.errors.inc({ surface: 'slack' });
    deps.logger.error({ err }, 'Slack listener error');
  });
}
