/**
 * The turn handler: one function from an inbound activity to what the turn does, kept free of any botbuilder handler
 * class so the same logic moves to the Teams SDK by swapping the adapter. Within the turn it only does what must be
 * quick — drop re-deliveries, show typing, read who asks (and, in shared chats, who else is there) from Teams — and
 * hands the answer to a background job that posts it proactively. Card clicks (Action.Submit) and Teams' own feedback
 * buttons (the `message/submitAction` invoke, which botbuilder does not handle) are recorded in the turn.
 */
import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { ChannelSettings } from '../shared/channel-settings.js';
import type { DeliveryDedupe } from '../shared/dedupe.js';
import { superUsersFor, type SuperUser } from '../shared/super-users.js';
import { answerInTeams, type AnswerDeps } from './answer.js';
import type { MemberDirectory, TeamsMember } from './identity.js';
import { clip } from './markdown.js';
import { CardSubmit, renderThanks } from './render.js';

export interface TeamsBotDeps extends AnswerDeps {
  directory: MemberDirectory;
  dedupe: DeliveryDedupe;
  /** Per-channel answer mode (`@SOP Assistant private on|off`), keyed by the Teams channel or group chat id. */
  settings: ChannelSettings;
  superUsers: SuperUser[];
  /** Most members resolved for a shared answer; bigger teams get public documents only. */
  maxChannelMembers?: number;
  /** Runs work after the turn; the surface tracks it so shutdown can wait for answers in flight. */
  background(job: Promise<void>): void;
}

export interface TeamsBot {
  run(ctx: TurnContext): Promise<void>;
}

/** Teams' native feedback (channelData.feedbackLoopEnabled): `reaction` plus a JSON string with the typed comment. */
const SubmitActionValue = z.object({
  actionName: z.literal('feedback'),
  actionValue: z.object({ reaction: z.enum(['like', 'dislike']), feedback: z.string().optional() }),
});

const FeedbackText = z.object({ feedbackText: z.string().max(4000).optional() });

function feedbackComment(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const parsed = FeedbackText.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.feedbackText || undefined : undefined;
  } catch {
    return undefined;
  }
}

type Kind = 'personal' | 'channel' | 'groupChat';

function conversationKind(activity: Activity): Kind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || (type !== 'personal' && activity.conversation?.isGroup)) return 'groupChat';
  return 'personal';
}

/** The question without the bot's @mention; other people's mentions keep their names. */
export function questionText(activity: Activity): string {
  if (typeof activity.text !== 'string') return '';
  const text = activity.recipient?.id ? TurnContext.removeRecipientMention(activity) : activity.text;
  return (text ?? '')
    .replace(/<at>(.*?)<\/at>/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const USAGE =
  'Ask me how to do something in Odoo, e.g. "how do I receive a partial delivery against a PO?" ' +
  'In a channel: "private on" — answer each asker in a personal chat from what their role may read; "private off" — answer in the channel from what every member may read.';

/** The channel (not the thread: a channel thread's conversation id ends in `;messageid=…`) or group chat. */
function channelKey(activity: Activity): string {
  const channel = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
  return typeof channel === 'string' && channel
    ? channel
    : (activity.conversation.id.split(';')[0] ?? activity.conversation.id);
}

export function createTeamsBot(deps: TeamsBotDeps): TeamsBot {
  const log = deps.logger;

  /** The asker as Teams knows them; if Teams cannot tell (not a member, API error) the bare `from` — public only. */
  async function askerMember(ctx: TurnContext): Promise<TeamsMember> {
    const from = ctx.activity.from;
    try {
      return await deps.directory.member(ctx, from.id);
    } catch (err) {
      log.warn({ err }, 'TeamsInfo.getMember failed; answering from public documents only');
      return {
        id: from.id,
        ...(from.name ? { name: from.name } : {}),
        ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
      };
    }
  }

  async function onQuestion(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity;
    const question = questionText(activity);
    if (!question || /^help$/i.test(question)) {
      await ctx.sendActivity(USAGE);
      return;
    }
    const kind = conversationKind(activity);
    const setting = /^private\s+(on|off)$/i.exec(question);
    if (setting) {
      if (kind === 'personal') {
        await ctx.sendActivity('Personal chats are always private.');
        return;
      }
      const mode = setting[1]?.toLowerCase() === 'on' ? 'private' : 'shared';
      await deps.settings.setMode(channelKey(activity), mode);
      await ctx.sendActivity(
        mode === 'private'
          ? 'From now on I answer questions here privately, in a personal chat, from what each asker may read.'
          : 'From now on I answer questions here openly, using only SOPs every member may read.',
      );
      return;
    }
    const privately = kind !== 'personal' && (await deps.settings.mode(channelKey(activity))) === 'private';
    await ctx.sendActivity({ type: ActivityTypes.Typing });
    const asker = await askerMember(ctx);
    let roster: TeamsMember[] | null = [];
    if (kind !== 'personal' && !privately) {
      try {
        roster = await deps.directory.roster(ctx, deps.maxChannelMembers ?? 500);
      } catch (err) {
        log.warn({ err }, 'reading the roster failed; answering from public documents only');
        roster = null;
      }
    }
    const reference = TurnContext.getConversationReference(activity);
    deps.background(
      answerInTeams(
        {
          question,
          reference,
          tenantId:
            activity.conversation?.tenantId ??
            (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id,
          asker,
          kind,
          privately,
          roster,
          threadKey: `${activity.conversation.id}`,
        },
        deps,
      ),
    );
  }

  async function onCardSubmit(ctx: TurnContext, submit: CardSubmit): Promise<void> {
    const activity = ctx.activity;
    const tenantId = activity.conversation?.tenantId;
    const { asker } = await deps.people.resolve(await askerMember(ctx), tenantId);
    if (submit.action === 'sop-feedback') {
      await deps.assistant.feedback(submit.auditId, submit.helpful, asker);
      await ctx.sendActivity(renderThanks(submit.helpful));
      return;
    }
    const targets = superUsersFor(deps.superUsers, asker.roles).filter((u) => u.teams);
    const who = asker.displayName ?? 'A colleague';
    const where = conversationKind(activity) === 'personal' ? '' : ' in a Teams chat';
    const note =
      `🆘 ${who} still needs help${where} with: _${clip(submit.question, 500)}_` +
      (submit.details?.trim() ? `\n\n${clip(submit.details.trim(), 1000)}` : '');
    const reference = TurnContext.getConversationReference(activity);
    const reached: string[] = [];
    for (const su of targets) {
      try {
        await deps.outbox.direct(reference, su.teams!, { type: 'message', text: note });
        reached.push(su.name);
      } catch (err) {
        deps.metrics.errors.inc({ surface: 'teams' });
        log.error({ err, superUser: su.name }, 'could not reach a super user in Teams');
      }
    }
    await ctx.sendActivity(
      reached.length
        ? `I've asked ${reached.join(', ')} to help with this.`
        : 'No super user is configured for your department yet — please contact the service desk.',
    );
  }

  async function onFeedbackLoop(ctx: TurnContext): Promise<void> {
    const parsed = SubmitActionValue.safeParse(ctx.activity.value);
    const { replyToId, conversation } = ctx.activity;
    // The conversation is part of the answer's name: the same message id can belong to another conversation's answer.
    const answer =
      replyToId && conversation?.id
        ? await deps.answers.get({ conversationId: conversation.id, activityId: replyToId })
        : undefined;
    if (!parsed.success || !answer) {
      log.warn({ known: Boolean(answer) }, 'feedback for an unknown answer or in an unknown shape; ignored');
      return;
    }
    const { asker } = await deps.people.resolve(await askerMember(ctx), ctx.activity.conversation?.tenantId);
    const comment = feedbackComment(parsed.data.actionValue.feedback);
    await deps.assistant.feedback(
      answer.auditId,
      parsed.data.actionValue.reaction === 'like',
      asker,
      comment,
    );
  }

  return {
    async run(ctx) {
      const activity = ctx.activity;
      const firstTime = activity.id
        ? deps.dedupe.firstTime(`teams:${activity.conversation?.id}:${activity.id}`)
        : true;

      if (activity.type === ActivityTypes.Invoke) {
        if (activity.name === 'message/submitAction') {
          if (firstTime) {
            try {
              await onFeedbackLoop(ctx);
            } catch (err) {
              deps.metrics.errors.inc({ surface: 'teams' });
              log.error({ err }, 'storing Teams feedback failed');
            }
          }
          // Teams shows its own "submitted" state and rejects a non-empty body.
          await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
          return;
        }
        await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 501 } });
        return;
      }

      if (activity.type === ActivityTypes.ConversationUpdate) {
        // Installed for a person: say what the bot is for, once. (Added to a team: stay quiet in the channel.)
        const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
        if (botAdded && firstTime && conversationKind(activity) === 'personal') await ctx.sendActivity(USAGE);
        return;
      }
      if (activity.type !== ActivityTypes.Message || !firstTime) return;
      const hasText = typeof activity.text === 'string' && activity.text.trim() !== '';
      if (activity.value !== undefined && !hasText) {
        const submit = CardSubmit.safeParse(activity.value);
        if (!submit.success) {
          log.warn('card submit in an unknown shape; ignored');
          return;
        }
        try {
          await onCardSubmit(ctx, submit.data);
        } catch (err) {
          deps.metrics.errors.inc({ surface: 'teams' });
          log.error({ err }, 'handling a card action failed');
        }
        return;
      }
      await onQuestion(ctx);
    },
  };
}
