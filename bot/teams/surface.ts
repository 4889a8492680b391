/**
 * The Teams surface: botbuilder's CloudAdapter on POST /api/messages of the shared server. Credentials come from
 * MICROSOFT_APP_ID / _PASSWORD / _TYPE / _TENANT_ID; with an app id every request must carry a valid Bot Framework
 * token (none → 401, checked by botbuilder before any network call). An empty app id is emulator mode (no auth): fine
 * on a laptop with the Bot Framework Emulator, refused in production. The adapter is the only botbuilder-specific
 * wiring; the turn logic lives in bot.ts and the proactive sends in the outbox below.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import express from 'express';
import type { Logger } from 'pino';
import type { Surface, SurfaceContext } from '../shared/surface.js';
import { ConfigError } from '../../app/config/errors.js';
import type { Db } from '../../store/index.js';
import { createChannelSettings } from '../shared/channel-settings.js';
import { createConversationMemory } from '../shared/conversations.js';
import { createDeliveryDedupe, type DeliveryDedupe } from '../shared/dedupe.js';
import type { ResolveByEmail } from '../shared/identity.js';
import type { SuperUser } from '../shared/super-users.js';
import { createAnswerLog, type TeamsMessageRef, type TeamsOutbox } from './answer.js';
import { createTeamsBot } from './bot.js';
import { createTeamsPeople, teamsInfoDirectory, type MemberDirectory } from './identity.js';
import { renderApology } from './render.js';

/** OAuth scope of the public Bot Framework channel service (the audience of the bot's outbound tokens). */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export interface TeamsCredentials {
  appId?: string | undefined;
  appPassword?: string | undefined;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
  tenantId?: string | undefined;
}

export interface TeamsSurfaceOptions extends TeamsCredentials {
  /** NODE_ENV=production: an empty app id (no authentication) is refused. */
  production: boolean;
  resolveByEmail: ResolveByEmail;
  superUsers?: SuperUser[];
  lowConfidenceBelow?: number;
  maxChannelMembers?: number;
  dedupe?: DeliveryDedupe;
  /** Tests may replace the Teams calls; production uses TeamsInfo. */
  directory?: MemberDirectory;
  /** Where channel modes (`private on|off`) and posted answers (for Teams' feedback buttons) outlive a restart. */
  db: Db;
  logger: Logger;
}

export interface TeamsSurface extends Surface {
  /** Resolves when every answer started so far has been posted (or has failed). */
  idle(): Promise<void>;
  readonly emulatorMode: boolean;
}

/**
 * Validates the credentials and turns them into botbuilder's settings. Throws ConfigError naming the variable:
 * an empty app id in production, an app id without what its type needs.
 */
export function teamsAuthSettings(
  creds: TeamsCredentials,
  production: boolean,
): ConfigurationBotFrameworkAuthenticationOptions {
  const appId = creds.appId?.trim() ?? '';
  if (!appId) {
    if (production) {
      throw new ConfigError(
        'MICROSOFT_APP_ID is empty: Teams would accept unauthenticated requests (emulator mode), which is refused with NODE_ENV=production. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD from the Azure Bot registration.',
        'MICROSOFT_APP_ID',
      );
    }
    // Emulator mode: no credentials at all (an app type other than MultiTenant would make botbuilder throw).
    return {};
  }
  const appType = creds.appType ?? 'MultiTenant';
  if (appType !== 'UserAssignedMSI' && !creds.appPassword) {
    throw new ConfigError(
      'MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (the client secret of the Azure Bot registration)',
      'MICROSOFT_APP_PASSWORD',
    );
  }
  if (appType !== 'MultiTenant' && !creds.tenantId) {
    throw new ConfigError(
      `MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is ${appType}`,
      'MICROSOFT_APP_TENANT_ID',
    );
  }
  return {
    MicrosoftAppId: appId,
    MicrosoftAppType: appType,
    ...(creds.appPassword ? { MicrosoftAppPassword: creds.appPassword } : {}),
    ...(creds.tenantId ? { MicrosoftAppTenantId: creds.tenantId } : {}),
  };
}

function adapterOutbox(adapter: CloudAdapter, appId: string): TeamsOutbox {
  return {
    async reply(reference, activity) {
      let posted: TeamsMessageRef | undefined;
      await adapter.continueConversationAsync(appId, reference, async (ctx) => {
        // Reply to the question itself, not to the continuation event the adapter made up for this turn.
        const outgoing = TurnContext.applyConversationReference(
          { ...activity },
          reference,
        ) as Partial<Activity>;
        const [sent] = await ctx.adapter.sendActivities(ctx, [outgoing]);
        if (sent?.id) posted = { conversationId: ctx.activity.conversation.id, activityId: sent.id };
      });
      return posted;
    },
    async direct(reference, userId, activity) {
      let posted: TeamsMessageRef | undefined;
      const serviceUrl = reference.serviceUrl;
      if (!serviceUrl || !reference.bot)
        throw new Error('cannot open a chat without the service URL and bot account');
      const tenantId = reference.conversation?.tenantId;
      await adapter.createConversationAsync(
        appId,
        reference.channelId ?? 'msteams',
        serviceUrl,
        BOT_FRAMEWORK_SCOPE,
        {
          isGroup: false,
          bot: reference.bot,
          members: [{ id: userId, name: '' }],
          channelData: tenantId ? { tenant: { id: tenantId } } : {},
          ...(tenantId ? { tenantId } : {}),
        },
        async (ctx) => {
          // The new chat's id: the answer lives there, and feedback on it comes from there.
          const sent = await ctx.sendActivity(activity);
          if (sent?.id) posted = { conversationId: ctx.activity.conversation.id, activityId: sent.id };
        },
      );
      return posted;
    },
  };
}

export function createTeamsSurface(opts: TeamsSurfaceOptions): TeamsSurface {
  const settings = teamsAuthSettings(opts, opts.production);
  const appId = settings.MicrosoftAppId ?? '';
  const inFlight = new Set<Promise<void>>();
  const log = opts.logger.child({ surface: 'teams' });

  return {
    name: 'teams',
    emulatorMode: !appId,
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    mount(app, ctx: SurfaceContext) {
      const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
      adapter.onTurnError = async (turn, err) => {
        ctx.metrics.errors.inc({ surface: 'teams' });
        log.error({ err }, 'Teams turn failed');
        if (turn.activity.type === 'message') {
          await turn
            .sendActivity(renderApology())
            .catch((sendErr: unknown) => log.error({ err: sendErr }, 'could not post the apology'));
        }
      };
      const bot = createTeamsBot({
        assistant: ctx.assistant,
        people: createTeamsPeople({ resolveByEmail: opts.resolveByEmail }),
        directory: opts.directory ?? teamsInfoDirectory(),
        memory: createConversationMemory({ ttlMs: 30 * 60_000 }),
        outbox: adapterOutbox(adapter, appId),
        answers: createAnswerLog(opts.db),
        dedupe: opts.dedupe ?? createDeliveryDedupe(),
        settings: createChannelSettings({ db: opts.db, surface: 'teams' }),
        superUsers: opts.superUsers ?? [],
        metrics: ctx.metrics,
        logger: log,
        render: {
          escalation: true,
          ...(opts.lowConfidenceBelow !== undefined ? { lowConfidenceBelow: opts.lowConfidenceBelow } : {}),
        },
        ...(opts.maxChannelMembers !== undefined ? { maxChannelMembers: opts.maxChannelMembers } : {}),
        background(job) {
          inFlight.add(job);
          void job.finally(() => inFlight.delete(job));
        },
      });
      if (!appId)
        log.warn(
          'MICROSOFT_APP_ID is empty: Teams runs in emulator mode and accepts unauthenticated requests',
        );
      // JSON parsing on this route only: Bolt must see raw bytes on /slack/events.
      app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
        await adapter.process(req, res, (turn) => bot.run(turn));
      });
    },
    async stop() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
